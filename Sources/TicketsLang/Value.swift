import Foundation

/// A value of the language. Lists, records and engine objects are references (as in
/// Python): `b = a; push(b, 1)` changes `a` too.
public enum Value {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case list(ListRef)
    case record(RecordRef)
    /// `a..b`, both ends included, integers.
    case range(Int, Int)
    case function(Closure)
    case builtin(Builtin)
    case object(any TicketsObject)

    public static func list(_ items: [Value]) -> Value { .list(ListRef(items)) }
    public static func record(_ fields: [(String, Value)]) -> Value { .record(RecordRef(fields)) }
    public static func int(_ i: Int) -> Value { .number(Double(i)) }

    /// The name users see in error messages: "number", "string", "net", ...
    public var typeName: String {
        switch self {
        case .null: return "nil"
        case .bool: return "bool"
        case .number: return "number"
        case .string: return "string"
        case .list: return "list"
        case .record: return "record"
        case .range: return "range"
        case .function, .builtin: return "function"
        case .object(let o): return o.typeName
        }
    }

    /// Python-like truth: nil, false, 0, "" and empty lists/records are false.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .number(let x): return x != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.items.isEmpty
        case .record(let r): return !r.fields.isEmpty
        case .range(let a, let b): return a <= b
        default: return true
        }
    }

    /// What `print` shows: strings without quotes.
    public var display: String {
        if case .string(let s) = self { return s }
        return repr
    }

    /// What the REPL shows, and how values look inside lists and records.
    public var repr: String { repr(depth: 0) }

    /// Lists and records may contain themselves: past a depth, show an ellipsis.
    func repr(depth: Int) -> String {
        if depth > 32 { return "..." }
        switch self {
        case .null: return "nil"
        case .bool(let b): return b ? "true" : "false"
        case .number(let x): return formatNumber(x)
        case .string(let s): return quoteString(s)
        case .list(let l): return "[" + l.items.map { $0.repr(depth: depth + 1) }.joined(separator: ", ") + "]"
        case .record(let r):
            if let style = r.style { return style(r) }
            if r.fields.isEmpty { return "{}" }
            return "{" + r.fields.map { "\(recordKey($0.0)): \($0.1.repr(depth: depth + 1))" }.joined(separator: ", ") + "}"
        case .range(let a, let b): return "\(a)..\(b)"
        case .function(let c): return "<fn \(c.name)>"
        case .builtin(let b): return "<builtin \(b.name)>"
        case .object(let o): return o.describe()
        }
    }
}

/// Integers print without a decimal point; other numbers with 6 significant digits.
public func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return String(format: "%.6g", x)
}

/// A fraction as a percentage with two decimals: 0.8004 → "80.04%".
public func formatPercent(_ x: Double) -> String { String(format: "%.2f%%", x * 100) }

func quoteString(_ s: String) -> String {
    var out = "\""
    for ch in s {
        switch ch {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default: out.append(ch)
        }
    }
    return out + "\""
}

func recordKey(_ k: String) -> String {
    let ok = k.first.map { $0.isLetter || $0 == "_" } ?? false
        && k.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    return ok ? k : quoteString(k)
}

public final class ListRef {
    public var items: [Value]
    public init(_ items: [Value]) { self.items = items }
}

/// A record keeps its fields in insertion order. A builtin may give it a `style`, the
/// one line it prints as (`density(m)` prints `80.04% kept  (fc1 80.00% · ...)`); it
/// is still an ordinary record for reading fields.
public final class RecordRef {
    public private(set) var fields: [(String, Value)]
    public var style: ((RecordRef) -> String)?
    public init(_ fields: [(String, Value)], style: ((RecordRef) -> String)? = nil) {
        self.fields = []
        self.style = style
        for (k, v) in fields { self[k] = v }
    }
    public subscript(key: String) -> Value? {
        get { fields.first(where: { $0.0 == key })?.1 }
        set {
            if let i = fields.firstIndex(where: { $0.0 == key }) {
                if let newValue { fields[i].1 = newValue } else { fields.remove(at: i) }
            } else if let newValue {
                fields.append((key, newValue))
            }
        }
    }
    public var keys: [String] { fields.map(\.0) }
}

/// An engine object seen from the language: a net, a mask, a snapshot, a data set, a
/// table. Members are read with `x.name`; `describe()` is what the REPL prints.
public protocol TicketsObject: AnyObject {
    var typeName: String { get }
    func describe() -> String
    /// The value of `x.name`, or nil when there is no such member.
    func member(_ name: String) -> Value?
    /// The names `member` answers, for error messages and `help`.
    var memberNames: [String] { get }
    /// `x[i]`, when the object can be indexed (nil: it cannot).
    func index(_ i: Value) throws -> Value?
    /// `len(x)`, when it has a length.
    var length: Int? { get }
}

extension TicketsObject {
    public func index(_ i: Value) throws -> Value? { nil }
    public var length: Int? { nil }
}

/// Structural equality for plain values, identity for references to engine objects
/// and functions.
public func valuesEqual(_ a: Value, _ b: Value, depth: Int = 0) -> Bool {
    if depth > 32 { return false }   // a list that contains itself
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.list(let x), .list(let y)):
        return x === y || (x.items.count == y.items.count && zip(x.items, y.items).allSatisfy { valuesEqual($0, $1, depth: depth + 1) })
    case (.record(let x), .record(let y)):
        return x === y || (x.fields.count == y.fields.count && x.fields.allSatisfy { k, v in y[k].map { valuesEqual(v, $0, depth: depth + 1) } ?? false })
    case (.range(let a1, let b1), .range(let a2, let b2)): return a1 == a2 && b1 == b2
    case (.function(let x), .function(let y)): return x === y
    case (.builtin(let x), .builtin(let y)): return x.name == y.name
    case (.object(let x), .object(let y)): return x === y
    default: return false
    }
}

/// Whether a user-given printf format formats exactly one number safely:
/// "%", flags, width, precision, then f, g or e (nothing that reads more arguments).
public func isNumberFormat(_ f: String) -> Bool {
    f.wholeMatch(of: /%[-+ 0#]{0,4}[0-9]{0,2}(\.[0-9]{1,2})?[fgeFGE]/) != nil
}
