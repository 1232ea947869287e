/// Ownership signatures in a ticket's sparse topology (after Chen, Chen, Zhang & Wang,
/// "You are caught stealing my winning lottery ticket! Making a lottery ticket claim
/// its ownership", NeurIPS 2021; code: VITA-Group/NO-stealing-LTH).
///
/// The paper embeds a QR code, ones and zeros, in which channel pairs of a convolution
/// keep any weight, and relies on the code's error correction. A one written where the
/// mask had pruned is a weight the ticket did not choose: measured on LeNet-300-100,
/// such weights stay the smallest after training, and a further 10% of magnitude
/// pruning removes nearly all of them (a balanced signature then read 59% of its bits,
/// not far from the 50% of an unsigned mask). Further pruning and fine-tuning never
/// turn a pruned weight back on, so here the signature is made of zeros only: the key
/// chooses `bits` weights, uniformly over all layers, and signing prunes them (most
/// already are: a mask of density d keeps only a fraction d of them), giving each layer
/// back as many weights elsewhere so its density is exactly kept. An unsigned mask
/// prunes each of the key's weights with its layer's sparsity 1 − d, so all of them
/// are pruned with probability about (1 − d)^bits; verification reports that chance
/// (the p-value) and measures the false positives against random masks of the same
/// densities. The paper's graph-based signatures are left out.
public enum Ownership {
    /// The stream the key draws its units and bits from.
    static let keyStream: UInt64 = 0x5349_474E_0000   // "SIGN"

    /// A key from text (FNV-1a, 64 bits), for keys written as words.
    public static func seed(fromText text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    /// The key's weights: `bits` distinct (layer, index) drawn uniformly over all the
    /// mask's weights (Floyd's algorithm).
    static func signature(_ m: Mask, key: UInt64, bits: Int) throws -> [(layer: Int, index: Int)] {
        let total = m.sizeTotal
        guard bits >= 1 else { throw EngineError("bits must be at least 1, got \(bits)") }
        guard bits <= total / 4 else {
            throw EngineError("a signature of \(bits) bits needs a mask of at least \(4 * bits) weights; the mask has \(total)")
        }
        var rng = RNG(seed: key, stream: keyStream)
        var chosen: [Int] = [], seen = Set<Int>()
        for j in (total - bits)..<total {
            let t = rng.below(j + 1)
            let pick = seen.contains(t) ? j : t
            seen.insert(pick); chosen.append(pick)
        }
        var starts: [Int] = [], s = 0
        for t in m.tensors { starts.append(s); s += t.count }
        return chosen.map { u in
            let layer = starts.lastIndex { $0 <= u } ?? 0
            return (layer, u - starts[layer])
        }
    }

    /// The mask with the key's signature embedded: each of the key's weights that the
    /// mask keeps is pruned, and its layer takes back as many weights outside the key's
    /// set, in an order drawn from the key (with `weights`, the largest nonzero ones
    /// first), so every layer's density is exactly kept. The change is about 2·d·bits
    /// entries for a mask of density d.
    public static func sign(_ mask: Mask, key: UInt64, bits: Int, weights: Network? = nil) throws -> Mask {
        if let net = weights { try mask.check(fits: net) }
        let sig = try signature(mask, key: key, bits: bits)
        let out = Mask(names: mask.names, tensors: mask.tensors.map { $0.copy() }, fileKeys: mask.fileKeys).with(blueprint: mask.blueprint)
        var reserved = mask.tensors.map { [Bool](repeating: false, count: $0.count) }
        var removed = [Int](repeating: 0, count: mask.names.count)
        for (l, j) in sig {
            reserved[l][j] = true
            if out.tensors[l].data[j] != 0 { out.tensors[l].data[j] = 0; removed[l] += 1 }
        }
        let values = weights?.prunable.map { $0.weight.value.data }
        var rng = RNG(seed: key, stream: keyStream + 1)
        for i in out.names.indices where removed[i] > 0 {
            let t = out.tensors[i]
            var pool = (0..<t.count).filter { !reserved[i][$0] && t.data[$0] == 0 }
            for k in stride(from: pool.count - 1, to: 0, by: -1) { pool.swapAt(k, rng.below(k + 1)) }
            if let v = values?[i] {
                let rank = Dictionary(uniqueKeysWithValues: pool.enumerated().map { ($1, $0) })
                pool.sort { (abs(v[$0]), -rank[$0]!) > (abs(v[$1]), -rank[$1]!) }
            }
            guard pool.count >= removed[i] else {
                throw EngineError("layer \(out.names[i]) has too few pruned weights outside the signature to keep its density; use fewer bits")
            }
            for j in pool.prefix(removed[i]) { t.data[j] = 1 }
        }
        return out
    }

    /// How well a mask carries a key's signature, and how often an unsigned mask would.
    public struct Verification {
        public var bits: Int
        /// The key's weights the mask prunes.
        public var matched: Int
        /// matched / bits: 1 for a signed mask, about 1 − d for an unsigned one.
        public var score: Double { Double(matched) / Double(max(bits, 1)) }
        /// The chance below which an unsigned mask is ruled out.
        public var alpha: Double
        /// The probability that an unsigned mask (each of the key's weights pruned with
        /// its layer's sparsity) prunes at least `matched` of them.
        public var pValue: Double
        public var verified: Bool { pValue <= alpha }
        /// The count an unsigned mask must reach to pass, and the chance it does.
        public var needed: Int
        public var expectedFalsePositive: Double
        /// The counts of `trials` unsigned masks: random masks of the same per-layer
        /// densities, read with the same key.
        public var nullMatched: [Int]
        /// The fraction of those that pass: the measured false-positive rate.
        public var falsePositive: Double {
            nullMatched.isEmpty ? .nan : Double(nullMatched.filter { $0 >= needed }.count) / Double(nullMatched.count)
        }
    }

    /// Reads the key's signature from a mask and measures the false positives against
    /// `trials` random masks of the same per-layer densities (drawn with `seed`).
    public static func verify(_ mask: Mask, key: UInt64, bits: Int, alpha: Double = 1e-6, trials: Int = 100,
                              seed: UInt64 = 0) throws -> Verification {
        guard alpha > 0, alpha < 1 else { throw EngineError("alpha must be in (0, 1), got \(formatDecimal(alpha))") }
        guard trials >= 0 else { throw EngineError("trials must be at least 0, got \(trials)") }
        let sig = try signature(mask, key: key, bits: bits)
        func count(_ m: Mask) -> Int { sig.filter { m.tensors[$0.layer].data[$0.index] == 0 }.count }
        let tail = upperTail(sig.map { 1 - mask.density($0.layer) })
        let needed = tail.firstIndex { $0 <= alpha } ?? bits + 1
        let null = (0..<trials).map { count(randomLike(mask, seed: RNG.mix(seed, UInt64($0)))) }
        return Verification(bits: bits, matched: count(mask), alpha: alpha, pValue: tail[count(mask)], needed: needed,
                            expectedFalsePositive: needed <= bits ? tail[needed] : 0, nullMatched: null)
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
