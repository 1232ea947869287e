/// How much a pruning step removes.
public enum PruneAmount: Equatable, Sendable {
    /// The fraction of the *remaining* weights to remove (IMP's step): round(rate · n)
    /// of the n survivors of each ranking pool.
    case rate(Double)
    /// The fraction of *all* weights to keep: round(d · size) of each pool (a layer, or
    /// every layer together), as pruning at initialisation targets a final density.
    case density(Double)
    /// A density for each layer by name (layer scope only).
    case densities([String: Double])
    /// Nothing beyond what an N:M pattern removes (every group keeps its N best).
    case patternOnly
}

/// The layers a selection ranks: their names and weight shapes, in order (a net's
/// prunable layers, or the layers of a record of scores).
public struct PruneLayout: Sendable {
    public var names: [String]
    public var shapes: [[Int]]
    public var blueprint: Blueprint?
    public init(names: [String], shapes: [[Int]], blueprint: Blueprint? = nil) {
        self.names = names; self.shapes = shapes; self.blueprint = blueprint
    }
    public init(_ net: Network) {
        self.init(names: net.prunableNames, shapes: net.prunable.map(\.weight.shape), blueprint: net.blueprint)
    }
}

/// The settings every unstructured criterion shares.
public struct PruneOptions: Sendable {
    /// Rank within each layer, or all layers together.
    public var scope: PruneScope = .layer
    /// A layer's own rate (with `.rate`); in global scope such a layer is ranked within
    /// itself at its own rate.
    public var rates: [String: Double] = [:]
    /// At most N of every M consecutive weights kept.
    public var pattern: NMPattern? = nil
    /// Equal scores are broken by position (earlier goes first), or, with a seed, in a
    /// random order drawn from it (layer i from stream i).
    public var tieSeed: UInt64? = nil
    public init(scope: PruneScope = .layer, rates: [String: Double] = [:], pattern: NMPattern? = nil, tieSeed: UInt64? = nil) {
        self.scope = scope; self.rates = rates; self.pattern = pattern; self.tieSeed = tieSeed
    }
}

extension Pruning {
    /// The one step every unstructured criterion ends with: keep the weights of highest
    /// score among the survivors of `current`, per layer or over all layers, as many as
    /// `amount` says, never more than N of every M with a pattern.
    ///
    /// `keys[i][j]` ranks weight j of prunable layer i: higher is kept first (a criterion
    /// that removes its *highest* scores, as GraSP does, passes them negated). Only the
    /// order of keys matters. Removal order is ascending (key, tie, layer, position),
    /// so equal keys lose the earlier position first, as `magnitude` always has. With a
    /// pattern the survivors are taken greedily from the top, skipping a weight whose
    /// group already holds N: the kept set then has the largest total key among the
    /// sets that respect both the count and the pattern.
    static func keepHighest(_ keys: [[Double]], net: Network, current: Mask, amount: PruneAmount,
                            options: PruneOptions) throws -> Mask {
        try keepHighest(keys, layout: PruneLayout(net), current: current, amount: amount, options: options)
    }

    /// The same over layers given by name and shape (scores a user computed, with no
    /// net at hand: `mask_from`).
    static func keepHighest(_ keys: [[Double]], layout: PruneLayout, current: Mask, amount: PruneAmount,
                            options: PruneOptions) throws -> Mask {
        let prunable = zip(layout.names, layout.shapes).map { (name: $0, shape: $1, count: $1.reduce(1, *)) }
        try checkAmount(amount, options: options, layout: layout)
        if let p = options.pattern {
            for l in prunable { try p.check(layer: l.name, shape: l.shape) }
        }
        let out = current.tensors.map { Tensor(zeros: $0.shape) }
        var globalPool: [Candidate] = [], globalSize = 0
        for (i, (name, _, size)) in prunable.enumerated() {
            let m = current.tensors[i].data, k = keys[i]
            var ties = options.tieSeed.map { RNG(seed: $0, stream: Pruning.tieStreams + UInt64(i)) }
            var survivors: [Candidate] = []
            survivors.reserveCapacity(m.count)
            for j in 0..<m.count where m[j] != 0 {
                survivors.append(Candidate(key: k[j].isNaN ? -.infinity : k[j], tie: ties?.next() ?? 0, layer: i, index: j))
            }
            if options.scope == .global && options.rates[name] == nil {
                globalPool += survivors
                globalSize += size
                continue
            }
            let keep: Int
            switch amount {
            case .rate(let r): keep = survivors.count - Int(((options.rates[name] ?? r) * Double(survivors.count)).rounded())
            case .density(let d): keep = try keepCount(d, size: size, survivors: survivors.count, what: name)
            case .densities(let ds): keep = try keepCount(ds[name] ?? 1, size: size, survivors: survivors.count, what: name)
            case .patternOnly: keep = survivors.count
            }
            keepGreedily(survivors, count: keep, pattern: options.pattern, shapes: layout.shapes, into: out)
        }
        if !globalPool.isEmpty || globalSize > 0 {
            let keep: Int
            switch amount {
            case .rate(let r): keep = globalPool.count - Int((r * Double(globalPool.count)).rounded())
            case .density(let d): keep = try keepCount(d, size: globalSize, survivors: globalPool.count, what: "the net")
            case .densities, .patternOnly: keep = globalPool.count
            }
            keepGreedily(globalPool, count: keep, pattern: options.pattern, shapes: layout.shapes, into: out)
        }
        return Mask(names: current.names, tensors: out, fileKeys: current.fileKeys).with(blueprint: layout.blueprint)
    }

