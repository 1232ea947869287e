/// The norm a unit (a neuron's row, a filter) is ranked by.
public enum UnitNorm: String, CaseIterable, Sendable {
    case l1, l2
}

/// What structured pruning removes whole.
public enum StructuredUnit: String, Sendable {
    /// A hidden linear layer's output unit: a row of W (out, in).
    case neuron
    /// A convolution's filter: W[o] (C, KH, KW).
    case filter
}

extension Pruning {
    /// Structured pruning by norm (filters: Li, Kadav, Durdanovic, Samet & Graf,
    /// "Pruning Filters for Efficient ConvNets", ICLR 2017, by the L1 norm; neurons
    /// likewise by their row of incoming weights). In every layer it acts on, the units
    /// of smallest norm (of their surviving weights) are removed whole: `.rate(r)`
    /// removes round(r · n) of the n units still alive, `.density(d)` keeps round(d ·
    /// units) of them (`.densities` per layer), equal norms going by position. A
    /// removed unit's row (or filter) is masked entirely, and so are the inputs of the
    /// next layer that read only it: the next layer's column j for a neuron, its input
    /// channel c (W[:, c, :, :]) for a filter, or, across a flatten, the columns of
    /// channel c's pixels; the densities count both. Neurons are those of the hidden
    /// linear layers (never the output layer), filters those of every convolution. The
    /// next layer is found along the net's top-level chain (through ReLU, batch norm,
    /// pooling, dropout, flatten); inside a residual block, and for a layer whose output
    /// feeds a residual sum, only the unit's own weights are masked, since its channel
    /// still carries the shortcut's signal.
    public static func structured(_ net: Network, unit: StructuredUnit, amount: PruneAmount,
                                  rates: [String: Double] = [:], norm: UnitNorm = .l1) throws -> Mask {
        try checkAmount(amount, options: PruneOptions(scope: .layer, rates: rates), net: net)
        if amount == .patternOnly { throw EngineError("structured pruning takes a rate or a density, not a pattern") }
        let prunable = net.prunable
        let targets = structuredLayers(net, unit: unit)
        guard !targets.isEmpty else {
            throw EngineError(unit == .neuron
                ? "the net has no hidden linear layers; by=\"neuron\" removes units of the layers before the output (use by=\"filter\" for convolutions)"
                : "the net has no convolutions; by=\"filter\" removes filters of conv layers (use by=\"neuron\" for an MLP)")
        }
        for name in rates.keys.sorted() where !targets.contains(where: { prunable[$0].name == name }) {
            throw EngineError("rates names \(name), which \(unit == .neuron ? "neuron" : "filter") pruning does not act on (it acts on \(targets.map { prunable[$0].name }.joined(separator: ", ")))")
        }
        let current = Mask(of: net)
        let out = current.tensors.map { $0.copy() }
        var dead: [Int: [Bool]] = [:]   // layer index → removed units
        for i in targets {
            let (name, w) = prunable[i]
            let units = w.shape[0], size = w.count / units
            let m = current.tensors[i].data, v = w.value.data
            var alive: [(norm: Double, unit: Int)] = []
            for u in 0..<units {
                var s = 0.0, any = false
                for j in (u * size)..<((u + 1) * size) where m[j] != 0 {
                    any = true
                    s += norm == .l1 ? Double(abs(v[j])) : Double(v[j]) * Double(v[j])
                }
                if any { alive.append((norm == .l1 ? s : s.squareRoot(), u)) }
            }
            let remove: Int
            switch amount {
            case .rate(let r): remove = Int(((rates[name] ?? r) * Double(alive.count)).rounded())
            case .density(let d): remove = alive.count - (try keepCount(d, size: units, survivors: alive.count, what: name))
            case .densities(let ds): remove = alive.count - (try keepCount(ds[name] ?? 1, size: units, survivors: alive.count, what: name))
            case .patternOnly: remove = 0
            }
            var gone = [Bool](repeating: true, count: units)
            for a in alive { gone[a.unit] = false }
            for a in alive.sorted(by: { ($0.norm, $0.unit) < ($1.norm, $1.unit) }).prefix(remove) { gone[a.unit] = true }
            dead[i] = gone
            for u in 0..<units where gone[u] {
                for j in (u * size)..<((u + 1) * size) { out[i].data[j] = 0 }
            }
        }
        // The next layer's inputs that read only removed units.
        for (i, gone) in dead {
            guard let (c, span) = consumer(net, of: i) else { continue }
            let w = prunable[c].weight
            if w.shape.count == 2 {          // linear (out, in): columns u·span ..< (u+1)·span
                let cols = w.shape[1]
                for r in 0..<w.shape[0] {
                    for (u, g) in gone.enumerated() where g {
                        for col in (u * span)..<((u + 1) * span) { out[c].data[r * cols + col] = 0 }
                    }
                }
            } else {                         // conv (O, C, KH, KW): input channel u
                let channels = w.shape[1], area = w.shape[2] * w.shape[3]
                for o in 0..<w.shape[0] {
                    for (u, g) in gone.enumerated() where g {
                        let base = (o * channels + u) * area
                        for j in base..<(base + area) { out[c].data[j] = 0 }
                    }
                }
            }
        }
        return Mask(names: current.names, tensors: out, fileKeys: current.fileKeys).with(blueprint: net.blueprint)
    }

    /// The prunable layers structured pruning of `unit` acts on, by index in `prunable`.
    static func structuredLayers(_ net: Network, unit: StructuredUnit) -> [Int] {
        let prunable = net.prunable
        return prunable.indices.filter { i in
            let kind = net.kind(ofLayer: prunable[i].name)
            return unit == .neuron ? kind == "linear" && i < prunable.count - 1 : kind == "conv2d"
        }
    }

    /// The prunable layer that reads the output units of prunable layer `i` directly,
    /// and how many of its inputs each unit feeds (1, or a channel's pixels across a
    /// flatten): found among the top-level layers after it, through layers that keep
    /// channels apart. nil when there is none (the output layer, a layer inside a
    /// residual block, one followed by a block).
    static func consumer(_ net: Network, of i: Int) -> (index: Int, span: Int)? {
        let name = net.prunable[i].name
        guard let t = net.layers.firstIndex(where: { $0.name == name }) else { return nil }
        let units = net.prunable[i].weight.shape[0]
        let passThrough: Set<String> = ["relu", "batchnorm", "maxpool", "avgpool", "dropout", "flatten", "gap"]
        for layer in net.layers[(t + 1)...] {
            if passThrough.contains(layer.kind) { continue }
            guard layer.kind == "linear" || layer.kind == "conv2d",
                  let c = net.prunable.firstIndex(where: { $0.name == layer.name }) else { return nil }
            let inputs = layer.kind == "linear" ? layer.inputSize : layer.inputShape[0]
            guard inputs % units == 0 else { return nil }
            return (c, inputs / units)
        }
        return nil
    }
}
