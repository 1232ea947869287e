import Foundation
import TicketsEngine

/// Operations on values that hold tensors: a tensor, a number (a tensor of shape []),
/// or a record of them nested any depth (`params(net)`), mapped field by field as
/// JAX maps over a pytree. Each operation on tensors is one engine loop.
enum TensorValues {
    /// A tensor or a number seen as a tensor; nil for anything else.
    static func operand(_ v: Value) -> (tensor: Tensor, bool: Bool)? {
        switch v {
        case .object(let t as TensorObject): return (t.tensor, t.isBool)
        case .number(let x): return (Tensor.scalar(Float(x)), false)
        case .bool(let b): return (Tensor.scalar(b ? 1 : 0), true)
        default: return nil
        }
    }

    /// Whether `binary` and `unary` take the value: a tensor, or a record.
    static func takes(_ v: Value) -> Bool {
        switch v {
        case .object(let o): return o is TensorObject
        case .record: return true
        default: return false
        }
    }

    static func isLogical(_ op: BinaryOp) -> Bool {
        switch op {
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual, .and, .or, .andNot: return true
        default: return false
        }
    }

    /// a op b over tensors, numbers and records (two records: the same fields, in any
    /// order; a tensor or number with a record: applied to every field). An error
    /// names the field it happened at.
    static func binary(_ op: BinaryOp, _ a: Value, _ b: Value, path: String = "") throws -> Value {
        switch (a, b) {
        case (.record(let x), .record(let y)):
            if let k = x.keys.first(where: { y[$0] == nil }) {
                throw EngineError("the records differ: the first has \(at(path, k)), the second does not")
            }
            if let k = y.keys.first(where: { x[$0] == nil }) {
                throw EngineError("the records differ: the second has \(at(path, k)), the first does not")
            }
            return record(try x.fields.map { k, v in (k, try binary(op, v, y[k]!, path: at(path, k))) })
        case (.record(let x), _):
            return record(try x.fields.map { k, v in (k, try binary(op, v, b, path: at(path, k))) })
        case (_, .record(let y)):
            return record(try y.fields.map { k, v in (k, try binary(op, a, v, path: at(path, k))) })
        default:
            guard let (x, xb) = operand(a), let (y, yb) = operand(b) else {
                throw EngineError("\(path.isEmpty ? "" : "at \(path): ")takes tensors, numbers or records of them, got \(describeBrief(operand(a) == nil ? a : b))")
            }
            if x.shape.isEmpty && y.shape.isEmpty && !takes(a) && !takes(b) {
                if case .number(let p) = a, case .number(let q) = b { return number(op, p, q) }
                return number(op, Double(x.data[0]), Double(y.data[0]))
            }
            do {
                let out = try Tensor.elementwise(op, x, y)
                return .object(TensorObject(out, bool: isLogical(op) || (xb && yb && op == .multiply)))
            } catch let e as EngineError {
                throw EngineError(path.isEmpty ? e.message : "at \(path): \(e.message)")
            }
        }
    }

    /// Two numbers (or bools): the same operation in Double (a bool for the logical ones).
    static func number(_ op: BinaryOp, _ x: Double, _ y: Double) -> Value {
        switch op {
        case .add: return .number(x + y)
        case .subtract: return .number(x - y)
        case .multiply: return .number(x * y)
        case .divide: return .number(x / y)
        case .power: return .number(Foundation.pow(x, y))
        case .maximum: return .number(x.isNaN || y.isNaN ? .nan : Swift.max(x, y))
        case .minimum: return .number(x.isNaN || y.isNaN ? .nan : Swift.min(x, y))
        case .less: return .bool(x < y)
        case .lessEqual: return .bool(x <= y)
        case .greater: return .bool(x > y)
        case .greaterEqual: return .bool(x >= y)
        case .equal: return .bool(x == y)
        case .notEqual: return .bool(x != y)
        case .and: return .bool(x != 0 && y != 0)
        case .or: return .bool(x != 0 || y != 0)
        case .andNot: return .bool(x != 0 && y == 0)
        }
    }

