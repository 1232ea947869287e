/// A fully connected layer, y = x·(m ⊙ W)ᵀ + b.
/// Shapes: x (B, in), W (out, in), b (out), y (B, out). The mask m (out, in) is 1
/// where a weight is kept; masked weights are kept at exactly zero in W itself (see
/// `applyMask`), so the forward pass needs no multiply by m.
public final class Linear: Layer {
    public let name: String
    public let inputSize: Int
    public let outputSize: Int
    public var weight: Tensor
    public var bias: Tensor
    public let weightGrad: Tensor
    public let biasGrad: Tensor
    /// nil while the layer is dense.
    public var mask: Tensor?

    private let out = Buffer(), dx = Buffer()
    private var input: UnsafePointer<Float>?

    public init(name: String, inputSize: Int, outputSize: Int) {
        self.name = name; self.inputSize = inputSize; self.outputSize = outputSize
        weight = Tensor(zeros: [outputSize, inputSize]); bias = Tensor(zeros: [outputSize])
        weightGrad = Tensor(zeros: [outputSize, inputSize]); biasGrad = Tensor(zeros: [outputSize])
    }

    public var summary: String { "\(name) \(inputSize)→\(outputSize)" }

    /// Zeroes the weights the mask removes (call after any change to W or m).
    public func applyMask() {
        guard let m = mask else { return }
        weight.data.withUnsafeMutableBufferPointer { w in
            m.data.withUnsafeBufferPointer { m in
                let wp = w.baseAddress!, mp = m.baseAddress!
                splitRange(w.count) { Kernels.maskMultiply(wp, mp, $0) }
            }
        }
    }

    // x (B, in) -> y (B, out)
    public func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        input = x
        let y = out.ensure(batch * outputSize)
        let n = outputSize
        bias.data.withUnsafeBufferPointer { b in
            for r in 0..<batch { (y + r * n).update(from: b.baseAddress!, count: n) }
        }
        weight.data.withUnsafeBufferPointer { w in
            let w = w.baseAddress!, k = inputSize
            // Columns j0..<j1 of y: y[:, j0..<j1] += x · W[j0..<j1, :]ᵀ
            split(n, work: batch * n * k) { j0, j1 in
                gemm(transA: false, transB: true, m: batch, n: j1 - j0, k: k,
                     x, lda: k, w + j0 * k, ldb: k, beta: 1, y + j0, ldc: n)
            }
        }
        return UnsafePointer(y)
    }

    // dy (B, out) -> dx (B, in) = dy·W, then dW (out, in) = dyᵀ·x and db (out) = Σ_rows dy.
    // The gradients are of the masked net but not themselves masked: optimizers
    // multiply by the mask as they update. With `fusedSGDRate` set, dW and db are not
    // stored: W −= rate·dyᵀ·x goes straight into the weights.
    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>? {
        guard let x = input else { return nil }
        let n = outputSize, k = inputSize
        var dxOut: UnsafePointer<Float>? = nil
        if needInputGrad {   // before any fused update: dx needs the old W
            let d = dx.ensure(batch * k)
            weight.data.withUnsafeBufferPointer { w in
                let w = w.baseAddress!
                // Columns c0..<c1 of dx: dx[:, c0..<c1] = dy · W[:, c0..<c1]
                split(k, work: batch * n * k) { c0, c1 in
                    gemm(transA: false, transB: false, m: batch, n: c1 - c0, k: n,
                         dy, lda: n, w + c0, ldb: k, d + c0, ldc: k)
                }
            }
            dxOut = UnsafePointer(d)
        }
        let rate = fusedSGDRate
        let (target, alpha, beta): (Tensor, Float, Float) = rate.map { (weight, -$0, 1) } ?? (weightGrad, 1, 0)
        target.data.withUnsafeMutableBufferPointer { g in
            let g = g.baseAddress!
            // Rows j0..<j1: dW[j0..<j1, :] = dy[:, j0..<j1]ᵀ · x  (or W[j0..<j1, :] −= rate · that)
            split(n, work: batch * n * k) { j0, j1 in
                gemm(transA: true, transB: false, m: j1 - j0, n: k, k: batch, alpha: alpha,
                     dy + j0, lda: n, x, ldb: k, beta: beta, g + j0 * k, ldc: k)
            }
        }
        (rate == nil ? biasGrad : bias).data.withUnsafeMutableBufferPointer { db in
            if rate == nil { for j in 0..<n { db[j] = 0 } }
            let scale = -(rate ?? -1)
            for r in 0..<batch {
                let row = dy + r * n
                for j in 0..<n { db[j] += scale * row[j] }
            }
        }
        if rate != nil { applyMask() }
        return dxOut
    }

    /// Set (by the trainer) for plain SGD without momentum or weight decay: backward then
    /// updates W and b itself, one pass less over the weights. nil: store the gradients.
    public var fusedSGDRate: Float?

    /// Runs body over two halves of 0..<n on both cores when the product is big enough
    /// to pay for the hand-off (OpenBLAS itself gains nothing from a second thread at
    /// batch 60), else over all of 0..<n here. The halves write disjoint memory.
    private func split(_ n: Int, work: Int, _ body: (Int, Int) -> Void) {
        if work < Linear.parallelWork || n < 16 { body(0, n); return }
        let mid = (n / 2 + 7) & ~7
        TwoWay.shared.run { i in i == 0 ? body(0, mid) : body(mid, n) }
    }

    /// Multiply-adds above which a product is split across two threads.
    nonisolated(unsafe) public static var parallelWork = 1 << 20
}
