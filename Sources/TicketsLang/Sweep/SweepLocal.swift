import Foundation
import TicketsEngine

/// Running a sweep's unfinished runs on this machine: one by one in this session
/// (workers=0), or N at a time, each in a `tks` process of its own (workers=N).
enum SweepLocal {
    /// Runs every unfinished run in this session, in grid order. A failed run is
    /// reported and the others go on; Ctrl-C stops the sweep (finished runs stay).
    static func inSession(_ plan: SweepPlan, _ interp: Interpreter, quiet: Bool, at loc: SourceLoc) throws {
        let todo = plan.runs.filter { $0.state != .done }
        var meter = Meter(total: plan.runs.count, done: plan.runs.count - todo.count, workers: 1)
        for run in todo {
            if interp.interrupted { throw TicketsError(.runtime, "sweep: interrupted; the finished runs are kept in \(plan.folder.path)", at: loc) }
            if !quiet { interp.progress(meter.line(plan.experiment.name, running: 1), redraw: interp.isTerminal, done: false) }
            let start = Date()
            do {
                try SweepExecution.execute(interp, experiment: plan.experiment, run: run, at: loc)
                meter.finished(seconds: Date().timeIntervalSince(start))
            } catch let e as TicketsError {
                if interp.interrupted { throw TicketsError(.runtime, "sweep: interrupted; the finished runs are kept in \(plan.folder.path)", at: loc) }
                meter.failed += 1
                report(interp, plan.experiment.name, run, SweepExecution.oneLine(e))
            }
        }
        if !quiet { interp.progress(meter.line(plan.experiment.name, running: 0), redraw: interp.isTerminal, done: true) }
    }

    /// Runs every unfinished run in worker processes, `workers` at a time, each with
    /// TICKETS_THREADS set so that workers × threads ≤ the cores (and ≤ this session's
    /// own TICKETS_THREADS, when it has one). A worker that crashes
    /// or is killed fails its run alone. Ctrl-C stops the workers (their runs stay
    /// unfinished) and the sweep; the finished runs are kept.
    static func withWorkers(_ plan: SweepPlan, _ interp: Interpreter, workers: Int, tks: String, quiet: Bool, at loc: SourceLoc) throws {
        var queue = plan.runs.filter { $0.state != .done }
        var meter = Meter(total: plan.runs.count, done: plan.runs.count - queue.count, workers: workers)
        var env = ProcessInfo.processInfo.environment
        // workers × threads ≤ cores; TICKETS_THREADS given to this session caps it too.
        var threads = max(1, ProcessInfo.processInfo.activeProcessorCount / workers)
        if let given = env["TICKETS_THREADS"].flatMap({ Int($0) }), given >= 1 { threads = min(threads, given) }
        env["TICKETS_THREADS"] = String(threads)
        var running: [(run: RunFolder, process: ChildProcess, start: Date)] = []
        var lastDraw = Date.distantPast, lastCounts = ""

        defer {
            // However the sweep ends, no worker outlives it unseen: each is asked to stop
            // at its next safe point, and killed if it has not within 10 s.
            for r in running { r.process.signal(SIGINT) }
            let deadline = Date().addingTimeInterval(10)
            while running.contains(where: { !$0.process.poll() }), Date() < deadline { usleep(20_000) }
            for r in running where !r.process.poll() { r.process.signal(SIGKILL); r.process.wait() }
        }
        while !queue.isEmpty || !running.isEmpty {
            if interp.interrupted {
                throw TicketsError(.runtime, "sweep: interrupted; the finished runs are kept in \(plan.folder.path), and the sweep resumes where it stopped when run again", at: loc)
            }
            while running.count < workers, !queue.isEmpty {
                let run = queue.removeFirst()
                try? run.remove(RunFolder.failedFile)
                let log = (try? run.file("output.log")) ?? "/dev/null"
                do {
                    let p = try ChildProcess.start(tks, ["--sweep-worker", run.path], environment: env, output: log)
                    running.append((run, p, Date()))
                } catch let e as EngineError {
                    throw TicketsError(.runtime, "sweep: cannot start a worker: \(e.message)", at: loc)
                }
            }
            var i = 0
            while i < running.count {
                let r = running[i]
                if r.process.poll() {
                    running.remove(at: i)
                    if r.run.state == .done {
                        meter.finished(seconds: Date().timeIntervalSince(r.start))
                    } else if r.process.exitStatus == SweepStop.inUse {
                        meter.elsewhere += 1
                        let args = r.run.settings["args"].map(ValueJSON.describe) ?? ""
                        interp.progress("sweep \(plan.experiment.name): the run \(args) is left to the process that is running it (\(r.run.path) is in use)", redraw: false, done: true)
                    } else {
                        meter.failed += 1
                        let why = r.run.failure ?? workerEnded(r.process.exitStatus ?? 0, r.run)
                        if r.run.state != .failed { try? r.run.markFailed(why) }
                        report(interp, plan.experiment.name, r.run, why)
                    }
                } else {
                    i += 1
                }
            }
            // On a terminal the line is redrawn twice a second; in a log, a line is
            // written when the counts change.
            let counts = "\(meter.done) \(running.count) \(meter.failed)", finished = queue.isEmpty && running.isEmpty
            if !quiet, interp.isTerminal ? Date().timeIntervalSince(lastDraw) > 0.5 || finished : counts != lastCounts {
                let elapsed = running.map { Date().timeIntervalSince($0.start) }
                interp.progress(meter.line(plan.experiment.name, running: running.count, elapsed: elapsed),
                                redraw: interp.isTerminal, done: finished)
                lastDraw = Date()
                lastCounts = counts
            }
            if !running.isEmpty { usleep(20_000) }
        }
    }

