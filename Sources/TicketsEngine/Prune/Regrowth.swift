import Foundation

extension Pruning {
    /// The density at iteration t of gradual magnitude pruning (Zhu & Gupta, "To prune,
    /// or not to prune", 2017, eq. 1): s_t = s_f + (s_i − s_f)(1 − (t − t₀)/(nΔt))³ for
    /// t₀ ≤ t ≤ t₀ + nΔt = end, in densities d = 1 − s: from `initial` at `start` to
    /// `final` at `end`, fast at first and slowly at the end. Before start: initial;
    /// after end: final.
    public static func gradualDensity(at t: Int, initial: Double, final: Double, start: Int, end: Int) -> Double {
        guard end > start else { return t >= end ? final : initial }
        let progress = min(max(Double(t - start) / Double(end - start), 0), 1)
        let decay = pow(1 - progress, 3)
        return final + (initial - final) * decay
    }

    /// GraNet's death rate at iteration t (Liu et al. 2021; its code's CosineDecay over
    /// the whole run): from `rate` at 0 down to 0.005 at `total`, by a half cosine.
    public static func regrowthRate(at t: Int, rate: Double, total: Int, minimum: Double = 0.005) -> Double {
        guard total > 0 else { return rate }
        let progress = min(max(Double(t) / Double(total), 0), 1)
        return minimum + (rate - minimum) * (1 + cos(Double.pi * progress)) / 2
    }

    /// What one step of zero-cost neuroregeneration did.
    public struct Regrowth {
        /// The mask after the step.
        public var mask: Mask
        /// New connections per layer: regrown where the mask had pruned before the step.
        public var regrown: [Int]
    }

    /// Zero-cost neuroregeneration (Liu et al., "Sparse Training via Boosting Pruning
    /// Plasticity with Neuroregeneration", NeurIPS 2021, GraNet): in every layer, remove
    /// ⌈rate · n⌉ of its n surviving weights by magnitude, then regrow as many where the
    /// gradient of the dense net is largest in magnitude, among the positions pruned
    /// after the removal (GraNet's magnitude_death and gradient_growth, layer by layer);
    /// a weight removed and regrown at once keeps its value, as in GraNet's code. With a
    /// `pattern`, regrowth skips groups that already keep N, so an N:M mask stays one.
    /// The gradient is the loss gradient of one training batch of `batch` examples drawn
    /// with `seed` (GraNet reads the last training batch's; the layers run in training
    /// mode on a copy). With `apply`, the net takes the mask; new connections start at
    /// zero (they were pruned, so their value is zero). The density of every layer is
    /// unchanged.
    public static func regenerate(_ net: Network, data: Dataset, rate: Double, batch: Int = 60, seed: UInt64 = 0,
                                  pattern: NMPattern? = nil, apply: Bool = true) throws -> Regrowth {
        guard rate >= 0, rate <= 1 else { throw EngineError("rate must be in [0, 1], got \(formatDecimal(rate))") }
        if let p = pattern { for (name, w) in net.prunable { try p.check(layer: name, shape: w.shape) } }
        try net.check(sampleShape: data.sampleShape, classes: data.classes)
        let b = try randomBatch(data, count: batch, seed: seed)
        let grads = try lossGradients(net.copy(), b, training: true).grads
        let current = Mask(of: net)
        let out = current.tensors.map { $0.copy() }
        var regrown: [Int] = []
        for (i, (_, w)) in net.prunable.enumerated() {
            let m = out[i], v = w.value.data, g = grads[i]
            let alive = (0..<m.count).filter { m.data[$0] != 0 }
            let k = min(Int((rate * Double(alive.count)).rounded(.up)), alive.count)
            for j in alive.sorted(by: { (abs(v[$0]), $0) < (abs(v[$1]), $1) }).prefix(k) { m.data[j] = 0 }
            let empty = (0..<m.count).filter { m.data[$0] == 0 }
            var grow: [Int] = []
            // With a pattern, a group that already keeps N takes no more.
            let row = NMPattern.rowLength(w.shape)
            var filled = [Int](repeating: 0, count: pattern.map { m.count / $0.m } ?? 0)
            if let p = pattern { for j in 0..<m.count where m.data[j] != 0 { filled[p.group(of: j, rowLength: row)] += 1 } }
            for j in empty.sorted(by: { (abs(g[$0]), -$0) > (abs(g[$1]), -$1) }) where grow.count < k {
                if let p = pattern {
                    let gr = p.group(of: j, rowLength: row)
                    guard filled[gr] < p.n else { continue }
                    filled[gr] += 1
                }
                grow.append(j)
            }
            for j in grow { m.data[j] = 1 }
            // A weight removed and regrown in this step keeps its value (as GraNet's
            // code); the others were pruned before, so they are zero: new connections.
            regrown.append(grow.filter { current.tensors[i].data[$0] == 0 }.count)
        }
        let mask = Mask(names: current.names, tensors: out, fileKeys: current.fileKeys).with(blueprint: net.blueprint)
        if apply { try mask.apply(to: net) }
        return Regrowth(mask: mask, regrown: regrown)
    }
}
