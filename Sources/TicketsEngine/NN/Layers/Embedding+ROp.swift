/// The R passes of an embedding (NN/HessianVector.swift), y[i] = E[x_i] with V the
/// direction of E (tokens are data: R{x} = 0):
///
///     R{y}[i]   = V[x_i]          (SynFlow's all-tokens input: Σ_v V[v])
///     R{dE}[v] += Σ_{x_i = v} R{dy}[i]
///
/// Tokens have no gradient, so the input's (dx, R{dx}) are zeros.
extension Embedding {
    // rx (B, T) -> ry (B, T, D)
    public func forwardR(_ rx: UnsafePointer<Float>, batch: Int, _ r: RPass) throws -> UnsafePointer<Float> {
        let n = batch * positions, d = dimension
        guard tokens.count >= n else { throw EngineError("hvp: \(name) has no forward pass to differentiate") }
        let ry = r.buffer(self, 0, n * d)
        guard let v = r.direction(weight) else {
            ry.update(repeating: 0, count: n * d)
            return UnsafePointer(ry)
        }
        if readsAllTokens {
            for j in 0..<d { ry[j] = 0 }
            for t in 0..<vocabulary { for j in 0..<d { ry[j] += v[t * d + j] } }
            for i in 1..<max(n, 1) { (ry + i * d).update(from: ry, count: d) }
            return UnsafePointer(ry)
        }
        for i in 0..<n {
            let row = Int(tokens[i])
            if row < 0 { (ry + i * d).update(repeating: 0, count: d) } else { (ry + i * d).update(from: v + row * d, count: d) }
        }
        return UnsafePointer(ry)
    }

    // dy, rdy (B, T, D) -> zeros (B, T); R{dE} (V, D) added to r, dE as backward leaves it.
    public func backwardR(_ dy: UnsafePointer<Float>, _ rdy: UnsafePointer<Float>, batch: Int,
                          _ r: RPass) throws -> (dx: UnsafePointer<Float>, rdx: UnsafePointer<Float>) {
        let n = batch * positions, d = dimension
        guard tokens.count >= n else { throw EngineError("hvp: \(name) has no forward pass to differentiate") }
        let rde = r.result(weight)
        for i in 0..<n {
            if readsAllTokens {
                for t in 0..<vocabulary { for j in 0..<d { rde[t * d + j] += rdy[i * d + j] } }
                continue
            }
            let row = Int(tokens[i])
            guard row >= 0 else { continue }
            for j in 0..<d { rde[row * d + j] += rdy[i * d + j] }
        }
        _ = backward(dy, batch: batch, needInputGrad: false)
        let zeros = r.buffer(self, 1, n)
        zeros.update(repeating: 0, count: n)
        return (UnsafePointer(zeros), UnsafePointer(zeros))
    }
}
