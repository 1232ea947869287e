import Foundation
import TicketsEngine

/// Tensors as values: making them, elementwise functions, reductions and shapes. Every
/// function takes a tensor, a number or a record of them (`params(net)`), mapped field
/// by field; each operation on a tensor is one loop in the engine.
func tensorBuiltins() -> [BuiltinGroup] {
    let anyTensor = "tensor, number or record of them"
    func tensorResult(_ t: Tensor, bool: Bool = false) -> Value { .object(TensorObject(t, bool: bool)) }
    func elementwise(_ name: String, _ op: BinaryOp, _ doc: String) -> Builtin {
        Builtin(name, [.any("a", what: anyTensor, "the first operand"), .any("b", what: anyTensor, "the second operand")],
                doc: doc) { a in try TensorValues.binary(op, try a.value("a"), try a.value("b")) }
    }
    func made(_ name: String, _ doc: String, _ make: @escaping (Args, [Int]) throws -> Tensor) -> Builtin {
        Builtin(name, [.any("shape", what: "list of sizes or one size", "the shape, e.g. [300, 784]"),
                       .seed("seed", "seeds the values (rand, randn)")],
                doc: doc) { a in tensorResult(try make(a, try a.shape("shape"))) }
    }
    return [BuiltinGroup("Tensors", [
        made("zeros", "A tensor of zeros: zeros([2, 3]).") { _, s in try Tensor.checkBudget(s); return Tensor(zeros: s) },
        made("ones", "A tensor of ones: ones([2, 3]).") { _, s in try Tensor.checkBudget(s); return Tensor(filled: 1, shape: s) },
        made("randn", "Standard normal values: randn([300, 784], seed=1).") { a, s in try Tensor.random(shape: s, seed: try a.seed(), normal: true) },
        made("rand", "Uniform values in [0, 1): rand([10], seed=1).") { a, s in try Tensor.random(shape: s, seed: try a.seed(), normal: false) },
        Builtin("signum", [.any("x", what: anyTensor, "the values")],
                doc: "-1, 0 or 1 by the sign of each value (sign(x) is the ownership signature).") { a in
            try TensorValues.unary(.signum, try a.value("x"))
        },
        Builtin("clamp", [.any("x", what: anyTensor, "the values"),
                          Param("min", .number(.any), default: .null, "the lowest value kept (nil: no limit)"),
                          Param("max", .number(.any), default: .null, "the highest value kept (nil: no limit)")],
                doc: "Each value limited to [min, max]: clamp(g, min=-1, max=1).") { a in
            let lo = a.has("min") ? Float(try a.number("min")) : nil, hi = a.has("max") ? Float(try a.number("max")) : nil
            return try TensorValues.map(try a.value("x")) { t, _, _ in tensorResult(t.clamped(lo, hi)) }
        },
        elementwise("maximum", .maximum, "The larger of a and b, value by value, broadcast as NumPy does (nan if either is)."),
        elementwise("minimum", .minimum, "The smaller of a and b, value by value, broadcast as NumPy does (nan if either is)."),
        elementwise("eq", .equal, "a == b value by value, as a boolean tensor (== itself compares whole values)."),
        Builtin("where", [.any("cond", what: anyTensor, "where true, take a; else b"),
                          .any("a", what: anyTensor, "the values where cond holds"),
                          .any("b", what: anyTensor, "the values elsewhere")],
                doc: "Value by value cond ? a : b, the three broadcast together: where(w > 0, w, 0).") { a in
            try whereValues(try a.value("cond"), try a.value("a"), try a.value("b"))
        },
        Builtin("norm", [.any("x", what: anyTensor, "the values"), .optionalInt("axis", min: 0, max: 32, "reduce along this axis only (a tensor back)")],
                doc: "The Euclidean norm of all values (a number), or along an axis: norm(w, axis=1) is each row's.") { a in
            let axis = try a.optionalInt("axis")
            return try TensorValues.map(try a.value("x")) { t, _, _ in
                if let axis { return tensorResult(try t.reduced(.norm, axis: axis)) }
                return .number(t.reduced(.norm) ?? 0)
            }
        },
        Builtin("quantile", [.any("x", what: anyTensor, "the values"), .number("q", in: .unit, "the quantile, in [0, 1]")],
                doc: "The q-quantile of the values, interpolated linearly as NumPy does: quantile(abs(w), 0.8).") { a in
            let q = try a.number("q")
            return try TensorValues.map(try a.value("x")) { t, _, _ in
                guard let v = t.quantile(q) else { throw EngineError("x has no values") }
                return .number(v)
            }
        },
        Builtin("topk", [.any("x", what: anyTensor, "the values"), .int("k", min: 0, "how many")],
                doc: "The k largest values, largest first, and their positions in the flattened tensor: a record {values, indices}.") { a in
            let k = try a.int("k")
            return try TensorValues.map(try a.value("x")) { t, _, _ in
                let r = t.topk(k)
                return .record([("values", tensorResult(Tensor(shape: [r.values.count], data: r.values))),
                                ("indices", .list(r.indices.map { .int($0) }))])
            }
        },
        Builtin("count", [.any("x", what: "mask, net, tensor or record", "what to count")],
                doc: "How many values are true (nonzero): count(w > 0); of a mask (or a net's mask), the weights kept.") { a in
            switch try a.value("x") {
            case .object(let m as MaskObject): return .int(m.mask.keptTotal)
            case .object(let n as NetObject): return .int(Mask(of: n.net).keptTotal)
            case let v: return try TensorValues.map(v) { t, _, _ in .int(Int(t.reduced(.count) ?? 0)) }
            }
        },
        Builtin("reshape", [.any("x", what: anyTensor, "the tensor"), .any("shape", what: "list of sizes", "the new shape; one size may be -1")],
                doc: "The same values in another shape: reshape(w, [-1]) flattens.") { a in
            let s = try a.shape("shape", allowUnknown: true)
            return try TensorValues.map(try a.value("x")) { t, b, _ in tensorResult(try t.reshaped(s), bool: b) }
        },
        Builtin("transpose", [.any("x", what: anyTensor, "the tensor"), Param("axes", .list(what: "a list of axes"), default: .null, "the new order of the axes (default: reversed)")],
                doc: "A matrix's transpose (the axes reversed), or the axes in the order given.") { a in
            let axes = a.has("axes") ? try a.wholeNumbers("axes") : nil
            return try TensorValues.map(try a.value("x")) { t, b, _ in tensorResult(try t.transposed(axes), bool: b) }
        },
    ] + netTensorBuiltins())]
}