    /// op over a tensor, a number or a record of them.
    static func unary(_ op: UnaryOp, _ v: Value, path: String = "") throws -> Value {
        switch v {
        case .record(let r):
            return record(try r.fields.map { k, x in (k, try unary(op, x, path: at(path, k))) })
        case .object(let t as TensorObject):
            return .object(TensorObject(t.tensor.map(op), bool: op == .not))
        case .number(let x):
            let r = Tensor.scalar(Float(x)).map(op).data[0]
            return .number(op == .negate || op == .abs ? (op == .negate ? -x : Swift.abs(x)) : Double(r))
        case .bool(let b) where op == .not:
            return .bool(!b)
        default:
            throw EngineError("\(path.isEmpty ? "" : "at \(path): ")takes tensors, numbers or records of them, got \(describeBrief(v))")
        }
    }

    /// `f` applied to every tensor of a record (or to one tensor), keeping the record's
    /// shape; numbers are taken as tensors of shape [].
    static func map(_ v: Value, path: String = "", _ f: (Tensor, Bool, String) throws -> Value) throws -> Value {
        switch v {
        case .record(let r):
            return record(try r.fields.map { k, x in (k, try map(x, path: at(path, k), f)) })
        default:
            guard let (t, b) = operand(v) else {
                throw EngineError("\(path.isEmpty ? "" : "at \(path): ")takes tensors, numbers or records of them, got \(describeBrief(v))")
            }
            do { return try f(t, b, path) } catch let e as EngineError {
                throw EngineError(path.isEmpty ? e.message : "at \(path): \(e.message)")
            }
        }
    }

    /// The tensors of a record with their paths ("fc1.weight"), depth first, in order.
    static func leaves(_ v: Value, path: String = "") -> [(path: String, tensor: Tensor, bool: Bool)] {
        switch v {
        case .record(let r): return r.fields.flatMap { k, x in leaves(x, path: at(path, k)) }
        case .object(let t as TensorObject): return [(path, t.tensor, t.isBool)]
        default: return []
        }
    }

    /// A record of results, printed with each tensor as its shape:
    /// `{fc1: {weight: tensor [300, 784], bias: tensor [300]}, ...}`.
    static func record(_ fields: [(String, Value)]) -> Value {
        .record(RecordRef(fields, style: TensorValues.style))
    }

    static func style(_ r: RecordRef, _ state: ReprState) -> String {
        "{" + r.fields.map { k, v in
            let shown: String
            switch v {
            case .object(let t as TensorObject): shown = "tensor \(Broadcast.describe(t.tensor.shape))\(t.isBool ? " bool" : "")"
            case .record(let inner) where inner.style != nil: shown = style(inner, state)
            default: shown = v.repr(state)
            }
            return "\(recordKey(k)): \(shown)"
        }.joined(separator: ", ") + "}"
    }

    static func at(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// A tensor from nested lists of numbers or bools (rows of equal length).
    static func literal(_ v: Value) throws -> (Tensor, Bool) {
        var shape: [Int] = []
        var data: [Float] = []
        var sawBool = false, sawNumber = false
        func walk(_ v: Value, _ depth: Int) throws {
            switch v {
            case .list(let l):
                if depth == shape.count {
                    // A new, deeper level only before any value: after one, rows are set.
                    guard data.isEmpty else { throw EngineError("has rows of different lengths (a list where a number belongs)") }
                    shape.append(l.items.count)
                } else if depth > shape.count || shape[depth] != l.items.count {
                    throw EngineError("has rows of different lengths (a list of \(l.items.count) where \(depth < shape.count ? "one of \(shape[depth])" : "a number") belongs)")
                }
                for x in l.items { try walk(x, depth + 1) }
            case .range(let a, let b):
                guard b - a < Interpreter.maxListItems else { throw EngineError("is too large") }
                try walk(.list(a <= b ? (a...b).map { .int($0) } : []), depth)
            case .number(let x):
                guard depth == shape.count || (shape.isEmpty && depth == 0) else {
                    throw EngineError("has rows of different lengths (a number where a list belongs)")
                }
                sawNumber = true; data.append(Float(x))
            case .bool(let b):
                guard depth == shape.count else { throw EngineError("has rows of different lengths (a bool where a list belongs)") }
                sawBool = true; data.append(b ? 1 : 0)
            case .object(let t as TensorObject) where depth == 0:
                shape = t.tensor.shape; data = t.tensor.data; sawBool = t.isBool
            default:
                throw EngineError("must be numbers, bools or nested lists of them, got \(describeBrief(v))")
            }
            if data.count > Interpreter.maxListItems { throw EngineError("is too large") }
        }
        try walk(v, 0)
        guard MemoryBudget.product(shape) == data.count else { throw EngineError("has rows of different lengths") }
        return (Tensor(shape: shape, data: data), sawBool && !sawNumber)
    }
}
