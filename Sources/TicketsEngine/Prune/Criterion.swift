/// How a pruning step ranks weights, `prune(by=...)`: one descriptor per criterion,
/// the built-in ones in `PruneCriterion.all` and a user's criterion from the language
/// (`PruneCriterion.user`). Every question the engine, `prune`'s checks and its help
/// ask about a criterion is answered here, so a new criterion is one entry.
public struct PruneCriterion: @unchecked Sendable {
    /// Scores for every prunable weight of a net, by layer: the highest are kept.
    public typealias Scorer = (Network) throws -> [[Double]]

    /// What it ranks.
    public enum Ranking {
        /// Every prunable weight, by a scorer made for the settings (data, seed, ...).
        case weights((Network, CriterionSettings) throws -> Scorer)
        /// Whole units (neurons, filters) by norm.
        case units(StructuredUnit)
    }

    public let name: String
    /// Whether it scores on training examples (`data=` is required).
    public let needsData: Bool
    /// The scope its paper ranks in: all layers together for pruning at initialisation
    /// (SNIP, GraSP, SynFlow), each layer on its own otherwise.
    public let paperScope: PruneScope
    /// Rounds of scoring and pruning its paper uses (SynFlow: 100).
    public let paperRounds: Int
    /// Whether `seed=` breaks its ties at random (magnitude's; the others use the seed
    /// for their scores or examples, and break ties by position).
    public let seedBreaksTies: Bool
    public let ranking: Ranking
    /// What help(prune) says of it: the rule, then the paper and its code.
    public let help: String
    /// Checks of its own settings, beyond those every criterion gets.
    public var validate: ((CriterionSettings) throws -> Void)? = nil

    /// Criteria that remove whole units rather than single weights.
    public var isStructured: Bool { if case .units = ranking { return true } else { return false } }

    /// The built-in criteria, in the order help lists them.
    public static let all: [PruneCriterion] = [
        PruneCriterion(name: "magnitude", needsData: false, paperScope: .layer, paperRounds: 1, seedBreaksTies: true,
                       ranking: .weights { _, _ in { Pruning.magnitudeScores($0) } },
                       help: "smallest |w| go (Han et al. 2015; IMP's step, Frankle & Carbin 2019, §2); ties by position unless seed is given"),
        PruneCriterion(name: "random", needsData: false, paperScope: .layer, paperRounds: 1, seedBreaksTies: false,
                       ranking: .weights { _, s in { Pruning.randomScores($0, seed: s.seed) } },
                       help: "uniform random scores (the random-pruning control)"),
        PruneCriterion(name: "snip", needsData: true, paperScope: .global, paperRounds: 1, seedBreaksTies: false,
                       ranking: .weights { _, s in
                           let b = try Pruning.randomBatch(s.data!, count: s.batch ?? 100, seed: s.seed)
                           return { try Pruning.snipScores($0, batch: b) }
                       },
                       help: "|g ⊙ w|, g the loss gradient on batch examples (Lee et al., ICLR 2019; namhoonlee/snip-public: one batch of 100, evaluation mode; it also prunes biases, which are kept here)"),
        PruneCriterion(name: "grasp", needsData: true, paperScope: .global, paperRounds: 1, seedBreaksTies: false,
                       ranking: .weights { _, s in
                           let data = s.data!
                           let perClass = s.batch.map { max(1, $0 / max(data.classes, 1)) } ?? 10
                           let b = try Pruning.balancedBatch(data, perClass: perClass, seed: s.seed)
                           return { try Pruning.graspScores($0, batch: b, temperature: s.temperature).map { $0.map { -$0 } } }
                       },
                       help: "−w ⊙ Hg with the logits / temperature, on batch/classes examples of each class split in two halves; the *highest* go (Wang et al., ICLR 2020; alecwangcq/GraSP). Hg is exact: Pearlmutter's R-operator through every layer (what autograd's double backward computes; Float32, as hvp). The reference's Xavier re-draw of linear layers is left out",
                       validate: { s in
                           if let data = s.data, let b = s.batch, b < data.classes {
                               throw EngineError("GraSP samples batch / classes examples of every class; batch must be at least the \(data.classes) classes, got \(b)")
                           }
                       }),
        PruneCriterion(name: "synflow", needsData: false, paperScope: .global, paperRounds: 100, seedBreaksTies: false,
                       ranking: .weights { _, _ in { try Pruning.synflowLogScores(linearising: $0) } },
                       help: "(∂R/∂w) ⊙ w, R = 1ᵀ(∏|W|)1 of the linearised net on an all-ones input, biases out, rounds=100 to density d^(j/100) at round j (Tanaka et al., NeurIPS 2020; ganguli-lab/Synaptic-Flow, which also takes |bias|). Data-free; rescaled per layer, so deep nets do not overflow"),
        PruneCriterion(name: "neuron", needsData: false, paperScope: .layer, paperRounds: 1, seedBreaksTies: false,
                       ranking: .units(.neuron),
                       help: "whole rows of hidden linear layers by norm, and the next layer's matching inputs; rate/density count units"),
        PruneCriterion(name: "filter", needsData: false, paperScope: .layer, paperRounds: 1, seedBreaksTies: false,
                       ranking: .units(.filter),
                       help: "whole filters of convolutions by norm (Li et al., ICLR 2017), and the next layer's matching input channels"),
    ]

