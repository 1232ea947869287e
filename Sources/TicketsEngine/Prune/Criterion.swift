/// How a pruning step ranks weights: `prune(by=...)`.
public enum PruneCriterion: String, CaseIterable, Sendable {
    /// |w| (Han et al. 2015; IMP).
    case magnitude
    /// Uniform random scores.
    case random
    /// |g ⊙ w| on a mini-batch (Lee et al., ICLR 2019).
    case snip
    /// −w ⊙ Hg, the highest removed (Wang et al., ICLR 2020).
    case grasp
    /// (∂R/∂w) ⊙ w of the linearised net, iterated (Tanaka et al., NeurIPS 2020).
    case synflow
    /// Whole rows of hidden linear layers by norm.
    case neuron
    /// Whole filters of convolutions by norm.
    case filter

    /// Criteria that score weights on training examples.
    public var needsData: Bool { self == .snip || self == .grasp }
    /// Criteria that remove whole units rather than single weights.
    public var isStructured: Bool { self == .neuron || self == .filter }
    /// The scope its paper ranks in: all layers together for pruning at initialisation
    /// (SNIP, GraSP, SynFlow), each layer on its own otherwise.
    public var paperScope: PruneScope { self == .snip || self == .grasp || self == .synflow ? .global : .layer }
    /// Rounds of scoring and pruning its paper uses (SynFlow: 100).
    public var paperRounds: Int { self == .synflow ? 100 : 1 }
}

/// What the criteria beyond magnitude need besides the amount and scope.
public struct CriterionSettings {
    /// The data SNIP and GraSP score on.
    public var data: Dataset?
    /// Examples scored: SNIP draws this many (default 100); GraSP takes batch / classes
    /// of every class (default 10 of every class).
    public var batch: Int?
    /// Rounds of rescoring, each pruning part of the way (exponential schedule); nil:
    /// the criterion's paper's (SynFlow 100, the others 1).
    public var rounds: Int?
    /// Structured pruning's norm.
    public var norm: UnitNorm = .l1
    /// GraSP's temperature T.
    public var temperature: Double = 200
    /// Seeds the random criterion's scores and the examples SNIP and GraSP score on.
    public var seed: UInt64 = 0
    public init(data: Dataset? = nil, batch: Int? = nil, rounds: Int? = nil, norm: UnitNorm = .l1,
                temperature: Double = 200, seed: UInt64 = 0) {
        self.data = data; self.batch = batch; self.rounds = rounds; self.norm = norm
        self.temperature = temperature; self.seed = seed
    }
}

extension Pruning {
    /// The one entry point: a new mask from `net` pruned by `criterion` to `amount`
    /// (the net is not changed). Magnitude with `.rate` is IMP's step, exactly as
    /// `magnitude(_:rate:...)`.
    public static func prune(_ net: Network, by criterion: PruneCriterion, amount: PruneAmount,
                             options: PruneOptions, settings: CriterionSettings = CriterionSettings()) throws -> Mask {
        try check(criterion, amount: amount, options: options, settings: settings, net: net)
        let rounds = settings.rounds ?? criterion.paperRounds
        switch criterion {
        case .magnitude:
            return try iterate(net, amount: amount, options: options, rounds: rounds) { magnitudeScores($0) }
        case .random:
            var o = options
            o.tieSeed = nil
            return try iterate(net, amount: amount, options: o, rounds: rounds) { randomScores($0, seed: settings.seed) }
        case .snip:
            guard let data = settings.data else { throw EngineError("by=\"snip\" needs data") }
            let b = try randomBatch(data, count: settings.batch ?? 100, seed: settings.seed)
            return try iterate(net, amount: amount, options: options, rounds: rounds) { try snipScores($0, batch: b) }
        case .grasp:
            guard let data = settings.data else { throw EngineError("by=\"grasp\" needs data") }
            let perClass = settings.batch.map { max(1, $0 / max(data.classes, 1)) } ?? 10
            let b = try balancedBatch(data, perClass: perClass, seed: settings.seed)
            return try iterate(net, amount: amount, options: options, rounds: rounds) { n in
                try graspScores(n, batch: b, temperature: settings.temperature).map { $0.map { -$0 } }
            }
        case .synflow:
            return try iterate(net, amount: amount, options: options, rounds: rounds) { try synflowLogScores(linearising: $0) }
        case .neuron, .filter:
            return try structured(net, unit: criterion == .neuron ? .neuron : .filter, amount: amount,
                                  rates: options.rates, norm: settings.norm)
        }
    }

    /// Every check `prune` makes before it scores anything.
    public static func check(_ criterion: PruneCriterion, amount: PruneAmount, options: PruneOptions,
                             settings: CriterionSettings, net: Network) throws {
        try checkAmount(amount, options: options, net: net)
        if criterion.needsData {
            guard let data = settings.data else {
                throw EngineError("by=\"\(criterion.rawValue)\" scores weights by gradients on training examples: give data=dataset(...)")
            }
            try net.check(sampleShape: data.sampleShape, classes: data.classes)
            try net.checkTokens(data.train, "training")
            if criterion == .grasp, let b = settings.batch, b < data.classes {
                throw EngineError("GraSP samples batch / classes examples of every class; batch must be at least the \(data.classes) classes, got \(b)")
            }
        }
        if let b = settings.batch, b < 1 { throw EngineError("batch must be at least 1, got \(b)") }
        if let r = settings.rounds, r < 1 { throw EngineError("rounds must be at least 1, got \(r)") }
        if criterion.isStructured {
            guard options.pattern == nil else { throw EngineError("by=\"\(criterion.rawValue)\" removes whole units; an N:M pattern goes with the unstructured criteria") }
            guard options.scope == .layer else { throw EngineError("by=\"\(criterion.rawValue)\" ranks units within each layer; scope must be \"layer\"") }
            guard settings.rounds ?? 1 == 1 else { throw EngineError("by=\"\(criterion.rawValue)\" prunes in one round") }
            guard !structuredLayers(net, unit: criterion == .neuron ? .neuron : .filter).isEmpty else {
                _ = try structured(net, unit: criterion == .neuron ? .neuron : .filter, amount: amount, rates: options.rates)
                return
            }
        }
        if let p = options.pattern {
            for (name, w) in net.prunable { try p.check(layer: name, shape: w.shape) }
        }
    }
}
