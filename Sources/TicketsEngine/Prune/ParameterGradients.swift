/// The loss gradient of every trained parameter, and a net's outputs: what a user's
/// criterion computes with (`grad(net, data)`, `outputs(net, x)`).
extension Pruning {
    /// ∂L/∂θ for every trained parameter (weights and biases, in the order of
    /// `namedParameters`), L the mean cross-entropy of each batch in evaluation mode,
    /// averaged over the batches. With one batch drawn by `randomBatch(data, count:,
    /// seed:)`, the weights' gradients are exactly those SNIP ranks by.
    /// `temperature` divides the logits before the loss and `training` runs the layers
    /// in training mode, as GraSP's scoring pass may. `summed`: the batches' gradients
    /// are added, not averaged (GraSP's code adds its two halves').
    public static func parameterGradients(_ net: Network, batches: [ScoringBatch], temperature: Double = 1,
                                          training: Bool = false, summed: Bool = false) throws -> [(key: String, grad: Tensor)] {
        let trained = net.namedParameters.filter { $0.parameter.trainable }
        var sums: [Tensor] = trained.map { Tensor(zeros: $0.parameter.shape) }
        for b in batches {
            let g = try lossGradients(net, b, of: trained.map(\.parameter), temperature: temperature, training: training).grads
            if batches.count == 1 { sums = zip(trained, g).map { Tensor(shape: $0.0.parameter.shape, data: $0.1) }; break }
            let count = Float(batches.count)
            for (i, gi) in g.enumerated() {
                for j in 0..<gi.count { sums[i].data[j] += summed ? gi[j] : gi[j] / count }
            }
        }
        return zip(trained, sums).map { ($0.0.key, $0.1) }
    }
}

extension Network {
    /// The outputs of the top-level layer `name` ("fc1", "relu1") for `count` samples
    /// x, in evaluation mode: (count, that layer's output size). nil name: the logits.
    // x (count, sample) → out (count, layer outputs)
    public func outputs(_ x: [Float], count: Int, layer name: String?) throws -> Tensor {
        let last: Int
        if let name {
            guard let i = layers.firstIndex(where: { $0.name == name }) else {
                throw EngineError("the net has no layer \(name); its layers are \(layers.map(\.name).joined(separator: ", "))")
            }
            last = i
        } else {
            last = layers.count - 1
        }
        let width = layers[last].outputSize
        guard count * inputSize == x.count else {
            throw EngineError("the net takes \(inputSize) inputs a sample; \(x.count) values are not a whole number of samples")
        }
        try Tensor.checkBudget([count, width])
        let modes = allLayers.map { $0.layer.training }
        defer { for ((_, l), m) in zip(allLayers, modes) { l.training = m } }
        setTraining(false)
        let out = Tensor(zeros: [count, width])
        let chunk = evaluationBatch
        withDenormalsFlushed {
            for lo in stride(from: 0, to: count, by: chunk) {
                let b = min(chunk, count - lo)
                x.withUnsafeBufferPointer { p in
                    var h = UnsafePointer(p.baseAddress! + lo * inputSize)
                    for l in layers[...last] { h = l.forward(h, batch: b) }
                    for i in 0..<(b * width) { out.data[lo * width + i] = h[i] }
                }
            }
        }
        return out
    }

    /// The logits for `count` samples `x` (count, inputSize), in evaluation mode.
    public func outputs(_ x: [Float], count: Int) throws -> Tensor {
        try outputs(x, count: count, layer: nil)
    }
}
