/// The exact Hessian-vector product of the loss on a batch (Pearlmutter's R-operator,
/// NN/HessianVector.swift): what GraSP ranks by and what `hvp(net, data, v)` returns.
extension Pruning {
    /// H·v for every parameter of `parameters`, H the Hessian of L, the mean
    /// cross-entropy of the batch with the logits divided by `temperature`, with respect
    /// to the net's trained parameters, and v given by `direction` (parameters left out
    /// have direction zero; a masked weight's direction is masked). The layers run in
    /// training mode when `training` is set (batch norm through the batch's statistics,
    /// dropout with its mask of the net's current iteration), else in evaluation mode;
    /// the net's modes are restored after. Batch norm's running statistics move in
    /// training mode: pass a copy when that matters. Large batches go through in chunks
    /// (as `lossGradients`). Every layer kind must have R passes, else this throws.
    public static func hessianVectorProduct(_ net: Network, _ batch: ScoringBatch,
                                            direction: [(parameter: Parameter, values: [Float])],
                                            of parameters: [Parameter], temperature: Double = 1,
                                            training: Bool = false) throws -> [[Float]] {
        let classes = net.outputSize, total = batch.count
        guard total >= 1 else { throw EngineError("the scoring batch is empty") }
        guard temperature > 0, temperature.isFinite else { throw EngineError("temperature must be positive, got \(formatDecimal(temperature))") }
        for (p, v) in direction where v.count != p.count {
            throw EngineError("hvp: a direction of \(v.count) values for a parameter of \(p.count)")
        }
        let modes = net.allLayers.map { $0.layer.training }
        let fused = net.trainableParameters.map(\.fusedRate)
        for p in net.trainableParameters { p.fusedRate = nil }
        // The R passes read each layer's own forward state: no shortcut over layers.
        let fuses = net.fuses
        net.fuses = false
        defer {
            for ((_, l), m) in zip(net.allLayers, modes) { l.training = m }
            for (p, f) in zip(net.trainableParameters, fused) { p.fusedRate = f }
            net.fuses = fuses
        }
        net.setTraining(training)
        let r = RPass(direction: direction)
        let chunk = min(total, net.evaluationBatch)
        let dlogits = Buffer(chunk * classes), rdlogits = Buffer(chunk * classes)
        let zeros = Buffer(chunk * net.inputSize)
        try withDenormalsFlushed {
            for lo in stride(from: 0, to: total, by: chunk) {
                let b = min(chunk, total - lo)
                try net.check(batch: b)
                let logits = batch.x.withUnsafeBufferPointer { net.forward($0.baseAddress! + lo * batch.sampleSize, batch: b) }
                // The input does not depend on the parameters: R{x} = 0.
                let rlogits = try net.forwardR(zeros.ptr, batch: b, r)
                _ = batch.y.withUnsafeBufferPointer {
                    softmaxCrossEntropyR(logits: logits, rlogits: rlogits, labels: $0.baseAddress! + lo, batch: b,
                                         classes: classes, temperature: temperature, scale: 1 / Double(total),
                                         grad: dlogits.ptr, rgrad: rdlogits.ptr)
                }
                try net.backwardR(dlogits.ptr, rdlogits.ptr, batch: b, r)
            }
        }
        return parameters.map { r.product($0) }
    }

    /// The two halves of a batch (the first ⌊n/2⌋ examples, then the rest), each a
    /// mean loss of its own: GraSP's code scores its sample this way.
    public static func halves(_ b: ScoringBatch) throws -> [ScoringBatch] {
        let half = b.count / 2
        guard half >= 1 else { throw EngineError("the sample must have at least 2 examples to split in halves, got \(b.count)") }
        return [slice(b, 0..<half), slice(b, half..<b.count)]
    }
}

extension Pruning {
    /// H·v for every trained parameter (in the order of `namedParameters`), by key, v
    /// given by key (`direction`: any of the net's trained parameters; those left out
    /// have direction zero), averaged over the batches, or added when `summed` (GraSP's
    /// two halves). Throws, naming it, for a key the net lacks or a tensor of the wrong
    /// shape.
    public static func parameterHessianVector(_ net: Network, batches: [ScoringBatch],
                                              direction: [(key: String, tensor: Tensor)], temperature: Double = 1,
                                              training: Bool = false, summed: Bool = false) throws -> [(key: String, hv: Tensor)] {
        let trained = net.namedParameters.filter { $0.parameter.trainable }
        var pairs: [(parameter: Parameter, values: [Float])] = []
        for (key, t) in direction {
            guard let p = trained.first(where: { $0.key == key })?.parameter else {
                throw EngineError("v has \(key), which is not a trained parameter of the net (it has \(trained.map(\.key).joined(separator: ", ")))")
            }
            guard t.shape == p.shape else {
                throw EngineError("v's \(key) is \(shapeText(t.shape)) but the net's is \(shapeText(p.shape))")
            }
            pairs.append((p, t.data))
        }
        var sums = trained.map { Tensor(zeros: $0.parameter.shape) }
        for b in batches {
            let hv = try hessianVectorProduct(net, b, direction: pairs, of: trained.map(\.parameter),
                                              temperature: temperature, training: training)
            if batches.count == 1 { sums = zip(trained, hv).map { Tensor(shape: $0.0.parameter.shape, data: $0.1) }; break }
            let count = Float(batches.count)
            for (i, h) in hv.enumerated() {
                for j in 0..<h.count { sums[i].data[j] += summed ? h[j] : h[j] / count }
            }
        }
        return zip(trained, sums).map { ($0.0.key, $0.1) }
    }
}
