import Foundation
import TicketsEngine

/// The worker's side of a sweep: `tks --sweep-worker RUN` reads the run's manifest,
/// goes to the sweep's working folder and runs the script that defines the experiment
/// from the top, with the same name=value settings. When the script reaches sweep() of
/// the run's experiment, the run is done here (`reach`) and the script stops.
public enum SweepWorker {
    /// What the worker needs to know before it runs the script.
    public struct Job {
        public let script: String
        public let workingFolder: String
        public let settings: [String: String]
        public let experiment: String
    }

    /// Reads a run folder's manifest for the worker. An unreadable folder or one that is
    /// not a sweep's run is an error (and, when the folder can be written, its failure).
    public static func job(run path: String) throws -> Job {
        let run = try RunFolder.read(path)
        guard let experiment = run.settings["experiment"]?.stringValue, let info = run.info,
              let script = info["script"]?.stringValue, let cwd = info["cwd"]?.stringValue else {
            throw EngineError.io("\(path) is not the run folder of a sweep (its manifest lacks the experiment or the script)")
        }
        guard !script.hasPrefix("<") else {
            throw EngineError("\(path) is a run of an experiment defined at the prompt (\(script)); only that session can run it (workers=0)")
        }
        var settings: [String: String] = [:]
        if case .object(let members)? = info["settings"] {
            for m in members { if let s = m.value.stringValue { settings[m.key] = s } }
        }
        return Job(script: script, workingFolder: cwd, settings: settings, experiment: experiment)
    }

    /// Records a failure that happened before the experiment could run (the script does
    /// not parse, never reaches the sweep), so the sweep can report it.
    public static func fail(run path: String, _ message: String) {
        guard let run = try? RunFolder.read(path), run.state != .done else { return }
        try? run.markFailed(message)
    }

    /// sweep() reached in a worker. The run's own experiment: do the run, then stop
    /// the script. Another experiment: start nothing, give what its folder holds.
    static func reach(_ a: Args, _ interp: Interpreter, experiment: Value, runPath: String) throws -> Value {
        let run = try RunFolder.read(runPath)
        guard case .function(let f) = experiment, f.name == run.settings["experiment"]?.stringValue else {
            let name: String
            if case .function(let c) = experiment { name = c.name } else { name = "?" }
            let folder = absolutePath(try a.optionalString("folder") ?? "runs/\(name)")
            guard SweepFolder.exists(folder) else {
                throw a.fail("a worker process starts no other sweep, and \(folder) holds no runs of \(name)")
            }
            return .object(try SweepCollect.table(try SweepFolder.read(folder)).table)
        }
        guard SHA256.hex(f.decl.canonicalCode) == run.settings["code"]?.stringValue else {
            let message = "the script has changed since the sweep was planned: \(f.name) is no longer the code this run was made for; run the sweep again"
            try? run.markFailed(message)
            throw a.fail(message)
        }
        // Another sweep's worker (or a session) may be running it: that is not a
        // failure of the run, and the sweep that started this worker says so. Whether
        // it is done is read once the folder is locked, so a run that another process
        // has just finished is not run again.
        do { try run.lockForWriting() } catch let e as EngineError {
            throw SweepStop(message: e.message, status: SweepStop.inUse)
        }
        if run.state == .done {
            throw SweepStop(message: "\(run.path): already done", status: 0)
        }
        try SweepExecution.execute(interp, experiment: f, run: run, at: a.callLoc)
        throw SweepStop(message: nil, status: 0)
    }
}
