/// Tensors made from nothing (zeros, ones, random) and views of another's values in a
/// new shape: reshape, transpose, rows.
extension Tensor {
    /// Standard normal values (Box–Muller), or uniform in [0, 1), from `seed`.
    public static func random(shape: [Int], seed: UInt64, normal: Bool) throws -> Tensor {
        try checkBudget(shape)
        var rng = RNG(seed: seed, stream: 0x5445_4E53)   // "TENS"
        let t = Tensor(zeros: shape)
        for k in 0..<t.count { t.data[k] = Float(normal ? rng.normal() : rng.uniform()) }
        return t
    }

    /// The same values in another shape; one dimension may be -1 (inferred).
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        let unknown = newShape.indices.filter { newShape[$0] == -1 }
        guard unknown.count <= 1, newShape.allSatisfy({ $0 >= 0 || $0 == -1 }) else {
            throw EngineError("a shape has sizes ≥ 0 and at most one -1, got \(Broadcast.describe(newShape))")
        }
        var s = newShape
        let known = MemoryBudget.product(newShape.filter { $0 != -1 })
        if let u = unknown.first {
            guard known > 0, count % known == 0 else {
                throw EngineError("cannot reshape \(Broadcast.describe(shape)) (\(count) values) to \(Broadcast.describe(newShape))")
            }
            s[u] = count / known
        }
        guard MemoryBudget.product(s) == count else {
            throw EngineError("cannot reshape \(Broadcast.describe(shape)) (\(count) values) to \(Broadcast.describe(newShape))")
        }
        return Tensor(shape: s, data: data)
    }

    /// The axes reversed (a matrix's transpose), or permuted as `axes` says.
    public func transposed(_ axes: [Int]? = nil) throws -> Tensor {
        let r = shape.count
        let perm = axes ?? Array((0..<r).reversed())
        guard perm.sorted() == Array(0..<r) else {
            throw EngineError("axes must be a permutation of 0..\(r - 1) for shape \(Broadcast.describe(shape)), got \(Broadcast.describe(perm))")
        }
        let outShape = perm.map { shape[$0] }
        var inStrides = [Int](repeating: 1, count: r)
        for i in stride(from: r - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * shape[i + 1] }
        let s = perm.map { inStrides[$0] }
        let out = Tensor(zeros: outShape)
        guard out.count > 0 else { return out }
        if r == 2 {
            // out (c, r) from in (r, c)
            let rows = shape[0], cols = shape[1]
            data.withUnsafeBufferPointer { p in
                out.data.withUnsafeMutableBufferPointer { q in
                    for i in 0..<rows { for j in 0..<cols { q[j * rows + i] = p[i * cols + j] } }
                }
            }
            return out
        }
        var index = [Int](repeating: 0, count: r)
        var off = 0
        for k in 0..<out.count {
            out.data[k] = data[off]
            var d = r - 1
            while d >= 0 {
                index[d] += 1; off += s[d]
                if index[d] < outShape[d] { break }
                off -= s[d] * outShape[d]; index[d] = 0
                d -= 1
            }
        }
        return out
    }

    /// Rows lo...hi (both included) along the first dimension; one row drops that
    /// dimension when `single`.
    public func rows(_ lo: Int, _ hi: Int, single: Bool) -> Tensor {
        let size = rowSize
        let part = Array(data[(lo * size)..<((hi + 1) * size)])
        var s = shape
        if single { s.removeFirst() } else { s[0] = hi - lo + 1 }
        return Tensor(shape: s, data: part)
    }
}
