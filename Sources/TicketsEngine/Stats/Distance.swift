import Foundation

/// How far apart two nets of one architecture are, per prunable layer (its weights
/// and biases) and over all trained parameters: the companion statistic of
/// "Stabilizing the LTH" (Frankle et al. 2019).
public struct NetDistance: Sendable {
    public struct Part: Sendable {
        /// ‖a − b‖₂
        public var l2: Double
        /// ‖a − b‖₂ / ‖a‖₂ (nan when a is zero)
        public var relative: Double
        /// a·b / (‖a‖₂ ‖b‖₂) (nan when either is zero)
        public var cosine: Double
    }
    public var layers: [(name: String, part: Part)]
    public var total: Part

    public static func between(_ a: Network, _ b: Network) throws -> NetDistance {
        try a.check(sameArchitectureAs: b)
        var sums: [String: (dd: Double, aa: Double, bb: Double, ab: Double)] = [:]
        var all = (dd: 0.0, aa: 0.0, bb: 0.0, ab: 0.0)
        for ((key, pa), (_, pb)) in zip(a.namedParameters, b.namedParameters) where pa.trainable {
            let layer = String(key[..<(key.lastIndex(of: ".") ?? key.endIndex)])
            var s = (dd: 0.0, aa: 0.0, bb: 0.0, ab: 0.0)
            for (x, y) in zip(pa.value.data, pb.value.data) {
                let u = Double(x), v = Double(y)
                s.dd += (u - v) * (u - v); s.aa += u * u; s.bb += v * v; s.ab += u * v
            }
            let t = sums[layer] ?? (0, 0, 0, 0)
            sums[layer] = (t.dd + s.dd, t.aa + s.aa, t.bb + s.bb, t.ab + s.ab)
            all = (all.dd + s.dd, all.aa + s.aa, all.bb + s.bb, all.ab + s.ab)
        }
        func part(_ s: (dd: Double, aa: Double, bb: Double, ab: Double)) -> Part {
            Part(l2: s.dd.squareRoot(), relative: s.aa > 0 ? (s.dd / s.aa).squareRoot() : .nan,
                 cosine: s.aa > 0 && s.bb > 0 ? s.ab / (s.aa * s.bb).squareRoot() : .nan)
        }
        return NetDistance(layers: a.prunableNames.compactMap { n in sums[n].map { (n, part($0)) } }, total: part(all))
    }
}
