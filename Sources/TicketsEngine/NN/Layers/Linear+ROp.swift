/// The R passes of a linear layer (NN/HessianVector.swift), y = x·Wᵀ + b, W the
/// masked weight (pruned entries are zero in W, and their direction is masked in V):
///
///     R{y}  = R{x}·Wᵀ + x·Vᵀ + V_b
///     R{dx} = R{dy}·W + dy·V
///     R{dW} = R{dy}ᵀ·x + dyᵀ·R{x},   R{db} = Σ_rows R{dy}
///
/// Four or five sgemms, on the dense weight (a weight in compressed form is mid-way
/// through a training run, never seen here).
extension Linear {
    // rx (B, in) -> ry (B, out)
    public func forwardR(_ rx: UnsafePointer<Float>, batch: Int, _ r: RPass) throws -> UnsafePointer<Float> {
        guard let x = input, weight.compressed == nil else {
            throw EngineError("hvp: \(name) has no dense forward pass to differentiate")
        }
        r.save(self, input: rx)
        let n = outFeatures, k = inFeatures
        let ry = r.buffer(self, 0, batch * n)
        if let vb = r.direction(bias) {
            for row in 0..<batch { (ry + row * n).update(from: vb, count: n) }
        } else {
            ry.update(repeating: 0, count: batch * n)
        }
        weight.value.data.withUnsafeBufferPointer { w in
            // ry (B, out) += rx (B, in) · Wᵀ (in, out)
            gemm(transA: false, transB: true, m: batch, n: n, k: k, rx, lda: k, w.baseAddress!, ldb: k, beta: 1, ry, ldc: n)
        }
        if let v = r.direction(weight) {
            // ry += x (B, in) · Vᵀ (in, out)
            gemm(transA: false, transB: true, m: batch, n: n, k: k, x, lda: k, v, ldb: k, beta: 1, ry, ldc: n)
        }
        return UnsafePointer(ry)
    }

    // dy, rdy (B, out) -> dx, rdx (B, in); R{dW} (out, in), R{db} (out) added to r.
    public func backwardR(_ dy: UnsafePointer<Float>, _ rdy: UnsafePointer<Float>, batch: Int,
                          _ r: RPass) throws -> (dx: UnsafePointer<Float>, rdx: UnsafePointer<Float>) {
        guard let x = input else { throw EngineError("hvp: \(name) has no forward pass to differentiate") }
        let rx = try r.input(self)
        let n = outFeatures, k = inFeatures
        let rdx = r.buffer(self, 1, batch * k)
        weight.value.data.withUnsafeBufferPointer { w in
            // rdx (B, in) = rdy (B, out) · W (out, in)
            gemm(transA: false, transB: false, m: batch, n: k, k: n, rdy, lda: n, w.baseAddress!, ldb: k, rdx, ldc: k)
        }
        if let v = r.direction(weight) {
            // rdx += dy (B, out) · V (out, in)
            gemm(transA: false, transB: false, m: batch, n: k, k: n, dy, lda: n, v, ldb: k, beta: 1, rdx, ldc: k)
        }
        let rdw = r.result(weight)
        // R{dW} (out, in) += rdyᵀ · x + dyᵀ · rx
        gemm(transA: true, transB: false, m: n, n: k, k: batch, rdy, lda: n, x, ldb: k, beta: 1, rdw, ldc: k)
        gemm(transA: true, transB: false, m: n, n: k, k: batch, dy, lda: n, rx, ldb: k, beta: 1, rdw, ldc: k)
        let rdb = r.result(bias)
        for row in 0..<batch {
            let g = rdy + row * n
            for j in 0..<n { rdb[j] += g[j] }
        }
        let dx = try inputGradient(self, dy, batch: batch)
        return (dx, UnsafePointer(rdx))
    }
}
