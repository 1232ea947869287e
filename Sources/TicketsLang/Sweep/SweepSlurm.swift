import Foundation
import TicketsEngine

/// A sweep on a Slurm cluster: the runs not yet finished (nor queued) become one job
/// array, each task running `tks --sweep-worker RUN` in the shared run folder.
enum SweepSlurm {
    /// Slurm's largest array is MaxArraySize − 1 (1000 by default): longer sweeps are
    /// submitted as several arrays.
    static let maxArray = 1000

    /// Submits the runs that are neither done nor pending or running in Slurm. Returns
    /// the new jobs' ids (none when every run is done or queued).
    static func submit(_ plan: SweepPlan, options base: Slurm.Options, tks: String) throws -> (jobs: [String], runs: Int) {
        let statuses = try SweepCollect.statuses(plan.folder)
        let todo = statuses.filter { [.failed, .stopped, .waiting].contains($0.state) }
        guard !todo.isEmpty else { return ([], 0) }
        let sweep = plan.folder
        let logFolder = (sweep.path as NSString).appendingPathComponent("slurm")
        do {
            try FileManager.default.createDirectory(atPath: logFolder, withIntermediateDirectories: true)
        } catch {
            throw TicketsError.io("cannot make \(logFolder) (\((error as NSError).localizedDescription))")
        }
        var ids: [String] = []
        for start in stride(from: 0, to: todo.count, by: maxArray) {
            let chunk = Array(todo[start..<min(todo.count, start + maxArray)])
            let number = sweep.jobs.count + 1
            let scriptPath = (logFolder as NSString).appendingPathComponent("job-\(number).sbatch")
            let text = Slurm.batchScript(base, command: [tks, "--sweep-worker"], runs: chunk.map { $0.folder.path },
                                         workingFolder: FileManager.default.currentDirectoryPath, logFolder: logFolder,
                                         title: "Tickets sweep of \(sweep.experiment) (\(sweep.path)): \(chunk.count) run\(chunk.count == 1 ? "" : "s")")
            try writeAtomically(Array(text.utf8), to: scriptPath)
            let id = try Slurm.submit(script: scriptPath)
            sweep.jobs.append(SweepFolder.Job(id: id, runs: chunk.map(\.name), script: scriptPath, submitted: RunFolder.timestamp()))
            try sweep.write()
            ids.append(id)
        }
        return (ids, todo.count)
    }

    /// Blocks until no run is pending or running, with a progress line; returns the
    /// last statuses. Ctrl-C stops the waiting, not the runs.
    static func wait(_ sweep: SweepFolder, _ ctx: BuiltinContext, every: Double, quiet: Bool) throws -> [SweepCollect.RunStatus] {
        var lastSummary = ""
        while true {
            let statuses = try SweepCollect.statuses(sweep)
            let active = statuses.filter { $0.state == .running || $0.state == .pending }
            // In a log (not a terminal), a line only when the counts change.
            let summary = SweepCollect.summary(statuses)
            if !quiet, ctx.isTerminal || summary != lastSummary {
                ctx.progress("sweep \(sweep.experiment): " + summary + estimate(statuses), redraw: ctx.isTerminal, done: active.isEmpty)
                lastSummary = summary
            }
            if active.isEmpty { return statuses }
            let until = Date().addingTimeInterval(every)
            while Date() < until {
                if ctx.interrupted {
                    throw TicketsError.runtime("interrupted; the runs go on in Slurm: status(s) shows them, collect(s) merges what has finished")
                }
                usleep(50_000)
            }
        }
    }

    /// " · about 3 min left", from the finished runs' times and how many run at once.
    static func estimate(_ statuses: [SweepCollect.RunStatus]) -> String {
        let times = statuses.compactMap { $0.state == .done ? RunResults.seconds($0.folder) : nil }
        let running = statuses.filter { $0.state == .running }.count
        let left = statuses.filter { $0.state == .running || $0.state == .pending }.count
        guard !times.isEmpty, left > 0 else { return "" }
        let mean = times.reduce(0, +) / Double(times.count)
        return " · about \(SweepLocal.duration(mean * Double(left) / Double(max(1, running)))) left"
    }
}
