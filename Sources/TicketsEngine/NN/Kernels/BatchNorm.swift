// Batch normalisation, PyTorch's conventions (`nn.BatchNorm1d` / `nn.BatchNorm2d`):
//
//   training:  y = γ·(x − μ)/√(σ² + ε) + β with μ, σ² the mean and the *biased*
//              variance (divide by M) of the channel over the batch — M = N·H·W
//              values for images (N, C, H, W), M = N for features (N, C);
//              running_mean ← (1 − m)·running_mean + m·μ,
//              running_var  ← (1 − m)·running_var  + m·σ²·M/(M − 1)   (*unbiased*);
//   eval:      y = γ·(x − running_mean)/√(running_var + ε) + β.
//
// with momentum m = 0.1 and ε = 1e-5 by default, running_mean starting at 0 and
// running_var at 1 (the caller's buffers). The naive references are in
// BatchNormReference.swift.
//
// Each kernel works on a range of channels: a channel's statistics need all its
// samples, so the work splits by channel, not by sample. Calls on disjoint channel
// ranges write disjoint memory (y, dx, the per-channel statistics and gradients) and
// may run at once.

/// The shape batch norm sees: x (N, C, S) where S = H·W for images (N, C, H, W) and
/// S = 1 for features (N, C).
public struct BatchNormShape: Equatable, Sendable, CustomStringConvertible {
    public let batch: Int
    public let channels: Int
    /// Values per channel per sample: H·W, or 1.
    public let spatial: Int

    public init(batch: Int, channels: Int, spatial: Int = 1) throws {
        try requireAtLeast(1, [("batch", batch), ("channels", channels), ("spatial size", spatial)], in: "batch norm")
        _ = try checkedElementCount([batch, channels, spatial], "batch norm's input")
        self.batch = batch; self.channels = channels; self.spatial = spatial
    }

    /// For images x (N, C, H, W).
    public init(batch: Int, channels: Int, height: Int, width: Int) throws {
        try requireAtLeast(1, [("height", height), ("width", width)], in: "batch norm")
        try self.init(batch: batch, channels: channels, spatial: height * width)
    }

    public var description: String { "\(batch)×\(channels)×\(spatial)" }

    /// M = N·S, the values each channel's statistics are taken over.
    public var valuesPerChannel: Int { batch * spatial }
    /// N·C·S
    public var count: Int { batch * channels * spatial }

    /// Training mode needs two values per channel or more (one has no variance; PyTorch
    /// refuses it the same way). Layers call this before `batchNormForwardTraining`.
    public func checkTrainable() throws {
        if valuesPerChannel < 2 {
            throw EngineError("batch norm: training needs more than 1 value per channel, but the input has \(batch) sample(s) of \(channels) channel(s) with \(spatial) value(s) each.")
        }
    }
}

/// Training-mode forward with the batch's statistics.
/// x (N, C, S), γ (C), β (C) → y (N, C, S); savedMean (C) = μ and savedInvStd (C) =
/// 1/√(σ² + ε) for the backward pass; runningMean / runningVar (C), when given, are
/// updated with `momentum`. Needs `s.checkTrainable()` (M ≥ 2).
public func batchNormForwardTraining(_ s: BatchNormShape, x: UnsafePointer<Float>,
                                     gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                     y: UnsafeMutablePointer<Float>,
                                     savedMean: UnsafeMutablePointer<Float>, savedInvStd: UnsafeMutablePointer<Float>,
                                     runningMean: UnsafeMutablePointer<Float>?, runningVar: UnsafeMutablePointer<Float>?,
                                     momentum: Float = 0.1, eps: Float = 1e-5, channels: Range<Int>? = nil) {
    let channels = checkedRange(channels, s.channels)
    let m = Double(s.valuesPerChannel)
    for c in channels {
        // Two passes, Float64 across planes: the mean, then the squares about it.
        var sum = 0.0
        for n in 0..<s.batch { sum += Double(planeSum(x + s.offset(n, c), count: s.spatial)) }
        let mean = sum / m
        var squares = 0.0
        for n in 0..<s.batch {
            squares += Double(planeSquaredDeviation(x + s.offset(n, c), Float(mean), count: s.spatial))
        }
        let variance = squares / m
        let invStd = 1 / (variance + Double(eps)).squareRoot()
        savedMean[c] = Float(mean); savedInvStd[c] = Float(invStd)
        if let runningMean { runningMean[c] = (1 - momentum) * runningMean[c] + momentum * Float(mean) }
        if let runningVar {
            let unbiased = squares / max(m - 1, 1)
            runningVar[c] = (1 - momentum) * runningVar[c] + momentum * Float(unbiased)
        }
        // y = γ/σ · (x − μ) + β
        let a = Float(Double(gamma[c]) * invStd)
        for n in 0..<s.batch {
            let at = s.offset(n, c)
            normalizePlane(x + at, Float(mean), a, beta[c], y + at, count: s.spatial)
        }
    }
}

