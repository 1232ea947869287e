/// Exact shortcuts through runs of layers that compose to one linear map, taken by
/// `Network.forward`/`backward` when they cost less than the layers one by one. The
/// layers stay as they are (their own forward and backward are the reference, and
/// SynFlow, `outputs` and the tests call them); a shortcut only reorders the products:
///
/// - **product**: two bias-free linear layers with nothing between them,
///   x → x·Aᵀ → ·Bᵀ, run as y = x·Mᵀ with M = B·A (out, in). It pays when the batch
///   is large and the middle wide: mid·in·out + B·in·out < B·mid·(in + out).
///   Backward: dM = dyᵀ·x, dx = dy·M, dB = dM·Aᵀ, dA = Bᵀ·dM.
/// - **token table**: an embedding E (V, D), the sum over positions and a bias-free
///   linear layer W (H, D): y[b] = Σ_t E[x_bt]·Wᵀ = Σ_t P[x_bt] with P = E·Wᵀ (V, H),
///   one V·D·H product a step instead of B·D·H. Backward: dP[v] = Σ_{x_bt = v} dy[b],
///   dE = dP·W, dW = dPᵀ·E.
///
/// (Minegishi et al.'s grokking MLP is E, sum, W_in, ReLU, W_out, W_U: a token table
/// and a product, about 15× fewer multiply-adds a step at p = 67.) Masks need nothing:
/// masked weights are zero in the values, and the gradients, like a layer's, are of the
/// masked net and not themselves masked. Compressed weights keep the layers' own path.
final class FusedStage {
    enum Kind {
        case product(Linear, Linear)
        case tokenTable(Embedding, SumPositions, Linear)
    }
    let kind: Kind
    /// How many of the net's layers the stage stands for.
    var count: Int {
        switch kind {
        case .product: return 2
        case .tokenTable: return 3
        }
    }
    /// M or P, the output, dM or dP, dx, and the two weights' gradients.
    let table = Buffer(), out = Buffer(), dTable = Buffer(), dx = Buffer(), g1 = Buffer(), g2 = Buffer()
    var input: UnsafePointer<Float>?

    init(_ kind: Kind) { self.kind = kind }

    /// The stage that starts at layers[i], if one does.
    static func find(_ layers: [Layer], at i: Int) -> FusedStage? {
        if i + 1 < layers.count, let a = layers[i] as? Linear, let b = layers[i + 1] as? Linear,
           !a.hasBias, !b.hasBias {
            return FusedStage(.product(a, b))
        }
        if i + 2 < layers.count, let e = layers[i] as? Embedding, let s = layers[i + 1] as? SumPositions,
           let w = layers[i + 2] as? Linear, !w.hasBias {
            return FusedStage(.tokenTable(e, s, w))
        }
        return nil
    }

    /// Whether the shortcut runs for this batch: exact either way, taken when cheaper.
    func pays(batch: Int) -> Bool {
        switch kind {
        case .product(let a, let b):
            guard a.weight.compressed == nil, b.weight.compressed == nil else { return false }
            let (i, m, o) = (a.inFeatures, a.outFeatures, b.outFeatures)
            return m * i * o + batch * i * o < batch * m * (i + o)
        case .tokenTable(let e, _, let w):
            guard w.weight.compressed == nil, !e.readsAllTokens else { return false }
            return e.vocabulary < batch * e.positions
        }
    }

