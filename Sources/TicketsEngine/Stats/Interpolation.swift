/// Points on the line between two nets of one architecture, and the test error along
/// it: linear mode connectivity (Frankle, Dziugaite, Roy & Carbin, ICML 2020).
public enum Interpolation {
    /// A new net with α·a + (1 − α)·b for every parameter, weights, biases and buffers
    /// alike. A pair that shares its masks keeps them; otherwise the result is dense
    /// (its nonzeros are the union of the two). α = 1 gives a, α = 0 gives b, exactly.
    public static func interpolate(_ a: Network, _ b: Network, alpha: Double) throws -> Network {
        guard alpha >= 0, alpha <= 1 else { throw EngineError("alpha must be in [0, 1], got \(formatDecimal(alpha))") }
        try a.check(sameArchitectureAs: b)
        let out = a.copy()
        out.step = 0
        if !sameMasks(a, b) { for (_, w) in out.prunable { w.mask = nil } }
        set(out, a, b, alpha: Float(alpha))
        return out
    }

    /// Writes α·a + (1 − α)·b into `out`'s parameters (all three of one architecture).
    /// At α = 1 and α = 0 the end points are copied, not computed, so they are exact.
    static func set(_ out: Network, _ a: Network, _ b: Network, alpha: Float) {
        for ((p, (_, pa)), (_, pb)) in zip(zip(out.namedParameters.map(\.parameter), a.namedParameters), b.namedParameters) {
            if alpha == 1 { p.value.data = pa.value.data; continue }
            if alpha == 0 { p.value.data = pb.value.data; continue }
            let beta = 1 - alpha
            p.value.data.withUnsafeMutableBufferPointer { o in
                pa.value.data.withUnsafeBufferPointer { x in
                    pb.value.data.withUnsafeBufferPointer { y in
                        for i in 0..<o.count { o[i] = alpha * x[i] + beta * y[i] }
                    }
                }
            }
        }
    }

    /// Whether every prunable layer has the same mask in both (dense counts as a mask).
    static func sameMasks(_ a: Network, _ b: Network) -> Bool {
        zip(a.prunable, b.prunable).allSatisfy { x, y in
            switch (x.weight.mask, y.weight.mask) {
            case (nil, nil): return true
            case let (m?, n?): return m.data == n.data
            default: return false
            }
        }
    }
}

/// The error of the nets on the line from b (α = 0) to a (α = 1).
public struct ConnectivityCurve: Sendable {
    public var alphas: [Double]
    /// Error (1 − accuracy) and mean loss at each α.
    public var errors: [Double]
    public var losses: [Double]
    /// The error barrier, the paper's instability: max_α E(α) − (E(a) + E(b)) / 2.
    /// It is never below |E(a) − E(b)| / 2 (the larger end point is on the line), so two
    /// nets whose errors differ by 2 points have a barrier of at least 1 point even when
    /// the error is straight between them; `barrierLinear` has no such floor.
    public var barrier: Double { (errors.max() ?? 0) - (errorA + errorB) / 2 }
    /// The error above the straight line between the end points:
    /// max_α E(α) − (α·E(a) + (1 − α)·E(b)); 0 when the error changes linearly, or
    /// less, between the ends (as Entezari et al. 2022 and the later LMC literature
    /// measure it).
    public var barrierLinear: Double {
        zip(alphas, errors).map { alpha, e in e - (alpha * errorA + (1 - alpha) * errorB) }.max() ?? 0
    }
    public var errorA: Double { errors.last ?? 0 }
    public var errorB: Double { errors.first ?? 0 }
}

extension Interpolation {
    /// The error and loss of α·a + (1 − α)·b on a split at `steps` evenly spaced α in
    /// [0, 1] (the paper: 30). One scratch net is reused for every α.
    public static func curve(_ a: Network, _ b: Network, on data: Dataset, split: Trainer.SplitName = .test,
                             steps: Int = 30, shouldStop: () -> Bool = { false }) throws -> ConnectivityCurve {
        guard steps >= 2 else { throw EngineError("steps must be at least 2 (the two end points), got \(steps)") }
        try a.check(sameArchitectureAs: b)
        try a.check(sampleShape: data.sampleShape, classes: data.classes)
        let scratch = a.copy()
        if !sameMasks(a, b) { for (_, w) in scratch.prunable { w.mask = nil } }
        var curve = ConnectivityCurve(alphas: [], errors: [], losses: [])
        for i in 0..<steps {
            if shouldStop() { throw Interrupted("interrupted after \(i) of \(steps) points", partial: curve) }
            let alpha = Double(i) / Double(steps - 1)
            set(scratch, a, b, alpha: Float(alpha))
            let e = try Trainer.evaluate(scratch, on: data, split: split)
            curve.alphas.append(alpha); curve.errors.append(1 - e.acc); curve.losses.append(e.loss)
        }
        return curve
    }
}
