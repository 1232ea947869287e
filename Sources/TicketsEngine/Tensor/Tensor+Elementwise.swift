import Foundation

/// An operation on two tensors, value by value, with NumPy broadcasting. Comparisons
/// and the logical ones give 0/1 (the language shows those as booleans).
public enum BinaryOp: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", power = "^"
    case maximum, minimum
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "eq", notEqual = "ne"
    /// Logical: nonzero is true.
    case and = "&", or = "|", andNot = "&~"
}

/// An operation on one tensor, value by value.
public enum UnaryOp: String, Sendable {
    case negate = "-", abs, sqrt, exp, log, signum, not = "~"
}

extension Tensor {
    /// A tensor's values as a Float32 tensor of shape []: how numbers meet tensors.
    public static func scalar(_ x: Float) -> Tensor { Tensor(shape: [], data: [x]) }

    /// a op b, value by value, the shapes broadcast as NumPy does.
    // a (..., n) or broadcastable, b likewise; out (broadcast shape)
    public static func elementwise(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard let shape = Broadcast.shape(a.shape, b.shape) else {
            throw EngineError("shapes \(Broadcast.describe(a.shape)) and \(Broadcast.describe(b.shape)) do not broadcast")
        }
        try checkBudget(shape)
        let out = Tensor(zeros: shape)
        let sa = Broadcast.strides(a.shape, in: shape), sb = Broadcast.strides(b.shape, in: shape)
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                out.data.withUnsafeMutableBufferPointer { po in
                    let x = pa.baseAddress!, y = pb.baseAddress!, z = po.baseAddress!
                    Broadcast.rows(shape, sa, sb) { o, i, j, n, si, sj in
                        binaryRow(op, x + i, si, y + j, sj, z + o, n)
                    }
                }
            }
        }
        return out
    }

    /// One row of a binary operation: z[k] = x[k·sx] op y[k·sy], k < n.
    static func binaryRow(_ op: BinaryOp, _ x: UnsafePointer<Float>, _ sx: Int, _ y: UnsafePointer<Float>, _ sy: Int,
                          _ z: UnsafeMutablePointer<Float>, _ n: Int) {
        switch op {
        case .add: zipRow(x, sx, y, sy, z, n) { $0 + $1 }
        case .subtract: zipRow(x, sx, y, sy, z, n) { $0 - $1 }
        case .multiply: zipRow(x, sx, y, sy, z, n) { $0 * $1 }
        case .divide: zipRow(x, sx, y, sy, z, n) { $0 / $1 }
        case .power: zipRow(x, sx, y, sy, z, n) { $1 == 2 ? $0 * $0 : Foundation.powf($0, $1) }
        case .maximum: zipRow(x, sx, y, sy, z, n) { $0.isNaN || $1.isNaN ? .nan : Swift.max($0, $1) }
        case .minimum: zipRow(x, sx, y, sy, z, n) { $0.isNaN || $1.isNaN ? .nan : Swift.min($0, $1) }
        case .less: zipRow(x, sx, y, sy, z, n) { $0 < $1 ? 1 : 0 }
        case .lessEqual: zipRow(x, sx, y, sy, z, n) { $0 <= $1 ? 1 : 0 }
        case .greater: zipRow(x, sx, y, sy, z, n) { $0 > $1 ? 1 : 0 }
        case .greaterEqual: zipRow(x, sx, y, sy, z, n) { $0 >= $1 ? 1 : 0 }
        case .equal: zipRow(x, sx, y, sy, z, n) { $0 == $1 ? 1 : 0 }
        case .notEqual: zipRow(x, sx, y, sy, z, n) { $0 != $1 ? 1 : 0 }
        case .and: zipRow(x, sx, y, sy, z, n) { $0 != 0 && $1 != 0 ? 1 : 0 }
        case .or: zipRow(x, sx, y, sy, z, n) { $0 != 0 || $1 != 0 ? 1 : 0 }
        case .andNot: zipRow(x, sx, y, sy, z, n) { $0 != 0 && $1 == 0 ? 1 : 0 }
        }
    }

    /// The loop itself, specialised for the common strides so it vectorises.
    @inline(__always)
    static func zipRow(_ x: UnsafePointer<Float>, _ sx: Int, _ y: UnsafePointer<Float>, _ sy: Int,
                       _ z: UnsafeMutablePointer<Float>, _ n: Int, _ f: (Float, Float) -> Float) {
        if sx == 1 && sy == 1 {
            for k in 0..<n { z[k] = f(x[k], y[k]) }
        } else if sx == 1 {
            let v = y[0]
            for k in 0..<n { z[k] = f(x[k], v) }
        } else if sy == 1 {
            let u = x[0]
            for k in 0..<n { z[k] = f(u, y[k]) }
        } else {
            let r = f(x[0], y[0])
            for k in 0..<n { z[k] = r }
        }
    }

    /// op applied to every value.
    public func map(_ op: UnaryOp) -> Tensor {
        let out = Tensor(zeros: shape)
        data.withUnsafeBufferPointer { p in
            out.data.withUnsafeMutableBufferPointer { q in
                let x = p.baseAddress!, z = q.baseAddress!, n = p.count
                switch op {
                case .negate: for k in 0..<n { z[k] = -x[k] }
                case .abs: for k in 0..<n { z[k] = Swift.abs(x[k]) }
                case .sqrt: for k in 0..<n { z[k] = x[k].squareRoot() }
                case .exp: for k in 0..<n { z[k] = Foundation.expf(x[k]) }
                case .log: for k in 0..<n { z[k] = Foundation.logf(x[k]) }
                case .signum: for k in 0..<n { z[k] = x[k] > 0 ? 1 : (x[k] < 0 ? -1 : (x[k].isNaN ? .nan : 0)) }
                case .not: for k in 0..<n { z[k] = x[k] == 0 ? 1 : 0 }
                }
            }
        }
        return out
    }

    /// Every value limited to [lo, hi] (nil: no limit on that side); NaN stays NaN.
    public func clamped(_ lo: Float?, _ hi: Float?) -> Tensor {
        let out = copy()
        out.data.withUnsafeMutableBufferPointer { q in
            let z = q.baseAddress!, n = q.count
            if let lo { for k in 0..<n where z[k] < lo { z[k] = lo } }
            if let hi { for k in 0..<n where z[k] > hi { z[k] = hi } }
        }
        return out
    }

    /// c ? a : b, value by value, all three broadcast together (c nonzero is true).
    public static func select(_ c: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard let ab = Broadcast.shape(a.shape, b.shape), let shape = Broadcast.shape(c.shape, ab) else {
            throw EngineError("shapes \(Broadcast.describe(c.shape)), \(Broadcast.describe(a.shape)) and \(Broadcast.describe(b.shape)) do not broadcast")
        }
        try checkBudget(shape)
        let cc = try c.expanded(to: shape), aa = try a.expanded(to: shape), bb = try b.expanded(to: shape)
        let out = Tensor(zeros: shape)
        for k in 0..<out.count { out.data[k] = cc.data[k] != 0 ? aa.data[k] : bb.data[k] }
        return out
    }

    /// The tensor repeated along broadcast dimensions to `shape` (a copy).
    public func expanded(to target: [Int]) throws -> Tensor {
        if target == shape { return self }
        guard Broadcast.shape(shape, target) == target else {
            throw EngineError("shape \(Broadcast.describe(shape)) does not broadcast to \(Broadcast.describe(target))")
        }
        try Tensor.checkBudget(target)
        return try Tensor.elementwise(.add, self, Tensor(zeros: target))
    }

    /// A clear error before a tensor beyond the memory budget is allocated.
    public static func checkBudget(_ shape: [Int]) throws {
        let n = MemoryBudget.product(shape)
        guard n <= Int.max / 4 else { throw EngineError("a tensor of shape \(Broadcast.describe(shape)) is too large") }
        try MemoryBudget.check(n * 4, for: "a tensor of shape \(Broadcast.describe(shape))")
    }
}
