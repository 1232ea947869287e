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
    /// Boxed: a `Builtin` is about 100 bytes, and every value of a list or a table's
    /// cell would take as much (24 bytes instead).
    indirect case builtin(Builtin)
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
    public var repr: String {
        let state = ReprState()
        return repr(state)
    }

    /// Lists and records may contain themselves, or one value many times: a value
    /// already being printed shows as `[...]`/`{...}`, and past a budget of items the
    /// rest is elided, so printing always ends.
    public func repr(_ state: ReprState) -> String {
        state.budget -= 1
        if state.budget < 0 { return "..." }
        switch self {
        case .null: return "nil"
        case .bool(let b): return b ? "true" : "false"
        case .number(let x): return formatNumber(x)
        case .string(let s): return quoteString(s)
        case .list(let l):
            guard state.depth < maxValueNesting else { state.tooDeep = true; return "[...]" }
            guard state.enter(l) else { return "[...]" }
            defer { state.leave(l) }
            let n = l.items.count, edge = ReprState.edgeItems
            if !state.full && n > ReprState.summaryThreshold {
                // NumPy's summary: the first and last few items.
                let shown = l.items[..<edge].map { $0.repr(state) } + ["..."] + l.items[(n - edge)...].map { $0.repr(state) }
                return "[" + shown.joined(separator: ", ") + "]"
            }
            return "[" + l.items.map { $0.repr(state) }.joined(separator: ", ") + "]"
        case .record(let r):
            guard state.depth < maxValueNesting else { state.tooDeep = true; return "{...}" }
            guard state.enter(r) else { return "{...}" }
            defer { state.leave(r) }
            if let style = r.style { return style(r, state) }
            if r.fields.isEmpty { return "{}" }
            return "{" + r.fields.map { "\(recordKey($0.0)): \($0.1.repr(state))" }.joined(separator: ", ") + "}"
        case .range(let a, let b): return "\(a)..\(b)"
        case .function(let c): return "<fn \(c.name)>"
        case .builtin(let b): return "<builtin \(b.name)>"
        case .object(let o):
            // Inside a container an object shows briefly; a table may hold itself.
            if state.depth > 0 { return "<\(o.typeName)\(o.brief.map { " " + $0 } ?? "")>" }
            guard state.enter(o) else { return "<\(o.typeName)>" }
            defer { state.leave(o) }
            return o.describe(full: state.full)
        }
    }
}

/// What `repr` carries down a value: the containers being printed, and how many more
/// items it may print.
public final class ReprState {
    var path: Set<ObjectIdentifier> = []
    var budget = 100_000
    /// Set when a part nested deeper than `maxValueNesting` was cut off: printing stops
    /// there rather than overflow the stack, and `checkedRepr` turns it into an error.
    public internal(set) var tooDeep = false
    /// Every item of a long list (`show(x, all=true)`); otherwise a summary.
    var full = false
    /// Lists longer than this print as their first and last `edgeItems` (NumPy's rule).
    static let summaryThreshold = 1000
    static let edgeItems = 3
    var depth: Int { path.count }
    func enter(_ o: AnyObject) -> Bool { path.insert(ObjectIdentifier(o)).inserted }
    func leave(_ o: AnyObject) { path.remove(ObjectIdentifier(o)) }
    /// A state for printing the parts of `o`, which is being printed.
    static func inside(_ o: AnyObject) -> ReprState {
        let s = ReprState()
        _ = s.enter(o)
        return s
    }
}

/// Integers print without a decimal point; other numbers with 6 significant digits.
public func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded(), abs(x) < 9e18 { return String(Int64(x)) }
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
    /// 1 + the nesting of the deepest item when the list was made, raised as items are
    /// added through the language (see `maxValueNesting`).
    public var depth: Int
    public init(_ items: [Value]) {
        self.items = items
        depth = 1 + (items.lazy.map(\.nesting).max() ?? 0)
    }
    deinit { releaseIteratively(&items) }
}

