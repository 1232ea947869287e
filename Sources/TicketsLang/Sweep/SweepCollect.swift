import Foundation
import TicketsEngine

/// Merging a sweep's runs into one table, and the state of each run.
enum SweepCollect {
    /// Where one run stands.
    enum RunState: String {
        case done, failed, running, pending
        /// The job ended (cancelled, timed out, killed) before the run finished.
        case stopped
        /// Never started (locally), or not submitted (Slurm).
        case waiting
    }

    struct RunStatus {
        let name: String
        let folder: RunFolder
        let state: RunState
        /// The Slurm task ("1234_3") that ran or runs it, when there was one.
        let task: String?
        /// What Slurm says of that task (when it still remembers it).
        let queueState: String?
    }

    /// The merged table: the grid's columns, then each finished run's results (a table
    /// per run, stacked with its grid values repeated); a failed run is a row of its
    /// grid values and its error. Runs not finished are left out.
    static func table(_ sweep: SweepFolder) throws -> (table: Table, done: Int, failed: Int) {
        let keys = sweep.gridKeys
        let merged = Table(columns: keys)
        var done = 0, failed = 0
        for name in sweep.runs {
            let run = try sweep.run(name)
            let args = (run.settings["args"]).map(ValueJSON.value)
            let gridFields: [(String, Value)] = keys.map { k in
                if case .record(let r)? = args { return (k, r[k] ?? .null) }
                return (k, .null)
            }
            switch run.state {
            case .done:
                let result = try RunResults.load(run)
                for i in 0..<result.rows.count {
                    let row = result.row(i)
                    merged.appendRow(gridFields + row.fields.filter { !keys.contains($0.0) })
                }
                for (k, f) in result.formats where merged.formats[k] == nil { merged.formats[k] = f }
                done += 1
            case .failed:
                merged.appendRow(gridFields + [("error", .string(run.failure ?? "failed"))])
                failed += 1
            case .unfinished:
                break
            }
        }
        return (merged, done, failed)
    }

    /// Every run's state: from its folder first (done, failed), then from the Slurm
    /// queue for runs that were submitted.
    static func statuses(_ sweep: SweepFolder, environment: [String: String]? = nil) throws -> [RunStatus] {
        var queue: [String: String] = [:]   // "1234_3" → state
        if !sweep.jobs.isEmpty {
            for t in try Slurm.queue(jobs: Array(Set(sweep.jobs.map(\.id))).sorted(), environment: environment) {
                queue["\(t.job)_\(t.task)"] = t.state
            }
        }
        return try sweep.runs.map { name in
            let run = try sweep.run(name)
            let task = sweep.lastTask(of: name).map { "\($0.job)_\($0.task)" }
            let q = task.flatMap { queue[$0] }
            let state: RunState
            switch run.state {
            case .done: state = .done
            case .failed where q.map(Slurm.activeStates.contains) != true: state = .failed
            default:
                if let q {
                    switch q {
                    case "PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD", "SUSPENDED": state = .pending
                    case _ where Slurm.activeStates.contains(q): state = .running
                    default: state = .stopped
                    }
                } else if runsHere(run) {
                    state = .running
                } else {
                    state = task == nil ? .waiting : .stopped
                }
            }
            return RunStatus(name: name, folder: run, state: state, task: task, queueState: q)
        }
    }

    /// Whether a local worker (or session) on this machine is doing the run now: its
    /// last log record is a start by a process that is still alive.
    static func runsHere(_ run: RunFolder) -> Bool {
        guard let last = try? run.records().last, last["event"]?.stringValue == "start",
              last["host"]?.stringValue == ProcessInfo.processInfo.hostName,
              let pid = last["pid"]?.doubleValue.map({ pid_t($0) }), pid > 0 else { return false }
        return pid == getpid() || kill(pid, 0) == 0
    }

    /// A table of the runs' states: the grid's columns, state, task, seconds, error.
    static func statusTable(_ sweep: SweepFolder, _ statuses: [RunStatus]) -> Table {
        let keys = sweep.gridKeys
        let t = Table(columns: keys + ["state", "task", "seconds", "error"])
        for s in statuses {
            var fields: [(String, Value)] = []
            if case .record(let r)? = s.folder.settings["args"].map(ValueJSON.value) {
                fields = keys.map { ($0, r[$0] ?? .null) }
            }
            var error: Value = .null
            if s.state == .failed { error = s.folder.failure.map(Value.string) ?? .null }
            if s.state == .stopped { error = .string(s.queueState.map { "the Slurm task ended \($0.lowercased()) before the run finished" } ?? "the Slurm task ended before the run finished") }
            fields += [("state", .string(s.state.rawValue)), ("task", s.task.map(Value.string) ?? .null),
                       ("seconds", RunResults.seconds(s.folder).map(Value.number) ?? .null), ("error", error)]
            t.appendRow(fields)
        }
        return t
    }

    /// "3/8 done · 2 running · 1 pending · 1 failed"
    static func summary(_ statuses: [RunStatus]) -> String {
        var counts: [RunState: Int] = [:]
        for s in statuses { counts[s.state, default: 0] += 1 }
        var parts = ["\(counts[.done] ?? 0)/\(statuses.count) done"]
        for st in [RunState.running, .pending, .failed, .stopped, .waiting] where (counts[st] ?? 0) > 0 {
            parts.append("\(counts[st]!) \(st == .waiting ? "not started" : st.rawValue)")
        }
        return parts.joined(separator: " · ")
    }
}

/// The merged table of the sweep in `folder` (what `tks collect` prints), with how
/// many of its runs are done and how many failed.
public func collectSweep(_ folder: String) throws -> (table: Table, runs: Int, done: Int, failed: Int) {
    let sweep = try SweepFolder.read(absolutePath(folder))
    let (t, done, failed) = try SweepCollect.table(sweep)
    return (t, sweep.runs.count, done, failed)
}
