/// The compressed path of a Linear layer: the same y = x·(m ⊙ W)ᵀ + b and its
/// gradients, computed over the kept weights only (SparseKernels), for a weight a
/// training run put in compressed form. The kernels work on feature-major activations
/// (one row of B values per feature, so each kept weight does a contiguous length-B
/// multiply-add); the layer transposes its input and output, which costs far less.
extension Linear {
    // x (B, in) -> xT (in, B) -> yT (out, B) -> y (B, out)
    func compressedForward(_ c: CompressedWeight, _ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        let n = outFeatures, k = inFeatures
        let xt = xT.ensure(k * batch), yt = yT.ensure(n * batch), y = out.ensure(batch * n)
        SparseKernels.transpose(x, rows: batch, columns: k, into: xt)
        bias.value.data.withUnsafeBufferPointer { b in
            let bp = b.baseAddress!
            splitSparse(c, work: c.matrix.nonzeroCount * batch, byRows: true) { rows in
                SparseKernels.forward(c.matrix, xT: xt, bias: bp, yT: yt, batch: batch, rows: rows)
            }
        }
        SparseKernels.transpose(yt, rows: n, columns: batch, into: y)
        return UnsafePointer(y)
    }

    // dy (B, out) -> dyT (out, B); dxT (in, B) = Wᵀ·dyT -> dx (B, in); grad[k] at kept
    // weights; db = Σ_b dyT. A fused update (plain SGD) goes straight into the values,
    // after dx, which needs the old ones.
    func compressedBackward(_ c: CompressedWeight, _ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>? {
        let n = outFeatures, k = inFeatures
        let dyt = dyT.ensure(n * batch), xt = xT.ptr
        SparseKernels.transpose(dy, rows: batch, columns: n, into: dyt)
        var dxOut: UnsafePointer<Float>? = nil
        if needInputGrad {
            let dxt = dxT.ensure(k * batch), d = dx.ensure(batch * k)
            splitSparse(c, work: c.matrix.nonzeroCount * batch, byRows: false) { columns in
                SparseKernels.inputGradient(c.matrix, dyT: dyt, dxT: dxt, batch: batch, columns: columns)
            }
            SparseKernels.transpose(dxt, rows: k, columns: batch, into: d)
            dxOut = UnsafePointer(d)
        }
        c.grad.withUnsafeMutableBufferPointer { g in
            let gp = g.baseAddress!
            splitSparse(c, work: c.matrix.nonzeroCount * batch, byRows: true) { rows in
                SparseKernels.weightGradient(c.matrix, dyT: dyt, xT: xt, grad: gp, batch: batch, rows: rows)
            }
        }
        if let rate = weight.fusedRate {
            c.matrix.values.withUnsafeMutableBufferPointer { v in
                c.grad.withUnsafeBufferPointer { g in
                    SparseKernels.sgd(values: v.baseAddress!, grad: g.baseAddress!, lr: rate, weightDecay: 0, 0..<v.count)
                }
            }
        }
        bias.accumulateGradient { db, alpha, beta in
            for j in 0..<n {
                let row = dyt + j * batch
                var s: Float = 0
                for b in 0..<batch { s += row[b] }
                db[j] = beta * db[j] + alpha * s
            }
        }
        return dxOut
    }

    /// Runs body over the matrix's rows (or columns) in two ranges of about equal kept
    /// weights on both cores when there is enough work, else over all of them here.
    func splitSparse(_ c: CompressedWeight, work: Int, byRows: Bool, _ body: (Range<Int>) -> Void) {
        if work < TwoWay.minimumWork / 2 || TwoWay.shared.threads < 2 {
            body(0..<(byRows ? c.matrix.rows : c.matrix.columns))
            return
        }
        let parts = byRows ? c.matrix.rowRanges(2) : c.matrix.columnRanges(2)
        TwoWay.shared.run { i in body(parts[i]) }
    }
}
