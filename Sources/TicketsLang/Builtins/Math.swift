import Foundation
import TicketsEngine

/// Numbers: elementary functions and reductions over lists.
func mathBuiltins() -> [BuiltinGroup] {
    func unary(_ name: String, _ doc: String, _ f: @escaping (Double) -> Double) -> Builtin {
        Builtin(name, [.number("x", "the number")], doc: doc) { a in .number(f(try a.number("x"))) }
    }
    /// A function of numbers that also maps over tensors and records of them.
    func elementwise(_ name: String, _ op: UnaryOp, _ doc: String, _ f: @escaping (Double) -> Double) -> Builtin {
        Builtin(name, [.any("x", what: "number, tensor or record of them", "the values")], doc: doc) { a in
            let x = try a.value("x")
            if case .number(let n) = x { return .number(f(n)) }
            guard TensorValues.takes(x) else { throw a.fail("x", "must be a number, a tensor or a record of them, got \(describeBrief(x))") }
            return try TensorValues.unary(op, x)
        }
    }
    /// A reduction of a tensor (or of each tensor of a record), or nil for other values.
    func reduce(_ a: Args, _ v: Value, _ r: Reduction) throws -> Value? {
        guard TensorValues.takes(v) else { return nil }
        let axis = a.builtin.param("axis") != nil ? try a.optionalInt("axis") : nil
        return try TensorValues.map(v) { t, _, _ in
            if let axis { return .object(TensorObject(try t.reduced(r, axis: axis))) }
            guard let x = t.reduced(r) else { throw EngineError("a tensor with no values has no \(r.rawValue)") }
            return .number(x)
        }
    }
    func extreme(_ name: String, _ pick: @escaping (Double, Double) -> Double) -> Builtin {
        Builtin(name, variadic: true, signature: "\(name)(a, b, ...) or \(name)(list) or \(name)(tensor)",
                doc: "The \(name == "min" ? "smallest" : "largest") of its arguments, or of a list, or of a tensor's values (of each tensor of a record).") { a in
            var items = a.positional
            if items.count == 1, let r = try reduce(a, items[0], name == "min" ? .min : .max) { return r }
            if items.count == 1 {
                switch items[0] {
                case .list(let l): items = l.items
                case .range(let lo, let hi) where lo <= hi: return .int(name == "min" ? lo : hi)
                default: break
                }
            }
            let xs = try items.map { v -> Double in
                guard case .number(let x) = v else { throw a.fail("takes numbers, got \(describeBrief(v))") }
                return x
            }
            guard let first = xs.first else { throw a.fail("needs at least one number") }
            if xs.contains(where: \.isNaN) { return .number(.nan) }
            return .number(xs.dropFirst().reduce(first, pick))
        }
    }
    return [
        BuiltinGroup("Math", [
            elementwise("abs", .abs, "The absolute value of a number: abs(-2) is 2.", { Swift.abs($0) }),
            elementwise("sqrt", .sqrt, "The square root (nan for negative numbers).", { $0.squareRoot() }),
            elementwise("exp", .exp, "e (2.71828...) to the power x: exp(0) is 1.", { Foundation.exp($0) }),
            elementwise("log", .log, "The natural logarithm (-inf at 0, nan below).", { Foundation.log($0) }),
            unary("cos", "The cosine of x in radians: cos(0) is 1 (a cosine schedule, as gmp's regrowth rate).", { Foundation.cos($0) }),
            unary("floor", "The largest whole number ≤ x.", { $0.rounded(.down) }),
            unary("ceil", "The smallest whole number ≥ x.", { $0.rounded(.up) }),
            Builtin("round", [.number("x", "the number"), .int("digits", 0, min: 0, max: 15, "decimal digits to keep")],
                    doc: "x rounded to a number of decimal digits (halves away from zero).") { a in
                let x = try a.number("x"), d = try a.int("digits")
                let m = Foundation.pow(10.0, Double(d))
                let r = (x * m).rounded() / m
                return .number(r.isFinite ? r : x)   // x · 10^d overflows only where x has no fraction left
            },
        ]),
        BuiltinGroup("Values", [
            extreme("min", Swift.min),
            extreme("max", Swift.max),
            Builtin("sum", [.any("list", what: "list or range of numbers, or a tensor", "the numbers"),
                            .optionalInt("axis", min: 0, max: 32, "a tensor's: sum along this axis only (a tensor back)")],
                    doc: "The sum of a list (or a range) of numbers, or of a tensor's values (of each tensor of a record).") { a in
                if let r = try reduce(a, try a.value("list"), .sum) { return r }
                return .number(try a.numbers("list").reduce(0, +))
            },
            Builtin("mean", [.any("list", what: "list or range of numbers, or a tensor", "the numbers"),
                             .optionalInt("axis", min: 0, max: 32, "a tensor's: the mean along this axis only (a tensor back)")],
                    doc: "The mean of a list (or a range) of numbers (nil for an empty list), or of a tensor's values.") { a in
                if let r = try reduce(a, try a.value("list"), .mean) { return r }
                let xs = try a.numbers("list")
                return xs.isEmpty ? .null : .number(xs.reduce(0, +) / Double(xs.count))
            },
        ]),
    ]
}
