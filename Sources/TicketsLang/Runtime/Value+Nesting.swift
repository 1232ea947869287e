import Foundation

/// How deeply lists, records and tables may nest.
///
/// Building a value checks the depth each container keeps (`nesting`), which catches
/// `for i in 1..1e6 x = [x] end` at once. That depth is not raised in the containers
/// that already hold a list when the list grows later (`m = l; push(m, [])` deepens
/// `l` too), so it can be too low; everything that walks a value therefore stops
/// at this depth on its own: printing and comparing throw (`checkedRepr`,
/// `checkedEqual`), writing JSON throws, and freeing is a loop (`releaseIteratively`),
/// so no nesting, however built, can overflow the stack.
public let maxValueNesting = 1000

extension Value {
    /// 0 for plain values; 1 + the deepest part for lists, records and tables, as
    /// recorded when they were built (a lower bound: see `maxValueNesting`).
    var nesting: Int {
        switch self {
        case .list(let l): return l.depth
        case .record(let r): return r.depth
        case .object(let t as Table): return t.depth
        default: return 0
        }
    }

    /// `repr`, or an error when the value nests too deep to print.
    public func checkedRepr(full: Bool = false) throws -> String {
        let state = ReprState()
        state.full = full
        let text = repr(state)
        if state.tooDeep { throw tooDeepError("printed") }
        return text
    }

    /// `display` (strings as they are), or an error when the value nests too deep.
    public func checkedDisplay() throws -> String {
        if case .string(let s) = self { return s }
        return try checkedRepr()
    }
}

/// `valuesEqual`, or an error when the values nest too deep to compare.
func checkedEqual(_ a: Value, _ b: Value) throws -> Bool {
    let state = EqualityState()
    let equal = valuesEqual(a, b, state)
    if state.tooDeep { throw tooDeepError("compared") }
    return equal
}

func tooDeepError(_ what: String) -> TicketsError {
    .runtime("the value nests more than \(maxValueNesting) deep (lists in lists, records in records) and cannot be \(what)")
}

/// Frees the values of a container that is being freed without recursing: parts that
/// nothing else holds are emptied into a work list here, so that their own `deinit`s
/// find nothing left to free. A chain a million lists deep is freed in one loop.
func releaseIteratively(_ items: inout [Value]) {
    guard items.contains(where: \.holdsValues) else { return }
    var pending = items.filter(\.holdsValues)
    items = []
    drain(&pending)
}

func releaseIteratively(_ fields: inout [(String, Value)]) {
    guard fields.contains(where: \.1.holdsValues) else { return }
    var pending = fields.map(\.1).filter(\.holdsValues)
    fields = []
    drain(&pending)
}

func releaseIteratively(_ vars: inout [String: Value]) {
    guard vars.values.contains(where: \.holdsValues) else { return }
    var pending = vars.values.filter(\.holdsValues)
    vars = [:]
    drain(&pending)
}

func releaseIteratively(_ rows: inout [[Value]]) {
    guard rows.contains(where: { $0.contains(where: \.holdsValues) }) else { return }
    var pending = rows.flatMap { $0.filter(\.holdsValues) }
    rows = []
    drain(&pending)
}

private func drain(_ pending: inout [Value]) {
    while !pending.isEmpty {
        // Only the reference is kept, not the value, so that it can be the last one.
        var held = pending[pending.count - 1].heldObject
        pending.removeLast()
        guard isKnownUniquelyReferenced(&held) else { continue }
        switch held {
        case let l as ListRef:
            pending.append(contentsOf: l.items.filter(\.holdsValues))
            l.items = []
        case let r as RecordRef:
            r.releaseFields(into: &pending)
        case let t as Table:
            t.releaseRows(into: &pending)
        case let c as Closure:
            // A closure holds its scope, whose variables may hold closures: a chain of
            // them (f = make(f), a million times) frees as deep as a chain of lists.
            var env: Environment? = c.detachEnvironment()
            if isKnownUniquelyReferenced(&env), let env {
                pending.append(contentsOf: env.vars.values.filter(\.holdsValues))
                env.vars = [:]
            }
        default:
            break
        }
    }
}

extension Value {
    /// The list, record, closure or table this value holds, which may hold further values.
    var heldObject: AnyObject? {
        switch self {
        case .list(let l): return l
        case .record(let r): return r
        case .function(let c): return c
        case .object(let t as Table): return t
        default: return nil
        }
    }

    /// Whether freeing this value may free further values (containers, closures, tables).
    var holdsValues: Bool {
        switch self {
        case .list, .record, .function: return true
        case .object(let o): return o is Table
        default: return false
        }
    }
}
