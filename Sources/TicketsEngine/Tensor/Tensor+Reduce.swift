import Foundation

/// What a reduction computes over a tensor's values (or along one axis).
public enum Reduction: String, Sendable {
    case sum, mean, max, min
    /// The Euclidean norm (p = 2).
    case norm
    /// The number of nonzero (true) values.
    case count
}

extension Tensor {
    /// The reduction of all values, in Double (sums accumulate in Double). NaN in max
    /// or min gives NaN, as NumPy's do; max and min of no values are nil.
    public func reduced(_ r: Reduction) -> Double? {
        data.withUnsafeBufferPointer { p in Tensor.reduce(r, p.baseAddress!, count: p.count, stride: 1) }
    }

    /// The reduction along `axis`: the result has that dimension removed.
    // in (outer, n, inner) → out (outer, inner)
    public func reduced(_ r: Reduction, axis: Int) throws -> Tensor {
        guard axis >= 0, axis < shape.count else {
            throw EngineError("axis \(axis) is out of range for shape \(Broadcast.describe(shape))")
        }
        let n = shape[axis]
        if (r == .max || r == .min) && n == 0 {
            throw EngineError("\(r.rawValue) along axis \(axis) of shape \(Broadcast.describe(shape)), which has no values")
        }
        let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
        var outShape = shape
        outShape.remove(at: axis)
        let out = Tensor(zeros: outShape)
        data.withUnsafeBufferPointer { p in
            let base = p.baseAddress!
            for o in 0..<outer {
                for i in 0..<inner {
                    out.data[o * inner + i] = Float(Tensor.reduce(r, base + o * n * inner + i, count: n, stride: inner) ?? .nan)
                }
            }
        }
        return out
    }

    static func reduce(_ r: Reduction, _ x: UnsafePointer<Float>, count n: Int, stride s: Int) -> Double? {
        if s == 1 && (r == .sum || r == .mean || r == .norm) {
            let acc = sumContiguous(x, n, squares: r == .norm)
            if r == .norm { return acc.squareRoot() }
            return r == .sum ? acc : (n == 0 ? .nan : acc / Double(n))
        }
        switch r {
        case .sum, .mean:
            var acc = 0.0
            for k in 0..<n { acc += Double(x[k * s]) }
            return r == .sum ? acc : (n == 0 ? .nan : acc / Double(n))
        case .norm:
            var acc = 0.0
            for k in 0..<n { let v = Double(x[k * s]); acc += v * v }
            return acc.squareRoot()
        case .count:
            var c = 0
            for k in 0..<n where x[k * s] != 0 { c += 1 }
            return Double(c)
        case .max, .min:
            guard n > 0 else { return nil }
            var best = x[0]
            for k in 0..<n {
                let v = x[k * s]
                if v.isNaN { return .nan }
                if r == .max ? v > best : v < best { best = v }
            }
            return Double(best)
        }
    }

    /// Σx (or Σx²) of n contiguous values: eight Float lanes over blocks of 1,024 values,
    /// each block's partial sum added in Double (vectorised, and as accurate as a
    /// pairwise sum for the sizes of a net's layers).
    static func sumContiguous(_ x: UnsafePointer<Float>, _ n: Int, squares: Bool) -> Double {
        var total = 0.0, k = 0
        while k < n {
            let end = Swift.min(n, k + 1024)
            var lanes = SIMD8<Float>()
            var j = k
            while j + 8 <= end {
                let v = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<Float>.self)
                lanes += squares ? v * v : v
                j += 8
            }
            var part = Double(lanes.sum())
            while j < end { let v = Double(x[j]); part += squares ? v * v : v; j += 1 }
            total += part
            k = end
        }
        return total
    }

    /// The q-quantile of the values, interpolated linearly between the two nearest
    /// (NumPy's default). NaN when a value is NaN; nil for an empty tensor.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        if data.contains(where: \.isNaN) { return .nan }
        let sorted = data.sorted()
        let pos = q * Double(count - 1)
        let lo = Int(pos.rounded(.down)), hi = Swift.min(lo + 1, count - 1)
        let f = pos - Double(lo)
        return Double(sorted[lo]) + f * (Double(sorted[hi]) - Double(sorted[lo]))
    }

    /// The k largest values, largest first, and their flat positions (row-major); ties
    /// go to the earlier position. NaN counts as smallest.
    public func topk(_ k: Int) -> (values: [Float], indices: [Int]) {
        let k = Swift.max(0, Swift.min(k, count))
        let order = data.indices.sorted { i, j in
            let a = data[i].isNaN ? -Float.infinity : data[i], b = data[j].isNaN ? -Float.infinity : data[j]
            return a != b ? a > b : i < j
        }
        let idx = Array(order.prefix(k))
        return (idx.map { data[$0] }, idx)
    }
}
