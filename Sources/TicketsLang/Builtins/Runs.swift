import Foundation
import TicketsEngine

/// Run folders: where long work keeps what it has finished (see `RunFolder`).
func runBuiltins() -> [Builtin] {
    [
        Builtin("run_folder", [
            .record("settings", what: "a record of plain values like {lr: 0.1, seed: 0}", optional: false, "what defines the run (numbers, strings, true/false, nil, lists, records)"),
            .string("name", "run", "what the run is called: the folder's name starts with it"),
            .string("root", "runs", "the folder run folders are made in"),
            .optionalString("path", "the folder itself, instead of root/name-<hash>"),
            .optionalInt("total", min: 1, "how many log records make the whole run (for runs(): progress as k/total)"),
        ], doc: """
        The folder of a run defined by `settings`: root/name-<first 12 digits of the
        SHA-256 of the settings>, made with its manifest (manifest.json: the settings,
        their hash, the version) on first use. The same settings always give the same
        folder, so work written there survives Ctrl-C, a crash or a closed laptop, and
        calling the same code again can pick up where it stopped. A folder that exists
        with other settings is an error, never a mix of two runs.
          r = run_folder({lr: 0.1, seed: 0}, name="imp")
          r.file("level-1.safetensors")     a path in the folder, for save and load
          r.has("level-1.safetensors")      whether it is there
          r.log({call: "imp", level: 1, figures: {acc: 0.97}})   a line of log.jsonl
          r.records()                       the log as a table
          r.finish(t)                       result.json, then done.json: the run is done
          r.done, r.state, r.result()
        A function among the settings (imp's by=fn ... end) stands for its code: its
        name and the SHA-256 of its canonical form, so an edit to it names another
        folder (the functions it calls and the values it reads from outside are not part
        of it, as for a sweep's experiment).
        Every file is written atomically (a temporary file, then a rename), and log
        records are appended. While r lives the folder is this session's to write in:
        another process that opens it (a second imp(folder=...), a sweep) gets an error
        naming this one ("in use by pid 4242, since ...").
        """) { a in
            let settings = try ValueJSON.json(functionsAsCode(.record(try a.record("settings")!)), at: "settings")
            guard a.ctx.writesFiles else { throw a.fail("cannot make run folders: writing files is turned off in this session") }
            let run = try RunFolder.open(settings: settings, name: try a.string("name"), root: try a.string("root"),
                                         path: try a.optionalString("path"), total: try a.optionalInt("total"))
            return .object(RunObject(run))
        },
        Builtin("runs", [
            .string("folder", "runs", "where to look (run folders up to 3 folders down)"),
        ], doc: """
        The run folders under a folder, as a table: folder, name, hash (12 digits),
        state ("done", "failed", "unfinished"), progress (log records, of total when the
        run said how many), created, then the settings, one column each (a record of
        settings, such as a sweep run's args, gives its fields columns of their own).
        """) { a in
            let folder = try a.string("folder")
            var isDir: ObjCBool = false
            if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) || !isDir.boolValue {
                if a.has("folder") { throw a.fail("folder", "\(quoteString(folder)) is not a folder") }
                return .object(Table(columns: ["folder", "name", "hash", "state", "progress", "created"]))
            }
            let (found, unreadable) = RunFolder.list(under: folder)
            let t = Table(columns: ["folder", "name", "hash", "state", "progress", "created"])
            for run in found {
                let records = (try? run.records().count) ?? 0
                var fields: [(String, Value)] = [
                    ("folder", .string(run.path)), ("name", .string(run.name)), ("hash", .string(run.shortHash)),
                    ("state", .string(run.state.rawValue)),
                    ("progress", .string(run.total.map { "\(records)/\($0)" } ?? "\(records)")),
                    ("created", .string(run.created)),
                ]
                fields += settingColumns(run.settings)
                t.appendRow(fields)
            }
            for (path, reason) in unreadable {
                t.appendRow([("folder", .string(path)), ("state", .string("unreadable")), ("error", .string(reason))])
            }
            return .object(t)
        },
    ]
}

/// A run's settings as table columns: a record of settings gives its fields columns of
/// their own; a 64-digit hash shows its first 12 digits.
func settingColumns(_ settings: JSONValue) -> [(String, Value)] {
    guard case .object(let members) = settings else { return [] }
    var out: [(String, Value)] = []
    let taken = ["folder", "name", "hash", "state", "progress", "created", "error"]
    func add(_ key: String, _ v: JSONValue) {
        let name = out.contains { $0.0 == key } || taken.contains(key) ? "setting." + key : key
        if case .string(let s) = v, s.count == 64, s.allSatisfy(\.isHexDigit) { out.append((name, .string(String(s.prefix(12))))); return }
        out.append((name, ValueJSON.value(v)))
    }
    for m in members {
        if case .object(let inner) = m.value { inner.forEach { add($0.key, $0.value) } } else { add(m.key, m.value) }
    }
    return out
}

/// A run's settings with every user function replaced by {function: name, code:
/// SHA-256 of its canonical form}: what identifies it in a run folder's name.
func functionsAsCode(_ v: Value) -> Value {
    switch v {
    case .function(let c):
        return .record([("function", .string(c.name)), ("code", .string(SHA256.hex(c.decl.canonicalCode)))])
    case .list(let l): return .list(l.items.map(functionsAsCode))
    case .record(let r): return .record(r.fields.map { ($0.0, functionsAsCode($0.1)) })
    default: return v
    }
}
