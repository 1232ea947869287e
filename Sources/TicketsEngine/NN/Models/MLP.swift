extension Network {
    /// The largest net `mlp` builds, in weights (256 MiB of Float32 for the weights alone;
    /// gradients and optimizer state take as much again).
    public static let maxMLPWeights = 1 << 26

    /// LeNet-style multilayer perceptron: Linear layers fc1, fc2, ... with ReLU between.
    /// `sizes` = [784, 300, 100, 10] is the LTH paper's LeNet-300-100.
    public static func mlp(_ sizes: [Int], initializer: Initializer = .glorot, seed: UInt64 = 0,
                           drawWeights: Bool = true) throws -> Network {
        guard sizes.count >= 2 else {
            throw EngineError("sizes must be a list of at least two layer sizes like [784, 300, 100, 10], got \(sizes.count) size\(sizes.count == 1 ? "" : "s")")
        }
        if let bad = sizes.first(where: { $0 < 1 || $0 > 1 << 24 }) {
            throw EngineError("sizes must hold whole numbers between 1 and 16777216, got \(bad)")
        }
        let weights = zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 }
        guard weights <= maxMLPWeights else {
            throw EngineError("sizes give a net of \(grouped(weights)) weights; the limit is \(grouped(maxMLPWeights))")
        }
        try MemoryBudget.check(weights * 20, for: "an mlp of \(grouped(weights)) weights")   // before allocating them
        var layers: [Layer] = []
        for i in 0..<(sizes.count - 1) {
            if i & 0xFFF == 0 { try Interrupt.check("building the mlp") }
            layers.append(Linear(name: "fc\(i + 1)", inFeatures: sizes[i], outFeatures: sizes[i + 1]))
            if i < sizes.count - 2 { layers.append(ReLU(name: "relu\(i + 1)", shape: [sizes[i + 1]])) }
        }
        let net = try Network(architecture: "mlp " + sizes.map(String.init).joined(separator: "-"),
                              layers: layers, initializer: initializer, seed: seed)
        net.blueprint = .mlp(sizes: sizes)
        if drawWeights { net.initialize(seed: seed) }
        return net
    }
}