    // product: x (B, in) -> y (B, out); token table: tokens (B, T) -> y (B, H)
    func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        input = x
        switch kind {
        case .product(let a, let b):
            let (i, m, o) = (a.inFeatures, a.outFeatures, b.outFeatures)
            let mm = table.ensure(o * i), y = out.ensure(batch * o)
            a.weight.value.data.withUnsafeBufferPointer { aw in
                b.weight.value.data.withUnsafeBufferPointer { bw in
                    // M (out, in) = B (out, mid) · A (mid, in)
                    gemm(transA: false, transB: false, m: o, n: i, k: m, bw.baseAddress!, lda: m, aw.baseAddress!, ldb: i, mm, ldc: i)
                }
            }
            // y (B, out) = x (B, in) · Mᵀ
            gemm(transA: false, transB: true, m: batch, n: o, k: i, x, lda: i, mm, ldb: i, y, ldc: o)
            return UnsafePointer(y)
        case .tokenTable(let e, _, let w):
            let (v, d, h, t) = (e.vocabulary, e.dimension, w.outFeatures, e.positions)
            let p = table.ensure(v * h), y = out.ensure(batch * h)
            e.weight.value.data.withUnsafeBufferPointer { ew in
                w.weight.value.data.withUnsafeBufferPointer { ww in
                    // P (V, H) = E (V, D) · Wᵀ (D, H)
                    gemm(transA: false, transB: true, m: v, n: h, k: d, ew.baseAddress!, lda: d, ww.baseAddress!, ldb: d, p, ldc: h)
                }
            }
            e.readTokens(x, batch: batch)
            for r in 0..<batch {
                let yr = y + r * h
                yr.update(repeating: 0, count: h)
                for s in 0..<t {
                    let k = Int(e.tokens[r * t + s])
                    guard k >= 0 else { continue }
                    let pk = p + k * h
                    for j in 0..<h { yr[j] += pk[j] }
                }
            }
            return UnsafePointer(y)
        }
    }

    func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>? {
        guard let x = input else { return nil }
        switch kind {
        case .product(let a, let b):
            let (i, m, o) = (a.inFeatures, a.outFeatures, b.outFeatures)
            let mm = table.ptr, dm = dTable.ensure(o * i)
            // dM (out, in) = dyᵀ (out, B) · x (B, in)
            gemm(transA: true, transB: false, m: o, n: i, k: batch, dy, lda: o, x, ldb: i, dm, ldc: i)
            var dxOut: UnsafePointer<Float>? = nil
            if needInputGrad {
                let d = dx.ensure(batch * i)
                gemm(transA: false, transB: false, m: batch, n: i, k: o, dy, lda: o, mm, ldb: i, d, ldc: i)
                dxOut = UnsafePointer(d)
            }
            let gb = g2.ensure(o * m), ga = g1.ensure(m * i)
            a.weight.value.data.withUnsafeBufferPointer { aw in
                b.weight.value.data.withUnsafeBufferPointer { bw in
                    // dB (out, mid) = dM · Aᵀ;  dA (mid, in) = Bᵀ · dM
                    gemm(transA: false, transB: true, m: o, n: m, k: i, dm, lda: i, aw.baseAddress!, ldb: i, gb, ldc: m)
                    gemm(transA: true, transB: false, m: m, n: i, k: o, bw.baseAddress!, lda: m, dm, ldb: i, ga, ldc: i)
                }
            }
            FusedStage.accumulate(a.weight, ga)
            FusedStage.accumulate(b.weight, gb)
            return dxOut
        case .tokenTable(let e, _, let w):
            let (v, d, h, t) = (e.vocabulary, e.dimension, w.outFeatures, e.positions)
            let dp = dTable.ensure(v * h)
            dp.update(repeating: 0, count: v * h)
            for r in 0..<batch {
                for s in 0..<t {
                    let k = Int(e.tokens[r * t + s])
                    guard k >= 0 else { continue }
                    let row = dp + k * h, g = dy + r * h
                    for j in 0..<h { row[j] += g[j] }
                }
            }
            let ge = g1.ensure(v * d), gw = g2.ensure(h * d)
            e.weight.value.data.withUnsafeBufferPointer { ew in
                w.weight.value.data.withUnsafeBufferPointer { ww in
                    // dE (V, D) = dP (V, H) · W (H, D);  dW (H, D) = dPᵀ (H, V) · E (V, D)
                    gemm(transA: false, transB: false, m: v, n: d, k: h, dp, lda: h, ww.baseAddress!, ldb: d, ge, ldc: d)
                    gemm(transA: true, transB: false, m: h, n: d, k: v, dp, lda: h, ew.baseAddress!, ldb: d, gw, ldc: d)
                }
            }
            FusedStage.accumulate(e.weight, ge)
            FusedStage.accumulate(w.weight, gw)
            return nil
        }
    }

    /// Hands a gradient computed whole to the parameter (its grad, or a fused update).
    static func accumulate(_ p: Parameter, _ g: UnsafeMutablePointer<Float>) {
        p.accumulateGradient { c, alpha, beta in
            let n = p.count
            if beta == 0 { for k in 0..<n { c[k] = alpha * g[k] } } else { for k in 0..<n { c[k] = alpha * g[k] + beta * c[k] } }
        }
    }
}
