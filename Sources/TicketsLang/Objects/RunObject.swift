import TicketsEngine

/// A run folder seen from the language (see `RunFolder`): where a long computation
/// keeps what it has finished, so that calling it again resumes instead of starting
/// over.
///
///     r = run_folder({lr: 0.1, seed: 0}, name="imp")
///     if not r.has("level-3.safetensors") ... save(net, r.file("level-3.safetensors")) ... end
///     r.log({call: "imp", level: 3, figures: {acc: 0.97}})
///     r.finish(t)
final class RunObject: DeclaredMembers {
    let run: RunFolder
    init(_ run: RunFolder) { self.run = run }
    var typeName: String { "run" }

    func describe() -> String {
        let records = (try? run.records().count) ?? 0
        let progress = run.total.map { "\(records)/\($0) records" } ?? "\(records) record\(records == 1 ? "" : "s")"
        return "run \(run.name) \(run.shortHash)  \(run.state.rawValue)  \(progress)  (\(run.path))"
    }

    static let members: [Member<RunObject>] = [
        Member("path", "the folder") { .string($0.run.path) },
        Member("name", "what the run is called (the folder's prefix)") { .string($0.run.name) },
        Member("hash", "SHA-256 of the settings (64 hex digits; the folder is named by the first 12)") { .string($0.run.hash) },
        Member("settings", "what defines the run") { ValueJSON.value($0.run.settings) },
        Member("state", "\"done\", \"failed\" or \"unfinished\"") { .string($0.run.state.rawValue) },
        Member("done", "whether the run has finished (r.finish was called)") { .bool($0.run.state == .done) },
        Member("error", "the error of a failed run (nil otherwise)") { $0.run.failure.map { .string($0) } ?? .null },
        Member("total", "how many log records make the whole run (nil: not said)") { $0.run.total.map { .int($0) } ?? .null },
        Member("file", "r.file(name): the path of a file in the folder, to save or load") { r in
            .builtin(Builtin("file", [.string("name", "a file name (no folders)")], signature: "r.file(name)",
                             doc: "The path of a file in the run folder.") { a in
                .string(try r.run.file(try a.string("name")))
            })
        },
        Member("has", "r.has(name): whether the folder holds that file") { r in
            .builtin(Builtin("has", [.string("name", "a file name (no folders)")], signature: "r.has(name)",
                             doc: "Whether the run folder holds the file.") { a in
                _ = try r.run.file(try a.string("name"))
                return .bool(r.run.has(try a.string("name")))
            })
        },
        Member("log", "r.log(record): appends a record to log.jsonl") { r in
            .builtin(Builtin("log", [.record("record", what: "a record like {call: \"imp\", level: 1, figures: {acc: 0.9}}", optional: false, "what to log")],
                             signature: "r.log(record)",
                             doc: "Appends a record to the run's log (log.jsonl), after the time, the version, the hash and the settings.") { a in
                guard case .object(let fields) = try ValueJSON.object(try a.record("record")!, at: "record") else { return .null }
                try r.run.log(fields)
                return .null
            })
        },
        Member("records", "r.records(): the log as a table, oldest first") { r in
            .builtin(Builtin("records", signature: "r.records()", doc: "The run's log records as a table, oldest first.") { _ in
                let t = Table(columns: [])
                for rec in try r.run.records() {
                    guard case .record(let fields) = ValueJSON.value(rec) else { continue }
                    try t.add(fields)
                }
                return .object(t)
            })
        },
        Member("finish", "r.finish(result): writes the result (a table or a record) and marks the run done") { r in
            .builtin(Builtin("finish", [.any("result", what: "table or record", "the run's result")], signature: "r.finish(result)",
                         doc: "Writes the result to result.json, then done.json: the run is done and is never run again.") { a in
                try RunResults.finish(r.run, try RunResults.table(try a.value("result"), rule: "result must be a table or a record"))
                return .null
            })
        },
        Member("result", "r.result(): the table r.finish wrote") { r in
            .builtin(Builtin("result", signature: "r.result()", doc: "The table the run finished with.") { a in
                guard r.run.state == .done else { throw a.fail("the run in \(r.run.path) has not finished (it is \(r.run.state.rawValue))") }
                return .object(try RunResults.load(r.run))
            })
        },
    ]
}
