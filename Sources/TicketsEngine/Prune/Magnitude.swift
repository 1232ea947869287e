/// Where magnitudes are ranked: within each layer, or across all layers at once.
public enum PruneScope: String, CaseIterable, Sendable {
    case layer, global
}

public enum Pruning {
    /// Magnitude pruning (Han et al. 2015; IMP's step, Frankle & Carbin 2019): removes
    /// the fraction `rate` of the *remaining* weights with the smallest |w|.
    /// `scope: .layer` ranks within each layer (`rates` overrides a layer's rate);
    /// `.global` ranks all layers together, except the layers named in `rates`, which
    /// are pruned within themselves at their own rate. The count removed from n
    /// survivors is round(rate · n). Equal magnitudes are broken by position (earlier
    /// goes first), or, with `tieSeed`, in a random order drawn from it (layer i from
    /// stream i). Returns the new mask; the net is not changed.
    public static func magnitude(_ net: Network, rate: Double, scope: PruneScope = .layer,
                                 rates: [String: Double] = [:], tieSeed: UInt64? = nil) throws -> Mask {
        try checkRates(rate: rate, rates: rates, net: net)
        let current = Mask(of: net)
        let out = current.tensors.map { $0.copy() }
        var globalPool: [Candidate] = []
        for (i, (name, weight)) in net.prunable.enumerated() {
            let m = current.tensors[i].data, w = weight.value.data
            var survivors: [Candidate] = []
            survivors.reserveCapacity(m.count)
            var ties = tieSeed.map { RNG(seed: $0, stream: Pruning.tieStreams + UInt64(i)) }
            for j in 0..<m.count where m[j] != 0 {
                survivors.append(Candidate(mag: abs(w[j]), tie: ties?.next() ?? 0, layer: i, index: j))
            }
            if scope == .global && rates[name] == nil {
                globalPool += survivors
            } else {
                removeSmallest(survivors, fraction: rates[name] ?? rate, from: out)
            }
        }
        removeSmallest(globalPool, fraction: rate, from: out)
        return Mask(names: current.names, tensors: out, fileKeys: current.fileKeys).with(blueprint: net.blueprint)
    }

    /// A surviving weight, ranked by magnitude, then a tie-break key (0 unless ties are
    /// random), then layer, then position.
    struct Candidate: Comparable {
        var mag: Float, tie: UInt64, layer: Int, index: Int
        static func < (a: Candidate, b: Candidate) -> Bool {
            (a.mag, a.tie, a.layer, a.index) < (b.mag, b.tie, b.layer, b.index)
        }
    }

    /// The streams of random tie-breaks (apart from init, data-order and mask streams).
    static let tieStreams: UInt64 = 0x5449_4553_0000   // "TIES"

    /// Zeroes round(fraction · n) of the candidates with the smallest magnitudes.
    static func removeSmallest(_ candidates: [Candidate], fraction: Double, from masks: [Tensor]) {
        let k = Int((fraction * Double(candidates.count)).rounded())
        guard k > 0 else { return }
        for c in candidates.sorted().prefix(k) { masks[c.layer].data[c.index] = 0 }
    }

    /// The checks `magnitude` makes before it prunes: every rate in [0, 1), every layer
    /// named in `rates` one the net has.
    public static func checkRates(rate: Double, rates: [String: Double], net: Network) throws {
        guard rate >= 0, rate < 1 else { throw EngineError("rate must be in [0, 1), got \(formatDecimal(rate))") }
        for name in rates.keys.sorted() {
            guard net.prunableWeight(name) != nil else {
                throw EngineError("rates names a layer '\(name)' the net does not have (it has \(net.prunableNames.joined(separator: ", ")))")
            }
            let r = rates[name]!
            guard r >= 0, r < 1 else { throw EngineError("rates \(name) must be in [0, 1), got \(formatDecimal(r))") }
        }
    }
}
