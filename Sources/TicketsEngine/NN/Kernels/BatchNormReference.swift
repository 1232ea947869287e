// The naive batch norm: each channel's values gathered into a list, statistics and
// gradients by the textbook formulas in Float64. The kernels in BatchNorm.swift are
// tested against it.

/// Training-mode forward: x (N, C, S), γ, β (C) → y (N, C, S), the batch mean and
/// biased variance (C), and the running statistics (C) after one update.
public func batchNormForwardTrainingReference(_ s: BatchNormShape, x: [Float], gamma: [Float], beta: [Float],
                                              runningMean: [Float], runningVar: [Float],
                                              momentum: Float = 0.1, eps: Float = 1e-5)
    -> (y: [Float], mean: [Float], variance: [Float], runningMean: [Float], runningVar: [Float]) {
    var y = [Float](repeating: 0, count: s.count)
    var means = [Float](), variances = [Float](), newMean = runningMean, newVar = runningVar
    for c in 0..<s.channels {
        let at = s.indices(ofChannel: c)
        let values = at.map { Double(x[$0]) }
        let m = Double(values.count)
        let mean = values.reduce(0, +) / m
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / m
        for k in at {
            y[k] = Float(Double(gamma[c]) * (Double(x[k]) - mean) / (variance + Double(eps)).squareRoot() + Double(beta[c]))
        }
        means.append(Float(mean)); variances.append(Float(variance))
        let mo = Double(momentum)
        newMean[c] = Float((1 - mo) * Double(runningMean[c]) + mo * mean)
        newVar[c] = Float((1 - mo) * Double(runningVar[c]) + mo * variance * m / (m - 1))
    }
    return (y, means, variances, newMean, newVar)
}

/// Eval-mode forward: x (N, C, S) → y (N, C, S) with the running statistics.
public func batchNormForwardEvalReference(_ s: BatchNormShape, x: [Float], gamma: [Float], beta: [Float],
                                          runningMean: [Float], runningVar: [Float], eps: Float = 1e-5) -> [Float] {
    var y = [Float](repeating: 0, count: s.count)
    for c in 0..<s.channels {
        let sd = (Double(runningVar[c]) + Double(eps)).squareRoot()
        for k in s.indices(ofChannel: c) {
            y[k] = Float(Double(gamma[c]) * (Double(x[k]) - Double(runningMean[c])) / sd + Double(beta[c]))
        }
    }
    return y
}

/// Training-mode backward: dy, x (N, C, S), γ (C) → dx (N, C, S), dγ (C), dβ (C), with
/// the statistics recomputed from x:
///     dx̂ = γ·dy,  dx = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) / σ.
public func batchNormBackwardTrainingReference(_ s: BatchNormShape, dy: [Float], x: [Float], gamma: [Float],
                                               eps: Float = 1e-5) -> (dx: [Float], dGamma: [Float], dBeta: [Float]) {
    var dx = [Float](repeating: 0, count: s.count)
    var dGamma = [Float](), dBeta = [Float]()
    for c in 0..<s.channels {
        let at = s.indices(ofChannel: c)
        let values = at.map { Double(x[$0]) }
        let m = Double(values.count)
        let mean = values.reduce(0, +) / m
        let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / m + Double(eps)).squareRoot()
        let xHat = values.map { ($0 - mean) / sd }
        let g = at.map { Double(dy[$0]) }
        let dxHat = g.map { $0 * Double(gamma[c]) }
        let meanDxHat = dxHat.reduce(0, +) / m
        let meanDxHatXHat = zip(dxHat, xHat).map { $0 * $1 }.reduce(0, +) / m
        for (i, k) in at.enumerated() {
            dx[k] = Float((dxHat[i] - meanDxHat - xHat[i] * meanDxHatXHat) / sd)
        }
        dGamma.append(Float(zip(g, xHat).map { $0 * $1 }.reduce(0, +)))
        dBeta.append(Float(g.reduce(0, +)))
    }
    return (dx, dGamma, dBeta)
}

extension BatchNormShape {
    /// The indices in x (N, C, S) of channel c's M values.
    func indices(ofChannel c: Int) -> [Int] {
        (0..<batch).flatMap { n in (0..<spatial).map { offset(n, c) + $0 } }
    }
}