/// where(c, a, b) over tensors, numbers and records (records alike field by field,
/// a tensor or number with a record applied to every field).
func whereValues(_ c: Value, _ a: Value, _ b: Value, path: String = "") throws -> Value {
    let operands = [("cond", c), ("a", a), ("b", b)]
    if let (_, template) = operands.first(where: { if case .record = $0.1 { return true } else { return false } }),
       case .record(let t) = template {
        return TensorValues.record(try t.fields.map { k, _ in
            let parts = try operands.map { name, v -> Value in
                guard case .record(let r) = v else { return v }
                guard let f = r[k] else { throw EngineError("the records differ: \(name) has no field \(TensorValues.at(path, k))") }
                return f
            }
            return (k, try whereValues(parts[0], parts[1], parts[2], path: TensorValues.at(path, k)))
        })
    }
    guard let (ct, _) = TensorValues.operand(c), let (at, ab) = TensorValues.operand(a), let (bt, bb) = TensorValues.operand(b) else {
        throw EngineError("takes tensors, numbers or records of them")
    }
    do {
        return .object(TensorObject(try Tensor.select(ct, at, bt), bool: ab && bb))
    } catch let e as EngineError {
        throw EngineError(path.isEmpty ? e.message : "at \(path): \(e.message)")
    }
}

extension Args {
    /// A shape: a list of whole numbers ≥ 0 (or one number); -1 once when allowed.
    func shape(_ name: String, allowUnknown: Bool = false) throws -> [Int] {
        let v = try value(name)
        let items: [Value]
        switch v {
        case .number: items = [v]
        case .list(let l): items = l.items
        default: throw fail(name, "must be a list of sizes, got \(describeBrief(v))")
        }
        let s = try items.map { item -> Int in
            guard case .number(let x) = item, x == x.rounded(), x >= (allowUnknown ? -1 : 0), x < 1e15 else {
                throw fail(name, "must hold whole numbers ≥ 0\(allowUnknown ? " (or one -1)" : ""), got \(item.repr)")
            }
            return Int(x)
        }
        return s
    }
}
