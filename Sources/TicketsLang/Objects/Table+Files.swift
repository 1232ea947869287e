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

    /// A table from a JSON list of records (columns in order of first appearance). The
    /// columns are gathered first, so that rows × columns is checked against the
    /// limits before any row is made, and each row is made once at its full width.
    public static func fromJSON(_ bytes: [UInt8], name: String) throws -> Table {
        let json = try JSONReader.parse(bytes, name: name, what: "the file")
        guard case .array(let items) = json else { throw EngineError.io("\(name): a JSON table is a list of records, got \(json.kind)") }
        var columns: [String] = [], index: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            guard case .object(let fields) = item else { throw EngineError.io("\(name): item \(i) is \(item.kind), not a record") }
            for (key, _) in fields where index[key] == nil {
                index[key] = columns.count
                columns.append(key)
            }
        }
        try checkSize(rows: items.count, columns: columns.count, name: name)
        let t = Table(columns: columns)
        for (i, item) in items.enumerated() {
            if i & 0xFFF == 0 { try Interrupt.check("reading \(name)") }
            guard case .object(let fields) = item else { continue }
            var row = [Value](repeating: .null, count: columns.count)
            for (key, v) in fields { row[index[key]!] = try value(v, name: name) }
            t.appendRowValues(row)
        }
        return t
    }

    /// A table may hold 10,000,000 rows, and its cells must fit the memory budget.
    static func checkSize(rows: Int, columns: Int, name: String) throws {
        guard rows <= Interpreter.maxListItems else {
            throw EngineError.io("\(name) has more than \(grouped(Interpreter.maxListItems)) rows, as many as a table may hold")
        }
        let cells = MemoryBudget.product([rows, columns])
        try MemoryBudget.check(MemoryBudget.product([cells, MemoryLayout<Value>.stride]),
                               for: "\(name): a table of \(grouped(rows)) rows × \(grouped(columns)) columns", file: true)
    }

    static func value(_ j: JSONValue, name: String, depth: Int = 0) throws -> Value {
        switch j {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .string(let s): return .string(s)
        case .number(let text):
            guard let x = Double(text), x.isFinite else { throw EngineError.io("\(name): \(text) is not a number Tickets can hold (beyond ±1.8e308)") }
            return .number(x)
        case .array(let a): return .list(try a.map { try value($0, name: name, depth: depth + 1) })
        case .object(let o): return .record(try o.map { ($0.key, try value($0.value, name: name, depth: depth + 1)) })
        }
    }
}
