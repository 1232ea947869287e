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
