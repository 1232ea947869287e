extension Pruning {
    /// A random mask with the given kept fraction per layer: exactly round(d · size)
    /// weights kept in each layer, chosen uniformly (layer i uses stream i of `seed`).
    public static func random(_ net: Network, densities: [String: Double], seed: UInt64) throws -> Mask {
        var tensors: [Tensor] = []
        for (i, (name, weight)) in net.prunable.enumerated() {
            guard let d = densities[name] else { throw EngineError("no density given for layer \(name)") }
            guard d >= 0, d <= 1 else { throw EngineError("density of \(name) must be in [0, 1], got \(formatDecimal(d))") }
            let n = weight.count
            let keep = Int((d * Double(n)).rounded())
            var rng = RNG(seed: seed, stream: UInt64(i))
            let order = rng.permutation(n)
            var t = [Float](repeating: 0, count: n)
            for j in 0..<keep { t[Int(order[j])] = 1 }
            tensors.append(Tensor(shape: weight.shape, data: t))
        }
        return Mask(names: net.prunableNames, tensors: tensors, fileKeys: Mask(of: net).fileKeys).with(blueprint: net.blueprint)
    }
}

extension Pruning {
    /// The streams of random scores (apart from `random`'s permutations).
    static let randomScoreStreams: UInt64 = 0x5241_4E44_0000   // "RAND"

    /// A uniform random score for every weight (layer i from stream i of `seed`): the
    /// random criterion, ranked like any other, so it takes rates, densities, global
    /// scope and N:M patterns (Tanaka et al.'s "Rand" pruner scores the same way).
    public static func randomScores(_ net: Network, seed: UInt64) -> [[Double]] {
        net.prunable.enumerated().map { i, entry in
            var rng = RNG(seed: seed, stream: randomScoreStreams + UInt64(i))
            return (0..<entry.weight.count).map { _ in rng.uniform() }
        }
    }
}
