import Foundation

/// Ownership signatures in a ticket's sparse topology (Chen, Chen, Zhang & Wang, "You
/// are caught stealing my winning lottery ticket! Making a lottery ticket claim its
/// ownership", NeurIPS 2021; code: VITA-Group/NO-stealing-LTH).
///
/// The paper embeds a signature (a QR code) in the connectivity of a convolution: the
/// map of which (output, input) channel pairs keep any of their k×k weights, at a place
/// chosen where the map already agrees most, keeping the layer's density; it verifies
/// by reading that map back. Here the signature is `bits` balanced bits at `bits` units
/// chosen by a key: a unit is a kernel (o, c) of a convolution, as in the paper, or a
/// single weight of a linear layer (an MLP has no kernels), drawn uniformly over the
/// units of all layers. A unit reads 1 when it keeps any weight. The key stands for the
/// paper's secret location; the bits come from the key too, half of them ones, so an
/// unsigned mask of any density matches half of them on average. Verification scores
/// the fraction of the key's units that read their bit and measures how often unsigned
/// masks reach it; the paper's graph-based signatures are left out.
public enum Ownership {
    /// The stream the key draws its units and bits from.
    static let keyStream: UInt64 = 0x5349_474E_0000   // "SIGN"

    /// A key from text (FNV-1a, 64 bits), for keys written as words.
    public static func seed(fromText text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    /// One unit: a layer and the flat indices of its weights in that layer.
    struct Unit { var layer: Int; var first: Int; var count: Int }

    /// The units of a mask's layers, layer by layer: kernels of 4-d weights (O, C, KH,
    /// KW), single weights otherwise.
    static func unitCounts(_ m: Mask) -> [(count: Int, size: Int)] {
        m.tensors.map { t in t.shape.count == 4 ? (t.shape[0] * t.shape[1], t.shape[2] * t.shape[3]) : (t.count, 1) }
    }

    /// The key's units and bits: `bits` distinct units drawn uniformly, half of them 1.
    static func signature(_ m: Mask, key: UInt64, bits: Int) throws -> [(unit: Unit, bit: Bool)] {
        let counts = unitCounts(m)
        let total = counts.reduce(0) { $0 + $1.count }
        guard bits >= 2 else { throw EngineError("bits must be at least 2, got \(bits)") }
        guard bits <= total / 2 else {
            throw EngineError("a signature of \(bits) bits needs at least \(2 * bits) units (weights, or kernels of a convolution); the mask has \(total)")
        }
        var rng = RNG(seed: key, stream: keyStream)
        // bits distinct draws from 0..<total (Floyd's algorithm), in the order drawn.
        var chosen: [Int] = [], seen = Set<Int>()
        for j in (total - bits)..<total {
            let t = rng.below(j + 1)
            let pick = seen.contains(t) ? j : t
            seen.insert(pick); chosen.append(pick)
        }
        let order = rng.permutation(bits)
        var values = [Bool](repeating: false, count: bits)
        for r in 0..<(bits / 2) { values[Int(order[r])] = true }
        var starts: [Int] = [], s = 0
        for c in counts { starts.append(s); s += c.count }
        return zip(chosen, values).map { u, bit in
            let layer = starts.lastIndex { $0 <= u } ?? 0
            let local = u - starts[layer], size = counts[layer].size
            return (Unit(layer: layer, first: local * size, count: size), bit)
        }
    }

    static func reads(_ m: Mask, _ u: Unit) -> Bool {
        (u.first..<(u.first + u.count)).contains { m.tensors[u.layer].data[$0] != 0 }
    }

    /// The mask with the key's signature embedded and every layer's density kept: each
    /// of the key's units that reads the wrong bit is changed (a unit that must read 1
    /// keeps one weight, the largest of `weights` when given; one that must read 0 loses
    /// all of its), then each layer gives back as many weights as it gained, or takes
    /// back as many as it lost, outside the key's units: the kept weights of smallest
    /// magnitude go when `weights` is given (as magnitude pruning would choose), else
    /// ones drawn from the key; pruned weights return in an order drawn from the key
    /// (they are zero in a masked net, so their magnitudes tell nothing).
    public static func sign(_ mask: Mask, key: UInt64, bits: Int, weights: Network? = nil) throws -> Mask {
        if let net = weights { try mask.check(fits: net) }
        let sig = try signature(mask, key: key, bits: bits)
        let out = Mask(names: mask.names, tensors: mask.tensors.map { $0.copy() }, fileKeys: mask.fileKeys).with(blueprint: mask.blueprint)
        let before = mask.names.indices.map { mask.kept($0) }
        let values = weights?.prunable.map { $0.weight.value.data }
        var rng = RNG(seed: key, stream: keyStream + 1)
        var reserved = mask.tensors.map { [Bool](repeating: false, count: $0.count) }
        for (u, bit) in sig {
            for j in u.first..<(u.first + u.count) { reserved[u.layer][j] = true }
            guard reads(out, u) != bit else { continue }
            let t = out.tensors[u.layer]
            if bit {
                var pick = u.first + rng.below(u.count)
                if let v = values?[u.layer], let best = (u.first..<(u.first + u.count)).max(by: { abs(v[$0]) < abs(v[$1]) }),
                   v[best] != 0 {
                    pick = best
                }
                t.data[pick] = 1
            } else {
                for j in u.first..<(u.first + u.count) { t.data[j] = 0 }
            }
        }
        for i in out.names.indices {
            let delta = out.kept(i) - before[i]
            guard delta != 0 else { continue }
            let t = out.tensors[i]
            let want: Float = delta > 0 ? 1 : 0     // the entries that give up their state
            var pool = (0..<t.count).filter { !reserved[i][$0] && t.data[$0] == want }
            // A random order from the key; with weights, kept ones then go smallest first.
            // (Pruned weights are zero in a masked net: those return in the key's order.)
            for k in stride(from: pool.count - 1, to: 0, by: -1) { pool.swapAt(k, rng.below(k + 1)) }
            if delta > 0, let v = values?[i] {
                let rank = Dictionary(uniqueKeysWithValues: pool.enumerated().map { ($1, $0) })
                pool.sort { (abs(v[$0]), rank[$0]!) < (abs(v[$1]), rank[$1]!) }
            }
            guard pool.count >= abs(delta) else {
                throw EngineError("layer \(out.names[i]) has too few weights outside the signature to keep its density; use fewer bits")
            }
            for j in pool.prefix(abs(delta)) { t.data[j] = 1 - want }
        }
        return out
    }

    /// How well a mask carries a key's signature, and how often an unsigned mask would.
    public struct Verification {
        public var bits: Int
        /// Units that read their bit.
        public var matched: Int
        /// matched / bits.
        public var score: Double { Double(matched) / Double(max(bits, 1)) }
        /// The score a mask needs to count as signed.
        public var threshold: Double
        public var verified: Bool { score >= threshold }
        /// The scores of `trials` unsigned masks: random masks of the same per-layer
        /// densities, read with the same key.
        public var nullScores: [Double]
        /// The fraction of those that reach the threshold: the measured false-positive rate.
        public var falsePositive: Double {
            nullScores.isEmpty ? .nan : Double(nullScores.filter { $0 >= threshold }.count) / Double(nullScores.count)
        }
        /// The probability that an unsigned mask of these unit densities reads at least
        /// `matched` bits, each unit independently kept with its layer's unit density.
        public var pValue: Double
        /// The same probability at the threshold: the false-positive rate expected.
        public var expectedFalsePositive: Double
    }

    /// Reads the key's signature from a mask and measures the false positives against
    /// `trials` random masks of the same per-layer densities (drawn with `seed`).
    public static func verify(_ mask: Mask, key: UInt64, bits: Int, threshold: Double = 0.75, trials: Int = 100,
                              seed: UInt64 = 0) throws -> Verification {
        guard threshold > 0, threshold <= 1 else { throw EngineError("threshold must be in (0, 1], got \(formatDecimal(threshold))") }
        guard trials >= 0 else { throw EngineError("trials must be at least 0, got \(trials)") }
        let sig = try signature(mask, key: key, bits: bits)
        let matched = sig.filter { reads(mask, $0.unit) == $0.bit }.count
        var null: [Double] = []
        for t in 0..<trials {
            let r = randomLike(mask, seed: RNG.mix(seed, UInt64(t)))
            null.append(Double(sig.filter { reads(r, $0.unit) == $0.bit }.count) / Double(bits))
        }
        // Each unit of layer l reads 1 with the layer's fraction of units that do.
        let counts = unitCounts(mask)
        let unitDensity = mask.names.indices.map { i -> Double in
            let c = counts[i]
            let on = (0..<c.count).filter { reads(mask, Unit(layer: i, first: $0 * c.size, count: c.size)) }.count
            return Double(on) / Double(max(c.count, 1))
        }
        let p = sig.map { $0.bit ? unitDensity[$0.unit.layer] : 1 - unitDensity[$0.unit.layer] }
        let tail = upperTail(p)
        let need = Int((threshold * Double(bits)).rounded(.up))
        return Verification(bits: bits, matched: matched, threshold: threshold, nullScores: null,
                            pValue: tail[matched], expectedFalsePositive: tail[min(need, bits)])
    }

    /// A random mask with each layer's kept count of `m` (layer i from stream i).
    static func randomLike(_ m: Mask, seed: UInt64) -> Mask {
        Mask(names: m.names, tensors: m.tensors.enumerated().map { i, t in
            var rng = RNG(seed: seed, stream: UInt64(i))
            let order = rng.permutation(t.count)
            var d = [Float](repeating: 0, count: t.count)
            for j in 0..<m.kept(i) { d[Int(order[j])] = 1 }
            return Tensor(shape: t.shape, data: d)
        }, fileKeys: m.fileKeys)
    }

    /// P(at least k successes) for k = 0...n of independent trials with probabilities
    /// p (a Poisson-binomial tail, by dynamic programming).
    static func upperTail(_ p: [Double]) -> [Double] {
        var dist = [1.0]
        for q in p {
            var next = [Double](repeating: 0, count: dist.count + 1)
            for (k, v) in dist.enumerated() { next[k] += v * (1 - q); next[k + 1] += v * q }
            dist = next
        }
        var tail = [Double](repeating: 0, count: dist.count + 1)
        for k in stride(from: dist.count - 1, through: 0, by: -1) { tail[k] = tail[k + 1] + dist[k] }
        return Array(tail.prefix(dist.count))
    }
}
