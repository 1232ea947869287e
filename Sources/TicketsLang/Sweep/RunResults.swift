import TicketsEngine

/// A run's result as files: result.json (a table as `save` writes it, so `load` reads
/// it back) and, last, done.json, which marks the run finished and keeps the table's
/// column formats.
enum RunResults {
    static let resultFile = "result.json"

    /// A table or a record (one row) as a table; anything else is an error saying
    /// `rule` ("experiment must return a table or a record").
    static func table(_ v: Value, rule: String) throws -> Table {
        switch v {
        case .object(let t as Table): return t
        case .record(let r):
            let t = Table(columns: [])
            try t.add(r)
            return t
        default:
            throw TicketsError.runtime("\(rule), got \(describeBrief(v))")
        }
    }

    /// Writes the result, then done.json: a run killed between the two is unfinished,
    /// never done without its result.
    static func finish(_ run: RunFolder, _ result: Table, seconds: Double? = nil) throws {
        try run.write(Array(try result.json().utf8), to: resultFile)
        var fields: [(key: String, value: JSONValue)] = [("rows", .number(String(result.rows.count)))]
        if let seconds, let s = JSONValue.number((seconds * 1000).rounded() / 1000) { fields.append(("seconds", s)) }
        if !result.formats.isEmpty {
            fields.append(("formats", .object(result.formats.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        try run.markDone(fields)
    }

    /// The table a finished run wrote, with its formats.
    static func load(_ run: RunFolder) throws -> Table {
        let path = try run.file(resultFile)
        let t = try Table.fromJSON(try readFileBytes(path), name: path)
        if case .object(let formats)? = run.doneRecord?["formats"] {
            for (k, v) in formats { if let s = v.stringValue { t.formats[k] = s } }
        }
        return t
    }

    /// How long a finished run took, from done.json.
    static func seconds(_ run: RunFolder) -> Double? { run.doneRecord?["seconds"]?.doubleValue }
}
