/// A fully connected layer, y = x·(m ⊙ W)ᵀ + b.
/// Shapes: x (B, in), W (out, in), b (out), y (B, out). The mask m (out, in) lives on
/// the weight parameter; masked weights are kept at exactly zero in W itself, so the
/// forward pass needs no multiply by m. Without a bias (`hasBias` false, PyTorch's
/// bias=False) b is not among the parameters and stays zero: y = x·(m ⊙ W)ᵀ.
public final class Linear: Layer {
    public let name: String
    public let inFeatures: Int
    public let outFeatures: Int
    public let weight: Parameter
    public let bias: Parameter
    /// Whether b is a parameter (trained, saved); false: b stays zero.
    public let hasBias: Bool
    public var training = true

    let out = Buffer(), dx = Buffer()
    var input: UnsafePointer<Float>?
    /// Feature-major scratch for the compressed path: xT (in, B), yT (out, B),
    /// dyT (out, B), dxT (in, B).
    let xT = Buffer(), yT = Buffer(), dyT = Buffer(), dxT = Buffer()

    public init(name: String, inFeatures: Int, outFeatures: Int, bias hasBias: Bool = true) {
        self.name = name; self.inFeatures = inFeatures; self.outFeatures = outFeatures; self.hasBias = hasBias
        weight = Parameter("weight", role: .weight, shape: [outFeatures, inFeatures])
        bias = Parameter("bias", role: .bias, shape: [outFeatures])
    }

    private init(copying l: Linear) {
        name = l.name; inFeatures = l.inFeatures; outFeatures = l.outFeatures; hasBias = l.hasBias
        weight = l.weight.copy(); bias = l.bias.copy(); training = l.training
    }
    public func copy() -> Layer { Linear(copying: self) }

    public var kind: String { "linear" }
    public var inputShape: [Int] { [inFeatures] }
    public var outputShape: [Int] { [outFeatures] }
    public var parameters: [Parameter] { hasBias ? [weight, bias] : [weight] }
    public var summary: String { "\(name) \(inFeatures)→\(outFeatures)\(hasBias ? "" : " (no bias)")" }

    public func initialize(_ initializer: Initializer, rng: inout RNG) {
        let (w, b) = initializer.draw(weights: weight.count, biases: outFeatures,
                                      fanIn: inFeatures, fanOut: outFeatures, rng: &rng)
        weight.value.data = w
        if hasBias { bias.value.data = b }
        weight.applyMask()
    }

    // x (B, in) -> y (B, out)
    public func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        input = x
        if let c = weight.compressed { return compressedForward(c, x, batch: batch) }
        let y = out.ensure(batch * outFeatures)
        let n = outFeatures, k = inFeatures
        bias.value.data.withUnsafeBufferPointer { b in
            for r in 0..<batch { (y + r * n).update(from: b.baseAddress!, count: n) }
        }
        weight.value.data.withUnsafeBufferPointer { w in
            let w = w.baseAddress!
            // Columns j0..<j1 of y: y[:, j0..<j1] += x · W[j0..<j1, :]ᵀ
            splitColumns(n, work: batch * n * k) { j0, j1 in
                gemm(transA: false, transB: true, m: batch, n: j1 - j0, k: k,
                     x, lda: k, w + j0 * k, ldb: k, beta: 1, y + j0, ldc: n)
            }
        }
        return UnsafePointer(y)
    }

    // dy (B, out) -> dx (B, in) = dy·W, then dW (out, in) = dyᵀ·x and db (out) = Σ_rows dy.
    // The gradients are of the masked net but not themselves masked: optimizers multiply
    // by the mask as they update. An optimizer that fused its update into this pass
    // (see `Parameter.fusedRate`) gets W −= rate·dyᵀ·x instead.
    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>? {
        guard let x = input else { return nil }
        if let c = weight.compressed { return compressedBackward(c, dy, batch: batch, needInputGrad: needInputGrad) }
        let n = outFeatures, k = inFeatures
        var dxOut: UnsafePointer<Float>? = nil
        if needInputGrad {   // before any fused update: dx needs the old W
            let d = dx.ensure(batch * k)
            weight.value.data.withUnsafeBufferPointer { w in
                let w = w.baseAddress!
                // Columns c0..<c1 of dx: dx[:, c0..<c1] = dy · W[:, c0..<c1]
                splitColumns(k, work: batch * n * k) { c0, c1 in
                    gemm(transA: false, transB: false, m: batch, n: c1 - c0, k: n,
                         dy, lda: n, w + c0, ldb: k, d + c0, ldc: k)
                }
            }
            dxOut = UnsafePointer(d)
        }
        weight.accumulateGradient { g, alpha, beta in
            // Rows j0..<j1: G[j0..<j1, :] = α · dy[:, j0..<j1]ᵀ · x + β · G[j0..<j1, :]
            splitColumns(n, work: batch * n * k) { j0, j1 in
                gemm(transA: true, transB: false, m: j1 - j0, n: k, k: batch, alpha: alpha,
                     dy + j0, lda: n, x, ldb: k, beta: beta, g + j0 * k, ldc: k)
            }
        }
        if hasBias { bias.accumulateGradient { db, alpha, beta in
            if beta == 0 { for j in 0..<n { db[j] = 0 } }
            for r in 0..<batch {
                let row = dy + r * n
                for j in 0..<n { db[j] += alpha * row[j] }
            }
        } }
        return dxOut
    }
}

/// Runs body over two halves of 0..<n on both cores when a product of `work`
/// multiply-adds is big enough to pay for the hand-off (OpenBLAS itself gains nothing
/// from a second thread at batch 60), else over all of 0..<n here. The halves must
/// write disjoint memory.
func splitColumns(_ n: Int, work: Int, _ body: (Int, Int) -> Void) {
    if work < TwoWay.minimumWork || n < 16 { body(0, n); return }
    let mid = (n / 2 + 7) & ~7
    TwoWay.shared.run { i in i == 0 ? body(0, mid) : body(mid, n) }
}