    /// The built-in criterion of that name.
    public static func named(_ name: String) -> PruneCriterion? { all.first { $0.name == name } }
    public static let magnitude = named("magnitude")!, snip = named("snip")!, grasp = named("grasp")!

    /// A criterion computed outside the engine (a function in the language): its
    /// scorer gets the net (a working copy, under each round's mask) and returns scores
    /// by layer. It ranks within each layer unless told, in one round unless told.
    public static func user(_ name: String, score: @escaping Scorer) -> PruneCriterion {
        PruneCriterion(name: name, needsData: false, paperScope: .layer, paperRounds: 1, seedBreaksTies: false,
                       ranking: .weights { _, _ in score }, help: "a criterion of one's own")
    }
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
        switch criterion.ranking {
        case .weights(let make):
            var o = options
            if !criterion.seedBreaksTies { o.tieSeed = nil }
            let score = try make(net, settings)
            return try iterate(net, amount: amount, options: o, rounds: settings.rounds ?? criterion.paperRounds, score: score)
        case .units(let unit):
            return try structured(net, unit: unit, amount: amount, rates: options.rates, norm: settings.norm)
        }
    }

    /// Every check `prune` makes before it scores anything.
    public static func check(_ criterion: PruneCriterion, amount: PruneAmount, options: PruneOptions,
                             settings: CriterionSettings, net: Network) throws {
        try checkAmount(amount, options: options, net: net)
        if criterion.needsData {
            guard let data = settings.data else {
                throw EngineError("by=\"\(criterion.name)\" scores weights by gradients on training examples: give data=dataset(...)")
            }
            try net.check(sampleShape: data.sampleShape, classes: data.classes)
            try net.checkTokens(data.train, "training")
        }
        try criterion.validate?(settings)
        if let b = settings.batch, b < 1 { throw EngineError("batch must be at least 1, got \(b)") }
        if let r = settings.rounds, r < 1 { throw EngineError("rounds must be at least 1, got \(r)") }
        if case .units(let unit) = criterion.ranking {
            guard options.pattern == nil else { throw EngineError("by=\"\(criterion.name)\" removes whole units; an N:M pattern goes with the unstructured criteria") }
            guard options.scope == .layer else { throw EngineError("by=\"\(criterion.name)\" ranks units within each layer; scope must be \"layer\"") }
            guard settings.rounds ?? 1 == 1 else { throw EngineError("by=\"\(criterion.name)\" prunes in one round") }
            guard !structuredLayers(net, unit: unit).isEmpty else {
                _ = try structured(net, unit: unit, amount: amount, rates: options.rates)
                return
            }
        }
        if let p = options.pattern {
            for (name, w) in net.prunable { try p.check(layer: name, shape: w.shape) }
        }
    }
}