    /// round(d · size) weights to keep, which must not be more than survive.
    static func keepCount(_ d: Double, size: Int, survivors: Int, what: String) throws -> Int {
        let keep = Int((d * Double(size)).rounded())
        guard keep <= survivors else {
            let now = Double(survivors) / Double(max(size, 1))
            throw EngineError("density \(formatDecimal(d)) is above \(what == "the net" ? "the net's" : what + "'s") current density \(formatDecimal((now * 1e6).rounded() / 1e6)); pruning only removes weights")
        }
        return keep
    }

    /// Sets out[layer][index] = 1 for the `count` candidates of highest rank, taken from
    /// the top and skipping any whose N:M group is full.
    static func keepGreedily(_ candidates: [Candidate], count: Int, pattern: NMPattern?, shapes: [[Int]], into out: [Tensor]) {
        guard count > 0 else { return }
        guard let p = pattern else {
            for c in highest(candidates, count) { out[c.layer].data[c.index] = 1 }
            return
        }
        let ordered = candidates.sorted(by: >)
        let rowLengths = shapes.map { NMPattern.rowLength($0) }
        var filled = shapes.map { [UInt16](repeating: 0, count: $0.reduce(1, *) / p.m) }
        var kept = 0
        for c in ordered where kept < count {
            let g = p.group(of: c.index, rowLength: rowLengths[c.layer])
            guard Int(filled[c.layer][g]) < p.n else { continue }
            filled[c.layer][g] += 1
            out[c.layer].data[c.index] = 1
            kept += 1
        }
    }

    /// The `count` highest candidates in their total order, without sorting them all: the
    /// count-th largest key by selection, every candidate above it, and of those equal
    /// to it the highest in (tie, layer, position). Large nets are pruned in many rounds
    /// (SynFlow's 100), so this is linear rather than n log n.
    static func highest(_ candidates: [Candidate], _ count: Int) -> [Candidate] {
        guard count < candidates.count else { return candidates }
        let keys = candidates.map(\.key)
        let threshold = kthLargest(keys, count)
        var above = candidates.filter { $0.key > threshold }
        let equal = candidates.filter { $0.key == threshold }.sorted(by: >)
        above += equal.prefix(count - above.count)
        return above
    }

    /// The k-th largest of `values` (1-based).
    static func kthLargest(_ values: [Double], _ k: Int) -> Double { quickselect(values, k, >) }

    /// The checks of an amount and the options it goes with.
    public static func checkAmount(_ amount: PruneAmount, options: PruneOptions, net: Network) throws {
        try checkAmount(amount, options: options, layout: PruneLayout(net))
    }

    public static func checkAmount(_ amount: PruneAmount, options: PruneOptions, layout: PruneLayout) throws {
        switch amount {
        case .rate(let r):
            try checkRates(rate: r, rates: options.rates, names: layout.names)
        case .density(let d):
            try checkDensity(d)
            guard options.rates.isEmpty else { throw EngineError("rates gives per-layer rates, which go with rate, not density") }
        case .densities(let ds):
            guard options.scope == .layer else { throw EngineError("per-layer densities rank within each layer; scope must be \"layer\"") }
            for name in ds.keys.sorted() {
                guard layout.names.contains(name) else {
                    throw EngineError("the densities name a layer '\(name)' the net does not have (it has \(layout.names.joined(separator: ", ")))")
                }
                let d = ds[name]!
                guard d >= 0, d <= 1 else { throw EngineError("the density of \(name) must be in [0, 1], got \(formatDecimal(d))") }
            }
        case .patternOnly:
            guard options.pattern != nil else { throw EngineError("say how much to prune: a rate, a density or a pattern") }
        }
    }

    /// A density must be in (0, 1].
    public static func checkDensity(_ d: Double) throws {
        guard d > 0, d <= 1 else { throw EngineError("density must be in (0, 1], got \(formatDecimal(d))") }
    }
}
