import Foundation
import TicketsEngine

extension Interpreter {
    // MARK: operators

    func arithmetic(_ op: String, _ a: Value, _ b: Value, at loc: SourceLoc) throws -> Value {
        switch (op, a, b) {
        case ("==", _, _): return .bool(try placed(at: loc) { try checkedEqual(a, b) })
        case ("!=", _, _): return .bool(try !placed(at: loc) { try checkedEqual(a, b) })
        case _ where !a.isString && !b.isString
                && (TensorValues.takes(a) || TensorValues.takes(b) || op == "&" || op == "|" || a.isMask):
            if let v = try elementwise(op, a, b, at: loc) { return v }
        case (_, .number(let x), .number(let y)):
            switch op {
            case "+": return .number(x + y)
            case "-": return .number(x - y)
            case "*": return .number(x * y)
            case "/": return .number(x / y)
            case "%":
                // Floored, as in Python: the result takes the divisor's sign.
                if y == 0 || x.isInfinite { return .number(.nan) }
                if y.isInfinite { return .number(x == 0 || (x < 0) == (y < 0) ? x : y) }
                return .number(x - y * (x / y).rounded(.down))
            case "^": return .number(Foundation.pow(x, y))
            case "<": return .bool(x < y)
            case "<=": return .bool(x <= y)
            case ">": return .bool(x > y)
            case ">=": return .bool(x >= y)
            default: break
            }
        case ("+", .string(let x), _): return .string(try sized(x + placed(at: loc) { try b.checkedDisplay() }, at: loc))
        case ("+", _, .string(let y)): return .string(try sized(placed(at: loc) { try a.checkedDisplay() } + y, at: loc))
        case ("+", .list(let x), .list(let y)):
            guard x.items.count + y.items.count <= Interpreter.maxListItems else {
                throw TicketsError(.runtime, "the list would have more than \(Interpreter.maxListItems) items", at: loc)
            }
            return .list(x.items + y.items)
        case ("*", .string(let s), .number(let n)):
            guard n >= 0, n == n.rounded(), n * Double(s.count) <= Double(Interpreter.maxItems) else {
                throw TicketsError(.runtime, "a string is repeated a whole number of times (≥ 0), up to \(Interpreter.maxItems) characters in all; got \(describeBrief(b))", at: loc)
            }
            return .string(s.isEmpty ? "" : String(repeating: s, count: Int(n)))
        case (_, .string(let x), .string(let y)):
            switch op {
            case "<": return .bool(x < y)
            case "<=": return .bool(x <= y)
            case ">": return .bool(x > y)
            case ">=": return .bool(x >= y)
            default: break
            }
        default: break
        }
        let verb: String
        switch op {
        case "+": verb = "add"
        case "-": verb = "subtract"
        case "*": verb = "multiply"
        case "/": verb = "divide"
        case "%": verb = "take the remainder of"
        case "^": verb = "raise"
        default: verb = "compare"
        }
        let join = op == "^" ? "to the power of" : "and"
        throw TicketsError(.runtime, "cannot \(verb) \(describeBrief(a)) \(join) \(describeBrief(b)) with '\(op)'", at: loc)
    }
}

/// Levenshtein distance, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var prev = Array(0...b.count)
    for i in 1...a.count {
        var cur = [i] + [Int](repeating: 0, count: b.count)
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        prev = cur
    }
    return prev[b.count]
}
