import Foundation
import TicketsEngine

/// What the prompt's meta-commands ask of a session: the user's variables (`:vars`),
/// a fresh start (`:reset`), a script run into it (`:load`).
extension Interpreter {
    /// The names the user defined (not the builtins' and the library's), in order.
    public var userNames: [String] {
        globals.vars.keys.filter { !protectedNames.contains($0) && !$0.hasPrefix("_") }.sorted()
    }

    /// Forgets every variable and function the user defined; builtins, the standard
    /// library and settings stay.
    public func reset() {
        for name in userNames { globals.vars[name] = nil }
        for name in globals.vars.keys where name.hasPrefix("_") && !protectedNames.contains(name) { globals.vars[name] = nil }
    }

    /// `:vars`: each user variable with its type and size, as aligned columns.
    public func variablesTable() -> String {
        let rows = userNames.compactMap { name in globals.vars[name].map { (name, $0.typeName, valueSummary($0)) } }
        guard !rows.isEmpty else { return "(no variables yet)" }
        let w1 = max(4, rows.map(\.0.count).max() ?? 0), w2 = max(4, rows.map(\.1.count).max() ?? 0)
        func pad(_ s: String, _ w: Int) -> String { s.padding(toLength: w, withPad: " ", startingAt: 0) }
        return ([pad("name", w1) + "  " + pad("type", w2) + "  value"]
                + rows.map { pad($0.0, w1) + "  " + pad($0.1, w2) + "  " + $0.2 }).joined(separator: "\n")
    }

}

/// A value in a few words: its size, or itself when it is short (`:vars`, `help(x)`).
func valueSummary(_ v: Value) -> String {
    func plural(_ n: Int, _ word: String) -> String { "\(grouped(n)) \(word)\(n == 1 ? "" : "s")" }
    switch v {
    case .null, .bool, .number, .range:
        return v.repr
    case .string(let s):
        return s.count <= 40 ? v.repr : quoteString(String(s.prefix(37))) + "... (\(plural(s.count, "character")))"
    case .list(let l):
        // A few masks or pruned nets show their densities: "2 items: <mask 5.17% kept>, ...".
        let briefs = l.items.prefix(4).compactMap { v -> String? in
            if case .object(let o) = v, let b = o.brief { return "<\(o.typeName) \(b)>" }
            return nil
        }
        guard !briefs.isEmpty, briefs.count == min(l.items.count, 4) else { return plural(l.items.count, "item") }
        return clipped(plural(l.items.count, "item") + ": " + briefs.joined(separator: ", ") + (l.items.count > 4 ? ", ..." : ""))
    case .record(let r):
        let keys = r.keys.prefix(6).joined(separator: ", ") + (r.keys.count > 6 ? ", ..." : "")
        return plural(r.fields.count, "field") + (r.fields.isEmpty ? "" : ": " + keys)
    case .function(let c):
        return c.signature
    case .builtin(let b):
        return b.signature
    case .object(let t as Table):
        let columns = t.columns.prefix(8).joined(separator: ", ") + (t.columns.count > 8 ? ", ..." : "")
        return "\(plural(t.rows.count, "row")) × \(plural(t.columns.count, "column"))" + (t.columns.isEmpty ? "" : " (\(columns))")
    case .object(let n as NetObject):
        // A pruned net shows its density, not the parameters it started with.
        if let d = n.densityLine { return clipped(n.net.architecture + "  " + d) }
        return clipped(n.describe().split(separator: "\n").first.map(String.init) ?? "")
    case .object(let p as PlotObject):
        return "\(p.kindName)\(p.figure.title.isEmpty ? "" : " \(quoteString(p.figure.title))"), \(plural(p.pointCount, "point"))"
    case .object(let o):
        return clipped(o.describe().split(separator: "\n").first.map(String.init) ?? "")
    }
}

/// A summary line cut to 90 characters.
func clipped(_ line: String) -> String { line.count <= 90 ? line : String(line.prefix(87)) + "..." }

extension Value {
    var isNull: Bool { if case .null = self { true } else { false } }
}

extension Interpreter {
    /// For rehearsing a lesson in seconds (and for testing the docs): from now on
    /// `dataset(...)` keeps only the first `train` training examples (plus any it holds
    /// out for validation) and the first `test` test examples, unless the call says
    /// how many itself. The tks command turns it on with TKS_DATASET_LIMIT=N.
    public func limitDatasets(train: Int, test: Int) {
        guard case .builtin(let original)? = globals.vars["dataset"] else { return }
        globals.vars["dataset"] = .builtin(Builtin(original.name, original.params, variadic: original.variadic,
                                                   doc: original.doc, validate: original.validate) { a in
            var given = a.values
            var validation = 0
            if case .number(let v)? = given["validation"] { validation = Int(v) }
            if given["train"] == nil || given["train"]?.isNull == true { given["train"] = .int(train + validation) }
            if given["test"] == nil || given["test"]?.isNull == true { given["test"] = .int(test) }
            let keywords = given.map { ($0.key, $0.value, a.locs[$0.key] ?? a.callLoc) }
            return try original.fn(try Args(builtin: original, ctx: a.ctx, callLoc: a.callLoc, positional: [], keywords: keywords))
        })
    }
}