/// Eval-mode forward with the running statistics.
/// x (N, C, S), γ, β, runningMean, runningVar (C) → y (N, C, S).
public func batchNormForwardEval(_ s: BatchNormShape, x: UnsafePointer<Float>,
                                 gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                 runningMean: UnsafePointer<Float>, runningVar: UnsafePointer<Float>,
                                 y: UnsafeMutablePointer<Float>, eps: Float = 1e-5, channels: Range<Int>? = nil) {
    let channels = checkedRange(channels, s.channels)
    for c in channels {
        let a = Float(Double(gamma[c]) / (Double(runningVar[c]) + Double(eps)).squareRoot())
        for n in 0..<s.batch {
            let at = s.offset(n, c)
            normalizePlane(x + at, runningMean[c], a, beta[c], y + at, count: s.spatial)
        }
    }
}

/// Training-mode backward, through the batch statistics.
/// dy (N, C, S), x (N, C, S), γ (C), savedMean, savedInvStd (C) from the forward →
/// dγ (C) = Σ dy·x̂, dβ (C) = Σ dy (written over), and dx (N, C, S) when not nil:
///     dx = γ/σ · (dy − dβ/M − x̂·dγ/M),   x̂ = (x − μ)/σ.
public func batchNormBackwardTraining(_ s: BatchNormShape, dy: UnsafePointer<Float>, x: UnsafePointer<Float>,
                                      gamma: UnsafePointer<Float>,
                                      savedMean: UnsafePointer<Float>, savedInvStd: UnsafePointer<Float>,
                                      dx: UnsafeMutablePointer<Float>?,
                                      dGamma: UnsafeMutablePointer<Float>, dBeta: UnsafeMutablePointer<Float>,
                                      channels: Range<Int>? = nil) {
    let channels = checkedRange(channels, s.channels)
    let m = Double(s.valuesPerChannel)
    for c in channels {
        let mean = savedMean[c], invStd = Double(savedInvStd[c])
        var sumDy = 0.0, sumDyCentered = 0.0
        for n in 0..<s.batch {
            let at = s.offset(n, c)
            sumDy += Double(planeSum(dy + at, count: s.spatial))
            sumDyCentered += Double(planeCenteredDot(dy + at, x + at, mean, count: s.spatial))
        }
        dBeta[c] = Float(sumDy)
        dGamma[c] = Float(sumDyCentered * invStd)
        guard let dx else { continue }
        // dx = A·dy + B·(x − μ) + K with A = γ/σ, B = −γ/σ³ · Σdy(x−μ)/M, K = −A·Σdy/M
        let a = Double(gamma[c]) * invStd
        let b = -a * invStd * invStd * sumDyCentered / m
        let k = -a * sumDy / m
        for n in 0..<s.batch {
            let at = s.offset(n, c)
            combinePlanes(dy + at, Float(a), x + at, mean, Float(b), Float(k), dx + at, count: s.spatial)
        }
    }
}

extension BatchNormShape {
    /// Where channel c of sample n starts.
    @inline(__always) func offset(_ n: Int, _ c: Int) -> Int { (n * channels + c) * spatial }
}

// MARK: - Loops over one plane (separate functions so that they vectorise)

/// Σ (p[i] − mean)²
@inline(never)
func planeSquaredDeviation(_ p: UnsafePointer<Float>, _ mean: Float, count: Int) -> Float {
    var sum: Float = 0
    for i in 0..<count { let d = p[i] - mean; sum += d * d }
    return sum
}

/// Σ dy[i]·(x[i] − mean)
@inline(never)
func planeCenteredDot(_ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ mean: Float, count: Int) -> Float {
    var sum: Float = 0
    for i in 0..<count { sum += dy[i] * (x[i] - mean) }
    return sum
}

/// dst[i] = a·(src[i] − mean) + b   (centred first, so a large mean costs no precision)
@inline(never)
func normalizePlane(_ src: UnsafePointer<Float>, _ mean: Float, _ a: Float, _ b: Float,
                    _ dst: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { dst[i] = a * (src[i] - mean) + b }
}

/// dst[i] = a·u[i] + b·(v[i] − mean) + k
@inline(never)
func combinePlanes(_ u: UnsafePointer<Float>, _ a: Float, _ v: UnsafePointer<Float>, _ mean: Float,
                   _ b: Float, _ k: Float, _ dst: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { dst[i] = a * u[i] + b * (v[i] - mean) + k }
}
