import Foundation
import TicketsEngine

/// One run of a sweep, done in this session: what a worker process does with its run,
/// and what workers=0 does with each run in turn.
enum SweepExecution {
    /// Calls the experiment with the run's arguments (and its run folder, when it takes
    /// `run`), then writes the result and marks the run done. A run that fails is
    /// marked failed with its error, which is thrown on. A run stopped by Ctrl-C stays
    /// unfinished.
    static func execute(_ interp: Interpreter, experiment f: Closure, run: RunFolder, at loc: SourceLoc) throws {
        let args = run.settings["args"] ?? .object([])
        let call = "\(f.name)(\(ValueJSON.describe(args)))"
        let start = Date()
        // The run is this process's while it runs: another sweep on the same folder
        // (or a second session) gets "in use by pid N" instead of running it twice.
        let wasLocked = run.lock != nil
        do { try run.lockForWriting() } catch let e as EngineError { throw TicketsError(e, from: "sweep", at: loc) }
        defer { if !wasLocked { run.unlock() } }
        if run.state == .done { return }   // another process finished it meanwhile
        try run.remove(RunFolder.failedFile)
        try run.log([("call", .string(call)), ("event", .string("start")), ("pid", .number(String(getpid()))),
                     ("host", .string(ProcessInfo.processInfo.hostName)), ("threads", .number(String(TwoWay.shared.threads)))])
        do {
            guard case .object(let members) = args else { throw TicketsError.runtime("the run's arguments are not a record") }
            var keywords = members.map { ($0.key, ValueJSON.value($0.value), loc) }
            if f.decl.params.contains(where: { $0.name == SweepPlan.runParameter }) {
                keywords.append((SweepPlan.runParameter, .object(RunObject(run)), loc))
            }
            let value = try interp.callValue(.function(f), positional: [], keywords: keywords, at: loc)
            let table = try RunResults.table(value, rule: "\(f.name) must return a table or a record")
            let seconds = Date().timeIntervalSince(start)
            var fields: [(key: String, value: JSONValue)] = [("call", .string(call)), ("event", .string("done"))]
            if let s = JSONValue.number((seconds * 1000).rounded() / 1000) { fields.append(("seconds", s)) }
            fields.append(("seeds", seeds(args)))
            if let last = table.rows.indices.last, let figures = try? ValueJSON.object(table.row(last), at: "result") {
                fields.append(("figures", figures))
            }
            try run.log(fields)
            try RunResults.finish(run, table, seconds: seconds)
        } catch var e as TicketsError {
            interp.fill(&e)
            if !interp.interrupted {
                let message = oneLine(e)
                try? run.markFailed(message)
                try? run.log([("call", .string(call)), ("event", .string("failed")), ("error", .string(message))])
            }
            throw e
        }
    }

    /// The arguments whose names say they are seeds: {seed: 2}.
    static func seeds(_ args: JSONValue) -> JSONValue {
        guard case .object(let members) = args else { return .object([]) }
        return .object(members.filter { $0.key.lowercased().contains("seed") })
    }

    /// "lesson.tks:5:3: boom": an error on one line, where it happened first.
    static func oneLine(_ e: TicketsError) -> String {
        (e.loc.map { "\($0): " } ?? "") + e.message
    }
}