/// A record keeps its fields in insertion order. A builtin may give it a `style`, the
/// one line it prints as (`density(m)` prints `80.04% kept  (fc1 80.00% · ...)`); it
/// is still an ordinary record for reading fields.
public final class RecordRef {
    public private(set) var fields: [(String, Value)]
    public var style: ((RecordRef, ReprState) -> String)?
    /// As for lists: 1 + the nesting of the deepest field.
    public var depth = 1
    public init(_ fields: [(String, Value)], style: ((RecordRef, ReprState) -> String)? = nil) {
        self.fields = []
        self.style = style
        for (k, v) in fields { self[k] = v }
    }
    deinit { releaseIteratively(&fields) }
    /// Moves the fields that hold further values into `pending` (see `releaseIteratively`).
    func releaseFields(into pending: inout [Value]) {
        pending.append(contentsOf: fields.map(\.1).filter(\.holdsValues))
        fields = []
    }
    public subscript(key: String) -> Value? {
        get { fields.first(where: { $0.0 == key })?.1 }
        set {
            if let newValue { depth = max(depth, newValue.nesting + 1) }
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
    /// A few words shown inside a container, `[<mask 5.17% kept>, ...]` (nil: the type alone).
    var brief: String? { get }
    /// What the REPL prints: a summary of a large object unless `full`
    /// (`show(t, all=true)`); most objects are small and print the same either way.
    func describe(full: Bool) -> String
}

extension TicketsObject {
    public func describe(full: Bool) -> String { describe() }
    public func index(_ i: Value) throws -> Value? { nil }
    public var length: Int? { nil }
    public var brief: String? { nil }
}

/// Structural equality for plain values, identity for references to engine objects
/// and functions. Containers that hold themselves compare equal where their cycles
/// match; very large or deep comparisons give up with `false` (see `EqualityState`).
public func valuesEqual(_ a: Value, _ b: Value) -> Bool {
    let state = EqualityState()
    return valuesEqual(a, b, state)
}

final class EqualityState {
    var path: Set<[ObjectIdentifier]> = []
    var budget = 1_000_000
    /// Set when the comparison met containers nested deeper than `maxValueNesting`
    /// and stopped there (see `checkedEqual`).
    var tooDeep = false
}

func valuesEqual(_ a: Value, _ b: Value, _ state: EqualityState) -> Bool {
    state.budget -= 1
    if state.budget < 0 { return false }
    if state.path.count >= maxValueNesting { state.tooDeep = true; return false }
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.list(let x), .list(let y)):
        if x === y { return true }
        guard x.items.count == y.items.count else { return false }
        let key = [ObjectIdentifier(x), ObjectIdentifier(y)]
        guard state.path.insert(key).inserted else { return true }   // the same pair again: a matching cycle
        defer { state.path.remove(key) }
        return zip(x.items, y.items).allSatisfy { valuesEqual($0, $1, state) }
    case (.record(let x), .record(let y)):
        if x === y { return true }
        guard x.fields.count == y.fields.count else { return false }
        let key = [ObjectIdentifier(x), ObjectIdentifier(y)]
        guard state.path.insert(key).inserted else { return true }
        defer { state.path.remove(key) }
        return x.fields.allSatisfy { k, v in y[k].map { valuesEqual(v, $0, state) } ?? false }
    case (.range(let a1, let b1), .range(let a2, let b2)): return a1 == a2 && b1 == b2
    case (.function(let x), .function(let y)): return x === y
    case (.builtin(let x), .builtin(let y)): return x.name == y.name
    case (.object(let x as TensorObject), .object(let y as TensorObject)):   // tensors compare by value
        return x === y || (x.isBool == y.isBool && x.tensor.shape == y.tensor.shape && x.tensor.data == y.tensor.data)
    case (.object(let x), .object(let y)): return x === y
    default: return false
    }
}

/// Whether a user-given printf format formats exactly one number safely:
/// "%", flags, width, precision, then f, g or e (nothing that reads more arguments).
public func isNumberFormat(_ f: String) -> Bool {
    f.wholeMatch(of: /%[-+ 0#]{0,4}[0-9]{0,2}(\.[0-9]{1,2})?[fgeFGE]/) != nil
}
