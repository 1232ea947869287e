func tableBuiltins() -> [BuiltinGroup] {
    [BuiltinGroup("Results and scripts", [
        Builtin("table", [
            .list("columns", what: "a list of names", "the column names"),
            .record("formats", what: "a record like {kept: \"%\", acc: \"%.4f\"}", "how a column prints: \"%\" shows fractions as percentages, or a printf format"),
        ], doc: """
        A new, empty table with the given column names. Add rows with t.add({...});
        read t.acc (a column), t[0] (a row), t.rows, t.last.
        """) { a in
            let cols = try a.list("columns").items.map { item -> String in
                guard case .string(let s) = item else { throw a.fail("columns", "must hold strings, got \(item.repr)") }
                return s
            }
            if let dup = cols.first(where: { c in cols.filter { $0 == c }.count > 1 }) {
                throw a.fail("columns", "name \(quoteString(dup)) twice")
            }
            var formats: [String: String] = [:]
            for (k, f) in try a.record("formats")?.fields ?? [] {
                guard case .string(let s) = f, s == "%" || isNumberFormat(s) else {
                    throw a.fail("formats", "\(k) must be \"%\" or a number format like \"%.4f\", got \(f.repr)")
                }
                formats[k] = s
            }
            return .object(Table(columns: cols, formats: formats))
        },
        Builtin("select", [
            .object("table", "table", what: "a table", "the table to read"),
            .list("columns", what: "a list of column names", "the columns to keep, in this order"),
        ], doc: """
        A new table with some of a table's columns, in the order given, with their
        formats: select(t, ["level", "kept", "acc"]).
        """) { a in
            let t = try a.object("table", as: Table.self)
            let cols = try a.list("columns").items.map { item -> String in
                guard case .string(let s) = item else { throw a.fail("columns", "must hold column names, got \(item.repr)") }
                guard t.columns.contains(s) else {
                    throw a.fail("columns", "names \(quoteString(s)), which the table does not have (it has \(t.columns.joined(separator: ", ")))")
                }
                return s
            }
            let out = Table(columns: cols, formats: t.formats.filter { cols.contains($0.key) })
            for i in 0..<t.rows.count {
                let row = t.row(i)
                out.appendRow(cols.map { ($0, row[$0] ?? .null) })
            }
            return .object(out)
        },
    ])]
}
