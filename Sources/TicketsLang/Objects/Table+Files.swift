import Foundation
import TicketsEngine

/// Tables as files: CSV (a header row, then one line per row) and JSON (a list of
/// records, one per row). Both load back as tables.
extension Table {
    /// A list of records: [{"level": 0, "kept": 1, "acc": 0.8775}, ...]. Numbers keep
    /// full precision; nil, NaN and infinities (which JSON lacks) are null. A list that
    /// holds itself, or nesting past `maxValueNesting`, is an error.
    public func json() throws -> String {
        let state = ReprState.inside(self)
        var path = Set<ObjectIdentifier>()
        var budget = Interpreter.maxListItems   // a list shared many times is written each time
        func value(_ v: Value) throws -> String {
            budget -= 1
            guard budget >= 0 else {
                throw TicketsError.runtime("the table's values would write more than \(grouped(Interpreter.maxListItems)) JSON items")
            }
            let ref: AnyObject
            switch v {
            case .list(let l): ref = l
            case .record(let r): ref = r
            default: return try container(v)
            }
            guard path.count < maxValueNesting else { throw tooDeepError("written as JSON") }
            guard path.insert(ObjectIdentifier(ref)).inserted else {
                throw TicketsError.runtime("a list or record in the table holds itself and cannot be written as JSON")
            }
            defer { path.remove(ObjectIdentifier(ref)) }
            return try container(v)
        }
        func container(_ v: Value) throws -> String {
            switch v {
            case .null: return "null"
            case .bool(let b): return b ? "true" : "false"
            case .number(let x): return x.isFinite ? (x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)") : "null"
            case .string(let s): return jsonQuoted(s)
            case .list(let l): return "[" + (try l.items.map(value)).joined(separator: ", ") + "]"
            case .record(let r): return "{" + (try r.fields.map { "\(jsonQuoted($0.0)): \(try value($0.1))" }).joined(separator: ", ") + "}"
            default: return jsonQuoted(v.repr(state))
            }
        }
        let rowsText = try rows.map { row in
            "  {" + (try zip(columns, row).map { "\(jsonQuoted($0)): \(try value($1))" }).joined(separator: ", ") + "}"
        }
        return "[\n" + rowsText.joined(separator: ",\n") + "\n]\n"
    }

    /// A table from CSV text: the first line names the columns; a cell that reads as a
    /// number is a number, an empty cell nil, anything else a string.
    public static func fromCSV(_ text: String, name: String) throws -> Table {
        var records = try parseCSV(text, name: name)
        guard !records.isEmpty else { throw EngineError.io("\(name): the file is empty; a CSV table starts with a header line") }
        let header = records.removeFirst()
        if let dup = header.first(where: { h in header.filter { $0 == h }.count > 1 }) {
            throw EngineError.io("\(name): the header names the column \"\(dup)\" twice")
        }
        let t = Table(columns: header)
        for (i, r) in records.enumerated() {
            guard r.count == header.count else {
                throw EngineError.io("\(name): line \(i + 2) has \(r.count) fields but the header has \(header.count)")
            }
            t.appendRow(zip(header, r).map { ($0, cellValue($1)) })
        }
        return t
    }

    static func cellValue(_ s: String) -> Value {
        if s.isEmpty { return .null }
        if let x = Double(s), s.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) ?? false { return .number(x) }
        if s == "nan" { return .number(.nan) }
        return .string(s)
    }

    /// Fields of RFC 4180 CSV: commas, double-quoted fields with "" for a quote,
    /// line ends \n or \r\n.
    static func parseCSV(_ text: String, name: String) throws -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false, atFieldStart = true
        var chars = Array(text.replacingOccurrences(of: "\r\n", with: "\n"))
        if chars.last != "\n" { chars.append("\n") }
        var i = 0, line = 1
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
            } else if c == "\"" && atFieldStart {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""; atFieldStart = true; i += 1; continue
            } else if c == "\n" {
                row.append(field); field = ""
                if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
                row = []; line += 1; atFieldStart = true; i += 1; continue
            } else {
                field.append(c)
            }
            atFieldStart = false
            i += 1
        }
        if quoted { throw EngineError.io("\(name): a quoted field is not closed (it opens before line \(line))") }
        return rows
    }

    /// A table from a JSON list of records (columns in order of first appearance).
    public static func fromJSON(_ bytes: [UInt8], name: String) throws -> Table {
        let json = try JSONReader.parse(bytes, name: name, what: "the file")
        guard case .array(let items) = json else { throw EngineError.io("\(name): a JSON table is a list of records, got \(json.kind)") }
        let t = Table(columns: [])
        for (i, item) in items.enumerated() {
            guard case .object(let fields) = item else { throw EngineError.io("\(name): item \(i) is \(item.kind), not a record") }
            t.appendRow(try fields.map { ($0.key, try value($0.value, name: name)) })
        }
        return t
    }

    static func value(_ j: JSONValue, name: String, depth: Int = 0) throws -> Value {
        switch j {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .string(let s): return .string(s)
        case .number(let text):
            guard let x = Double(text) else { throw EngineError.io("\(name): \(text) is not a number Tickets can hold") }
            return .number(x)
        case .array(let a): return .list(try a.map { try value($0, name: name, depth: depth + 1) })
        case .object(let o): return .record(try o.map { ($0.key, try value($0.value, name: name, depth: depth + 1)) })
        }
    }
}
