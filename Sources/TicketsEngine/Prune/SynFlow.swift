import Foundation

extension Pruning {
    /// SynFlow's scores (Tanaka, Kunin, Yamins & Ganguli, "Pruning neural networks
    /// without any data by iteratively conserving synaptic flow", NeurIPS 2020, eq. 2 and
    /// Algorithm 1): every weight replaced by |w ⊙ m|, an all-ones input through the
    /// linearised net, R = the sum of its outputs = 1ᵀ(∏ₗ|Wₗ|)1, and S = (∂R/∂w) ⊙ w.
    /// Data-free.
    ///
    /// Linearised as the paper's R says: biases are set to zero (batch norm's shift and
    /// running mean too, its scale taken in absolute value), so with non-negative weights
    /// every activation is non-negative and each ReLU passes what it gets; the layers run
    /// in evaluation mode. (ganguli-lab/Synaptic-Flow's code takes the absolute value of
    /// every entry of the state dict, biases and running statistics included; its R is
    /// then not the paper's when a net has biases.)
    ///
    /// Deep nets overflow Float32 (R grows as the product of the layers' norms), so each
    /// top-level layer's output, and each gradient flowing back into one, is divided by
    /// its largest entry, and the factors are kept as logarithms: since the linearised
    /// net is positively homogeneous, layer l's true gradient is the computed one times
    /// c_l · ∏_{j<l} s_j (c_l the backward factors above l, s_j the forward ones below),
    /// the same for every weight of the layer. Returns log S (−∞ for a zero score), layer
    /// by layer: the logarithm keeps the order and never overflows. `synflowScores` gives
    /// S itself.
    public static func synflowLogScores(_ net: Network) throws -> [[Double]] {
        try synflowLogScores(linearising: net.copy())
    }

    /// The same on a net of one's own, which it linearises in place (|w|, biases 0);
    /// linearising again changes nothing, so rounds can share one copy.
    static func synflowLogScores(linearising work: Network) throws -> [[Double]] {
        for (key, p) in work.namedParameters {
            let name = key.split(separator: ".").last.map(String.init) ?? key
            switch (p.role, name) {
            case (.weight, _), (.bias, "weight"):     // weights, and batch norm's scale
                p.value.data = p.value.data.map { abs($0) }
                p.applyMask()
            case (.bias, _), (.buffer, "running_mean"):
                p.value.data = [Float](repeating: 0, count: p.count)
            default:
                break
            }
            p.fusedRate = nil
        }
        work.setTraining(false)
        // An embedding's linearised input is the all-ones one-hot: every token at once.
        for (_, l) in work.allLayers { (l as? Embedding)?.readsAllTokens = true }
        // Which top-level layer each prunable weight belongs to.
        let top = work.prunable.map { entry in
            work.layers.firstIndex { l in entry.name == l.name || entry.name.hasPrefix(l.name + ".") } ?? 0
        }
        var logForward = [Double](repeating: 0, count: work.layers.count + 1)   // Σ_{j<l} log s_j
        // Each layer's input, in a buffer of its own: its forward keeps a pointer to it
        // for the backward pass.
        var inputs: [Buffer] = []
        var h = [Float](repeating: 1, count: work.inputSize)
        try withDenormalsFlushed {
            for (l, layer) in work.layers.enumerated() {
                let x = Buffer(h.count)
                x.ptr.update(from: h, count: h.count)
                inputs.append(x)
                let y = layer.forward(x.ptr, batch: 1)
                h = Array(UnsafeBufferPointer(start: y, count: layer.outputSize))
                let s = Double(h.map { abs($0) }.max() ?? 0)
                guard s.isFinite else { throw EngineError("SynFlow's signal overflowed in \(layer.name)") }
                logForward[l + 1] = logForward[l] + (s > 0 ? log(s) : 0)
                if s > 0 { let inv = Float(1 / s); for i in h.indices { h[i] *= inv } }
            }
        }
        var logBackward = [Double](repeating: 0, count: work.layers.count)      // log c_l
        var g = [Float](repeating: 1, count: work.outputSize)
        var grads = [[Float]](repeating: [], count: work.prunable.count)
        try withExtendedLifetime(inputs) {
            try withDenormalsFlushed {
                var c = 0.0
                for l in work.layers.indices.reversed() {
                    logBackward[l] = c
                    let layer = work.layers[l]
                    let dx = g.withUnsafeBufferPointer { layer.backward($0.baseAddress!, batch: 1, needInputGrad: l > 0) }
                    for (i, (_, w)) in work.prunable.enumerated() where top[i] == l {
                        grads[i] = w.grad?.data ?? []
                    }
                    guard l > 0, let dx else { continue }
                    g = Array(UnsafeBufferPointer(start: dx, count: layer.inputSize))
                    let t = Double(g.map { abs($0) }.max() ?? 0)
                    guard t.isFinite else { throw EngineError("SynFlow's gradient overflowed in \(layer.name)") }
                    if t > 0 { let inv = Float(1 / t); for i in g.indices { g[i] *= inv }; c += log(t) }
                }
            }
        }
        return work.prunable.enumerated().map { i, entry in
            let offset = logBackward[top[i]] + logForward[top[i]]
            return zip(grads[i], entry.weight.value.data).map { gw, w in
                let s = Double(abs(gw * w))
                return s > 0 ? log(s) + offset : -.infinity
            }
        }
    }

