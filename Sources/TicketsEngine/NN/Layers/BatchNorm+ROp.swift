/// The R passes (NN/HessianVector.swift) of batch norm, per channel over its M = N·S
/// values, x̂ = (x − μ)/σ and γ, β with directions V_γ, V_β.
///
/// Training mode: μ and σ are the batch's, so they move with the input:
///     R{μ} = mean R{x},   R{σ} = a = mean(x̂ · R{x}),
///     R{x̂} = (R{x} − R{μ} − x̂·a)/σ,   R{y} = γ·R{x̂} + V_γ·x̂ + V_β;
/// and with dx = A·(dy − Σdy/M − x̂·Σ(dy·x̂)/M), A = γ/σ,
///     R{A} = V_γ/σ − γ·a/σ²,
///     R{dx} = R{A}·(dy − Σdy/M − x̂·Σ(dy·x̂)/M)
///           + A·(R{dy} − ΣR{dy}/M − R{x̂}·Σ(dy·x̂)/M − x̂·Σ(R{dy}·x̂ + dy·R{x̂})/M),
///     R{dγ} = Σ(R{dy}·x̂ + dy·R{x̂}),   R{dβ} = ΣR{dy}.
/// Evaluation mode (running statistics, constants; s = 1/√(running_var + ε)):
///     R{y} = γ·s·R{x} + V_γ·x̂ + V_β,   R{dx} = V_γ·s·dy + γ·s·R{dy},
///     R{dγ} = Σ(R{dy}·x̂ + dy·s·R{x}),   R{dβ} = ΣR{dy}.
/// Sums in Float64 per channel, as the kernels of NN/Kernels/BatchNorm.swift.
extension BatchNorm {
    /// The channel's mean and 1/σ (batch or running statistics, as the forward used).
    private func statistics(_ c: Int) -> (mean: Double, invStd: Double) {
        if usedBatchStatistics { return (Double(savedMean.ptr[c]), Double(savedInvStd.ptr[c])) }
        return (Double(runningMean.value.data[c]), 1 / (Double(runningVar.value.data[c]) + Double(eps)).squareRoot())
    }

    // rx (B, C, S) -> ry (B, C, S)
    public func forwardR(_ rx: UnsafePointer<Float>, batch: Int, _ r: RPass) throws -> UnsafePointer<Float> {
        guard let x = input else { throw EngineError("hvp: \(name) has no forward pass to differentiate") }
        r.save(self, input: rx)
        let s = spatial, m = Double(batch * s)
        let ry = r.buffer(self, 0, batch * channels * s)
        let vg = r.direction(gamma), vb = r.direction(beta)
        var kept = [Double](repeating: 0, count: 2 * channels)
        for c in 0..<channels {
            let (mean, invStd) = statistics(c)
            let g = Double(gamma.value.data[c])
            let dg = vg.map { Double($0[c]) } ?? 0, db = vb.map { Double($0[c]) } ?? 0
            var rMean = 0.0, a = 0.0
            if usedBatchStatistics {
                for n in 0..<batch {
                    let at = (n * channels + c) * s
                    for i in at..<(at + s) { rMean += Double(rx[i]); a += (Double(x[i]) - mean) * invStd * Double(rx[i]) }
                }
                rMean /= m; a /= m
            }
            kept[2 * c] = rMean; kept[2 * c + 1] = a
            for n in 0..<batch {
                let at = (n * channels + c) * s
                for i in at..<(at + s) {
                    let xh = (Double(x[i]) - mean) * invStd
                    let rxh = (Double(rx[i]) - rMean - xh * a) * invStd   // eval: a = rMean = 0
                    ry[i] = Float(g * rxh + dg * xh + db)
                }
            }
        }
        r.keep(self, kept)
        return UnsafePointer(ry)
    }

    // dy, rdy (B, C, S) -> dx, rdx (B, C, S); R{dγ}, R{dβ} (C) added to r.
    public func backwardR(_ dy: UnsafePointer<Float>, _ rdy: UnsafePointer<Float>, batch: Int,
                          _ r: RPass) throws -> (dx: UnsafePointer<Float>, rdx: UnsafePointer<Float>) {
        guard let x = input else { throw EngineError("hvp: \(name) has no forward pass to differentiate") }
        let rx = try r.input(self), kept = r.kept(self)
        let s = spatial, m = Double(batch * s)
        let rdx = r.buffer(self, 1, batch * channels * s)
        let vg = r.direction(gamma)
        let rdGamma = r.result(gamma), rdBeta = r.result(beta)
        for c in 0..<channels {
            let (mean, invStd) = statistics(c)
            let g = Double(gamma.value.data[c]), dg = vg.map { Double($0[c]) } ?? 0
            let rMean = kept[2 * c], a = kept[2 * c + 1]
            func planes(_ body: (Int) -> Void) {
                for n in 0..<batch { let at = (n * channels + c) * s; for i in at..<(at + s) { body(i) } }
            }
            func xhat(_ i: Int) -> Double { (Double(x[i]) - mean) * invStd }
            func rxhat(_ i: Int) -> Double { (Double(rx[i]) - rMean - xhat(i) * a) * invStd }
            var sumDy = 0.0, sumDyX = 0.0, sumRdy = 0.0, sumRdyX = 0.0
            planes { i in
                let d = Double(dy[i]), rd = Double(rdy[i]), xh = xhat(i)
                sumDy += d; sumDyX += d * xh; sumRdy += rd; sumRdyX += rd * xh + d * rxhat(i)
            }
            rdBeta[c] += Float(sumRdy)
            rdGamma[c] += Float(sumRdyX)
            if usedBatchStatistics {
                let aa = g * invStd, ra = dg * invStd - g * a * invStd * invStd
                planes { i in
                    let xh = xhat(i)
                    let base = Double(dy[i]) - sumDy / m - xh * sumDyX / m
                    let rbase = Double(rdy[i]) - sumRdy / m - rxhat(i) * sumDyX / m - xh * sumRdyX / m
                    rdx[i] = Float(ra * base + aa * rbase)
                }
            } else {
                planes { i in rdx[i] = Float(dg * invStd * Double(dy[i]) + g * invStd * Double(rdy[i])) }
            }
        }
        return (try inputGradient(self, dy, batch: batch), UnsafePointer(rdx))
    }
}
