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
        try magnitude(net, amount: .rate(rate), options: PruneOptions(scope: scope, rates: rates, tieSeed: tieSeed))
    }

    /// Magnitude pruning to any amount (a rate of the survivors, a density, per-layer
    /// densities, or an N:M pattern alone), with the options every criterion takes.
    public static func magnitude(_ net: Network, amount: PruneAmount, options: PruneOptions) throws -> Mask {
        try keepHighest(magnitudeScores(net), net: net, current: Mask(of: net), amount: amount, options: options)
    }

    /// |w| of every prunable weight, layer by layer: magnitude pruning's scores.
    public static func magnitudeScores(_ net: Network) -> [[Double]] {
        net.prunable.map { $0.weight.value.data.map { Double(abs($0)) } }
    }

    /// A surviving weight, ranked by its key (its score, or anything ordered as it),
    /// then a tie-break key (0 unless ties are random), then layer, then position.
    struct Candidate: Comparable {
        var key: Double, tie: UInt64, layer: Int, index: Int
        static func < (a: Candidate, b: Candidate) -> Bool {
            (a.key, a.tie, a.layer, a.index) < (b.key, b.tie, b.layer, b.index)
        }
    }

    /// The streams of random tie-breaks (apart from init, data-order and mask streams).
    static let tieStreams: UInt64 = 0x5449_4553_0000   // "TIES"

    /// The checks `magnitude` makes before it prunes: every rate in [0, 1), every layer
    /// named in `rates` one the net has.
    public static func checkRates(rate: Double, rates: [String: Double], net: Network) throws {
        try checkRates(rate: rate, rates: rates, names: net.prunableNames)
    }

    public static func checkRates(rate: Double, rates: [String: Double], names: [String]) throws {
        guard rate >= 0, rate < 1 else { throw EngineError("rate must be in [0, 1), got \(formatDecimal(rate))") }
        for name in rates.keys.sorted() {
            guard names.contains(name) else {
                throw EngineError("rates names a layer '\(name)' the net does not have (it has \(names.joined(separator: ", ")))")
            }
            let r = rates[name]!
            guard r >= 0, r < 1 else { throw EngineError("rates \(name) must be in [0, 1), got \(formatDecimal(r))") }
        }
    }
}