    /// SynFlow's scores S = (∂R/∂w) ⊙ w themselves (exp of `synflowLogScores`); nets deep
    /// enough to overflow a Double give +∞.
    public static func synflowScores(_ net: Network) throws -> [[Double]] {
        try synflowLogScores(net).map { $0.map { exp($0) } }
    }

    /// SynFlow pruning (Algorithm 1): `rounds` rounds (the paper: 100), each scoring the
    /// net under the current mask and pruning to the density c·(d/c)^(j/rounds) at round
    /// j, from the current density c to the target d (d^(j/100) from a dense net: the
    /// "exponential" schedule of its code, ganguli-lab/Synaptic-Flow prune.py). Its
    /// paper ranks all layers together (`options.scope = .global`). With `.rate(r)` the
    /// target is c·(1 − r) in every pool. The net is not changed; returns the mask.
    public static func synflow(_ net: Network, amount: PruneAmount, options: PruneOptions, rounds: Int = 100) throws -> Mask {
        try iterate(net, amount: amount, options: options, rounds: rounds) { try synflowLogScores(linearising: $0) }
    }

    /// Prunes in `rounds` rounds, rescoring a copy of the net under each round's mask
    /// with `score` (which may change the copy it is given, not its mask) and keeping the highest to the round's density (exponential
    /// schedule from the current density to the target, in every ranking pool).
    public static func iterate(_ net: Network, amount: PruneAmount, options: PruneOptions, rounds: Int,
                               score: (Network) throws -> [[Double]]) throws -> Mask {
        guard rounds >= 1 else { throw EngineError("rounds must be at least 1, got \(rounds)") }
        try checkAmount(amount, options: options, net: net)
        if rounds == 1 || amount == .patternOnly {
            return try keepHighest(score(net.copy()), net: net, current: Mask(of: net), amount: amount, options: options)
        }
        let start = Mask(of: net)
        let work = net.copy()
        var current = start
        // Each pool's density now and at the end: the net's (global) or each layer's.
        let layerNow = start.names.indices.map { start.density($0) }
        let names = start.names
        for j in 1...rounds {
            let f = Double(j) / Double(rounds)
            func along(_ now: Double, _ end: Double) -> Double { now <= 0 ? 0 : now * pow(end / now, f) }
            let step: PruneAmount
            switch amount {
            case .rate(let r):
                if options.scope == .global && options.rates.isEmpty {
                    step = .density(along(start.density, start.density * (1 - r)))
                } else {
                    step = .densities(Dictionary(uniqueKeysWithValues: names.indices.map { i in
                        (names[i], along(layerNow[i], layerNow[i] * (1 - (options.rates[names[i]] ?? r))))
                    }))
                }
            case .density(let d):
                if options.scope == .global {
                    step = .density(along(start.density, d))
                } else {
                    step = .densities(Dictionary(uniqueKeysWithValues: names.indices.map { (names[$0], along(layerNow[$0], d)) }))
                }
            case .densities(let ds):
                step = .densities(Dictionary(uniqueKeysWithValues: names.indices.map { (names[$0], along(layerNow[$0], ds[names[$0]] ?? 1)) }))
            case .patternOnly:
                step = .patternOnly
            }
            var o = options
            if case .densities = step { o.scope = .layer; o.rates = [:] }
            if case .density = step { o.rates = [:] }
            // Each round's count is rounded; never ask for more than survive.
            current = try keepHighest(score(work), net: work, current: current, amount: clampToSurvivors(step, current), options: o)
            try current.apply(to: work)
        }
        return current
    }

    /// The step's densities, lowered where rounding would ask for more than survive.
    static func clampToSurvivors(_ amount: PruneAmount, _ m: Mask) -> PruneAmount {
        switch amount {
        case .density(let d): return .density(min(d, m.density))
        case .densities(let ds):
            return .densities(Dictionary(uniqueKeysWithValues: m.names.indices.map { i in (m.names[i], min(ds[m.names[i]] ?? 1, m.density(i))) }))
        default: return amount
        }
    }
}
