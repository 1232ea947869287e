import Foundation
import TicketsEngine

extension Interpreter {
    // MARK: members and indexing

    func member(_ v: Value, _ name: String, at loc: SourceLoc) throws -> Value {
        switch v {
        case .record(let r):
            if let x = r[name] { return x }
            let known = r.keys.isEmpty ? "it has no fields" : "it has " + r.keys.joined(separator: ", ")
            throw TicketsError(.runtime, "the record has no field '\(name)'; \(known)", at: loc)
        case .object(let o):
            if let x = o.member(name) { return x }
            throw TicketsError(.runtime, "a \(o.typeName) has no member '\(name)'; it has \(o.memberNames.joined(separator: ", "))", at: loc)
        default:
            throw TicketsError(.runtime, "\(describeBrief(v)) has no member '\(name)'", at: loc)
        }
    }

    func listIndex(_ i: Value, count: Int, at loc: SourceLoc) throws -> Int {
        guard case .number(let x) = i, x == x.rounded(), abs(x) < 1e15 else {
            throw TicketsError(.runtime, "an index must be a whole number, got \(describeBrief(i))", at: loc)
        }
        var k = Int(x)
        if k < 0 { k += count }
        guard k >= 0, k < count else {
            throw TicketsError(.runtime, "index \(Int(x)) is out of range for length \(count)", at: loc)
        }
        return k
    }

    func index(_ v: Value, _ i: Value, at loc: SourceLoc, indexLoc: SourceLoc) throws -> Value {
        switch v {
        case .list(let l): return l.items[try listIndex(i, count: l.items.count, at: indexLoc)]
        case .string(let s):
            let chars = Array(s)
            return .string(String(chars[try listIndex(i, count: chars.count, at: indexLoc)]))
        case .range(let a, let b):
            return .int(a + (try listIndex(i, count: max(0, b - a + 1), at: indexLoc)))
        case .record(let r):
            guard case .string(let k) = i else {
                throw TicketsError(.runtime, "a record is indexed by a string key, got \(describeBrief(i))", at: indexLoc)
            }
            guard let x = r[k] else {
                throw TicketsError(.runtime, "the record has no field \(quoteString(k))", at: indexLoc)
            }
            return x
        case .object(let o):
            do {
                if let x = try o.index(i) { return x }
            } catch var e as TicketsError {
                if e.loc == nil { e.loc = indexLoc }
                throw e
            }
            throw TicketsError(.runtime, "a \(o.typeName) cannot be indexed", at: loc)
        default:
            throw TicketsError(.runtime, "\(describeBrief(v)) cannot be indexed", at: loc)
        }
    }
}
