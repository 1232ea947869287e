import Foundation
import TicketsEngine

/// Lists, records, ranges and strings.
func collectionBuiltins() -> [BuiltinGroup] {
    [BuiltinGroup("Values", [
        Builtin("len", [.any("x", what: "list, string, record, range or table", "the value")],
                doc: "The length of a list, string, record, range or table.") { a in
            let v = try a.value("x")
            switch v {
            case .list(let l): return .int(l.items.count)
            case .string(let s): return .int(s.count)
            case .record(let r): return .int(r.fields.count)
            case .range(let x, let y): return .int(max(0, y - x + 1))
            case .object(let o): if let n = o.length { return .int(n) }
            default: break
            }
            throw a.fail("x", "has no length: \(describeBrief(v))")
        },
        Builtin("push", [.list("list", "the list to grow"), .any("value", what: "any value", "the new last item")],
                doc: "Appends a value to the end of a list (in place) and returns the list.") { a in
            let l = try a.list("list"), v = try a.value("value")
            guard v.nesting < maxValueNesting else {
                throw a.fail("value", "would nest the list more than \(maxValueNesting) deep")
            }
            guard l.items.count < Interpreter.maxListItems else {
                throw a.fail("list", "has \(grouped(Interpreter.maxListItems)) items, as many as a list may hold")
            }
            l.items.append(v)
            l.depth = max(l.depth, v.nesting + 1)
            return .list(l)
        },
        Builtin("pop", [.list("list", "the list to shorten")], doc: "Removes and returns the last item of a list.") { a in
            let l = try a.list("list")
            guard let x = l.items.popLast() else { throw a.fail("list", "is empty") }
            return x
        },
        Builtin("keys", [.record("record", optional: false, "the record")], doc: "The field names of a record, in order.") { a in
            .list(try a.record("record")!.keys.map { .string($0) })
        },
        Builtin("has", [.record("record", optional: false, "the record"), .string("key", "the field name")],
                doc: "Whether a record has a field.") { a in
            .bool(try a.record("record")![try a.string("key")] != nil)
        },
        Builtin("range", [
            .number("from", "the first number"),
            .number("to", "the last number (included when the steps reach it)"),
            .number("step", 1, "the distance between numbers (negative counts down)"),
        ], doc: "A list of numbers from `from` up to and including `to`, by step: range(0, 1, 0.25) is [0, 0.25, 0.5, 0.75, 1].") { a in
            let lo = try a.number("from"), hi = try a.number("to"), step = try a.number("step")
            guard step != 0 else { throw a.fail("step", "must not be 0") }
            let count = ((hi - lo) / step + 1e-9).rounded(.down) + 1
            guard count <= 10_000_000 else { throw a.fail("would make \(formatNumber(count)) numbers; the limit is 10,000,000") }
            let n = count.isNaN ? 0 : Int(max(count, 0))
            return .list(n <= 0 ? [] : (0..<n).map { .number(lo + Double($0) * step) })
        },
        Builtin("sort", [.any("list", what: "list or range", "the numbers or strings to sort")],
                doc: "A sorted copy of a list of numbers (nan last) or of strings.") { a in
            let items = try a.items("list")
            if let xs = try? a.numbers("list") {
                return .list((xs.filter { !$0.isNaN }.sorted() + xs.filter(\.isNaN)).map { .number($0) })
            }
            let ss = try items.map { v -> String in
                guard case .string(let s) = v else { throw a.fail("list", "must hold only numbers or only strings") }
                return s
            }
            return .list(ss.sorted().map { .string($0) })
        },
        Builtin("reverse", [.any("list", what: "list or range", "the items")], doc: "A reversed copy of a list.") { a in
            .list(Array(try a.items("list").reversed()))
        },
        Builtin("join", [.any("list", what: "list or range", "the items"), .string("sep", " ", "what goes between items")],
                doc: "The items of a list as text, joined by sep.") { a in
            .string(try a.items("list").map { try $0.checkedDisplay() }.joined(separator: try a.string("sep")))
        },
    ])]
}

extension Args {
    /// The items of a list or of a range (a range of at most 10,000,000 numbers).
    func items(_ name: String) throws -> [Value] {
        let v = try value(name)
        switch v {
        case .list(let l): return l.items
        case .range(let a, let b):
            let n = b >= a ? b - a + 1 : 0
            guard n <= 10_000_000 else { throw fail(name, "is a range of \(n) numbers; the limit here is 10,000,000") }
            return (0..<n).map { .int(a + $0) }
        default: throw fail(name, "must be a list or a range, got \(describeBrief(v))")
        }
    }

    /// The numbers of a list (or of a range).
    func numbers(_ name: String) throws -> [Double] {
        try items(name).map {
            guard case .number(let x) = $0 else { throw fail(name, "must hold only numbers, got \(describeBrief($0))") }
            return x
        }
    }
}
