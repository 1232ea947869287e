/// Where magnitudes are ranked: within each layer, or across all layers at once.
public enum PruneScope: String, Sendable {
    case layer, global
}

public enum Pruning {
    /// Magnitude pruning (Han et al. 2015; IMP's step, Frankle & Carbin 2019): removes
    /// the fraction `rate` of the *remaining* weights with the smallest |w|.
    /// `scope: .layer` ranks within each layer (`rates` overrides a layer's rate);
    /// `.global` ranks all layers together, except the layers named in `rates`, which
    /// are pruned within themselves at their own rate. The count removed from n
    /// survivors is round(rate · n). Ties are broken by position (earlier goes first).
    /// Returns the new mask; the net is not changed.
    public static func magnitude(_ net: Network, rate: Double, scope: PruneScope = .layer,
                                 rates: [String: Double] = [:]) throws -> Mask {
        try checkRate(rate, "rate")
        for (name, r) in rates {
            guard net.layer(named: name) != nil else {
                throw EngineError("rates names a layer '\(name)' the net does not have (it has \(net.linears.map(\.name).joined(separator: ", ")))")
            }
            try checkRate(r, "rates.\(name)")
        }
        let current = Mask(of: net)
        let out = current.tensors.map { $0.copy() }
        var globalPool: [Candidate] = []
        for (i, l) in net.linears.enumerated() {
            let m = current.tensors[i].data, w = l.weight.data
            var survivors: [Candidate] = []
            survivors.reserveCapacity(m.count)
            for j in 0..<m.count where m[j] != 0 { survivors.append(Candidate(mag: abs(w[j]), layer: i, index: j)) }
            if scope == .global && rates[l.name] == nil {
                globalPool += survivors
            } else {
                removeSmallest(survivors, fraction: rates[l.name] ?? rate, from: out)
            }
        }
        removeSmallest(globalPool, fraction: rate, from: out)
        return Mask(names: current.names, tensors: out)
    }

    /// A surviving weight, ranked by magnitude, then layer, then position.
    struct Candidate: Comparable {
        var mag: Float, layer: Int, index: Int
        static func < (a: Candidate, b: Candidate) -> Bool {
            (a.mag, a.layer, a.index) < (b.mag, b.layer, b.index)
        }
    }

    /// Zeroes round(fraction · n) of the candidates with the smallest magnitudes.
    static func removeSmallest(_ candidates: [Candidate], fraction: Double, from masks: [Tensor]) {
        let k = Int((fraction * Double(candidates.count)).rounded())
        guard k > 0 else { return }
        for c in candidates.sorted().prefix(k) { masks[c.layer].data[c.index] = 0 }
    }

    static func checkRate(_ r: Double, _ what: String) throws {
        guard r >= 0, r < 1 else { throw EngineError("\(what) must be in [0, 1), got \(r)") }
    }

    /// A random mask with the given kept fraction per layer: exactly round(d · size)
    /// weights kept in each layer, chosen uniformly (layer i uses stream i of `seed`).
    public static func random(_ net: Network, densities: [String: Double], seed: UInt64) throws -> Mask {
        var tensors: [Tensor] = []
        for (i, l) in net.linears.enumerated() {
            guard let d = densities[l.name] else { throw EngineError("no density given for layer \(l.name)") }
            guard d >= 0, d <= 1 else { throw EngineError("density of \(l.name) must be in [0, 1], got \(d)") }
            let n = l.weight.count
            let keep = Int((d * Double(n)).rounded())
            var rng = RNG(seed: seed, stream: UInt64(i))
            let order = rng.permutation(n)
            var t = [Float](repeating: 0, count: n)
            for j in 0..<keep { t[Int(order[j])] = 1 }
            tensors.append(Tensor(shape: l.weight.shape, data: t))
        }
        return Mask(names: net.linears.map(\.name), tensors: tensors)
    }
}
