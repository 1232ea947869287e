import TicketsEngine

/// Plain values as JSON and back: what a run's settings, a grid, a log record and an
/// experiment's results are made of. Numbers keep every digit; a range becomes the list
/// of its numbers. Nets, data sets and functions are not data and cannot be settings.
enum ValueJSON {
    /// The value as JSON, or an error naming where (`where_` such as "grid.lr") the
    /// first thing that is not plain data sits.
    static func json(_ v: Value, at where_: String, depth: Int = 0) throws -> JSONValue {
        guard depth < maxValueNesting else { throw tooDeepError("written as JSON") }
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let x):
            guard let n = JSONValue.number(x) else {
                throw TicketsError.runtime("\(where_) is \(formatNumber(x)), which a settings file cannot hold; give a finite number")
            }
            return n
        case .string(let s): return .string(s)
        case .range(let a, let b):
            guard b - a < 1_000_000 else { throw TicketsError.runtime("\(where_) is a range of more than a million numbers") }
            return .array(a > b ? [] : (a...b).map { .number(String($0)) })
        case .list(let l):
            return .array(try l.items.enumerated().map { try json($0.element, at: "\(where_)[\($0.offset)]", depth: depth + 1) })
        case .record(let r):
            return .object(try r.fields.map { ($0.0, try json($0.1, at: "\(where_).\($0.0)", depth: depth + 1)) })
        case .function, .builtin, .object:
            throw TicketsError.runtime("\(where_) holds \(describeBrief(v)), which is not data; settings are numbers, strings, true/false, nil, lists and records")
        }
    }

    /// A record's fields as a JSON object.
    static func object(_ r: RecordRef, at where_: String) throws -> JSONValue {
        try json(.record(r), at: where_)
    }

    /// JSON as a value: objects become records, arrays lists.
    static func value(_ j: JSONValue) -> Value {
        switch j {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .string(let s): return .string(s)
        case .number(let t): return .number(Double(t) ?? .nan)
        case .array(let items): return .list(items.map(value))
        case .object(let members): return .record(members.map { ($0.key, value($0.value)) })
        }
    }

    /// "lr=0.1, seed=2": arguments as people read them.
    static func describe(_ args: JSONValue) -> String {
        guard case .object(let members) = args else { return args.text() }
        return members.map { "\($0.key)=\(value($0.value).repr)" }.joined(separator: ", ")
    }
}
