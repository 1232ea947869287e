/// A feed-forward net: a chain of layers. The prunable tensors are the weights of its
/// `Linear` layers (named fc1, fc2, ... by `mlp`); biases are never pruned.
public final class Network {
    public let layers: [Layer]
    public let linears: [Linear]
    public let initializer: Initializer
    public let seed: UInt64
    /// Training steps taken so far (snapshots record it; late rewinding reads it).
    public var step = 0

    public init(layers: [Layer], initializer: Initializer, seed: UInt64) {
        self.layers = layers
        self.linears = layers.compactMap { $0 as? Linear }
        self.initializer = initializer
        self.seed = seed
    }

    /// LeNet-style multilayer perceptron: Linear layers fc1, fc2, ... with ReLU between.
    /// `sizes` = [784, 300, 100, 10] is LeNet-300-100.
    public static func mlp(_ sizes: [Int], initializer: Initializer = .glorot, seed: UInt64 = 0) throws -> Network {
        guard sizes.count >= 2 else { throw EngineError("mlp needs at least an input and an output size, got \(sizes)") }
        if let bad = sizes.first(where: { $0 < 1 || $0 > 1 << 24 }) {
            throw EngineError("mlp sizes must be between 1 and 16777216, got \(bad)")
        }
        var layers: [Layer] = []
        for i in 0..<(sizes.count - 1) {
            layers.append(Linear(name: "fc\(i + 1)", inputSize: sizes[i], outputSize: sizes[i + 1]))
            if i < sizes.count - 2 { layers.append(ReLU(name: "relu\(i + 1)", size: sizes[i + 1])) }
        }
        let net = Network(layers: layers, initializer: initializer, seed: seed)
        net.reinitialize(seed: seed)
        return net
    }

    public var inputSize: Int { layers.first?.inputSize ?? 0 }
    public var outputSize: Int { layers.last?.outputSize ?? 0 }
    public var weightCount: Int { linears.reduce(0) { $0 + $1.weight.count } }
    public var parameterCount: Int { linears.reduce(0) { $0 + $1.weight.count + $1.bias.count } }

    /// Draws all weights and biases afresh from the initialiser (layer i uses stream i
    /// of `seed`), then re-applies the current masks.
    public func reinitialize(seed: UInt64) {
        for (i, l) in linears.enumerated() {
            var rng = RNG(seed: seed, stream: UInt64(i))
            let (w, b) = initializer.draw(out: l.outputSize, in: l.inputSize, rng: &rng)
            l.weight.data = w; l.bias.data = b
            l.applyMask()
        }
    }

    public func layer(named name: String) -> Linear? { linears.first { $0.name == name } }

    /// Logits (B, classes) for a batch x (B, in).
    public func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        var h = x
        for l in layers { h = l.forward(h, batch: batch) }
        return h
    }

    /// Backpropagates dlogits through all layers, filling each Linear's gradients.
    public func backward(_ dlogits: UnsafePointer<Float>, batch: Int) {
        var g: UnsafePointer<Float>? = dlogits
        for (i, l) in layers.enumerated().reversed() {
            guard let d = g else { return }
            g = l.backward(d, batch: batch, needInputGrad: i > 0)
        }
    }
}