    /// Why a worker ended without finishing its run, from its exit status and the end
    /// of its output.
    static func workerEnded(_ status: Int32, _ run: RunFolder) -> String {
        let how = status > 128 ? "was killed (signal \(status - 128))" : "ended with status \(status)"
        var tail = ""
        if let p = try? run.file("output.log"), let bytes = try? readFileBytes(p) {
            let lines = String(decoding: bytes.suffix(2000), as: UTF8.self).split(separator: "\n").map(String.init)
            if let last = lines.last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) { tail = ": " + last }
        }
        return "the worker \(how) before the run finished\(tail) (see \(run.path)/output.log)"
    }

    static func report(_ interp: Interpreter, _ name: String, _ run: RunFolder, _ why: String) {
        let args = run.settings["args"].map(ValueJSON.describe) ?? ""
        interp.progress("sweep \(name): the run \(args) failed: \(why)", redraw: false, done: true)
    }

    /// Counts runs and estimates the time left from the runs finished so far.
    struct Meter {
        let total: Int
        var done: Int
        let workers: Int
        var failed = 0
        /// Runs another process was running (their folders locked): not waited for.
        var elsewhere = 0
        var durations: [Double] = []

        init(total: Int, done: Int, workers: Int) { self.total = total; self.done = done; self.workers = max(1, workers) }

        mutating func finished(seconds: Double) { done += 1; durations.append(seconds) }

        /// "sweep exp: 3/8 done · 2 running · 1 failed · about 40 s left"
        func line(_ name: String, running: Int, elapsed: [Double] = []) -> String {
            var parts = ["\(done)/\(total) done"]
            if running > 0 { parts.append("\(running) running") }
            if failed > 0 { parts.append("\(failed) failed") }
            if elsewhere > 0 { parts.append("\(elsewhere) run by another process") }
            let left = total - done - failed - elsewhere
            if left > 0 {
                if durations.isEmpty {
                    parts.append("estimating the time left")
                } else {
                    let mean = durations.reduce(0, +) / Double(durations.count)
                    let remaining = max(0, (Double(left) * mean - elapsed.reduce(0, +)) / Double(min(workers, left)))
                    parts.append("about \(duration(remaining)) left")
                }
            }
            return "sweep \(name): " + parts.joined(separator: " · ")
        }
    }

    /// "40 s", "3 min", "2.5 h"
    static func duration(_ s: Double) -> String {
        if s < 90 { return "\(Int(s.rounded())) s" }
        if s < 5400 { return "\(Int((s / 60).rounded())) min" }
        return String(format: "%.1f h", s / 3600)
    }
}
