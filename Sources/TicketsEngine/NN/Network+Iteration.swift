extension Network {
    /// The largest batch the net's layers can take at once: every layer's input and
    /// output for the whole batch must be addressable with BLAS's 32-bit sizes. The
    /// trainer refuses a larger batch; evaluation works in chunks no larger.
    public var largestBatch: Int {
        let widest = allLayers.map { max($0.layer.inputSize, $0.layer.outputSize) }.max() ?? 1
        return Int(Int32.max) / max(widest, 1)
    }

    /// The samples evaluation runs at once: up to 1,000, fewer when the layers'
    /// outputs for that many would pass 2^26 values (256 MiB; a VGG holds a few
    /// megabytes of activations per sample), and never beyond `largestBatch`.
    public var evaluationBatch: Int {
        let perSample = allLayers.reduce(0) { $0 + $1.layer.outputSize }
        return max(1, min(1000, largestBatch, (1 << 26) / max(perSample, 1)))
    }

    /// Throws when a training batch of `batch` samples is more than the net can take.
    public func check(batch: Int) throws {
        let limit = largestBatch
        guard batch <= limit else {
            throw EngineError("a batch of \(grouped(batch)) is too large for this net (its widest layer holds more than \(grouped(Int(Int32.max))) values at that batch); use batch=\(grouped(limit)) or less")
        }
    }

    /// Tells the layers whose randomness follows the training iteration (dropout)
    /// that the next forward pass is iteration t. The trainer calls it every step.
    public func prepareIteration(_ t: Int) {
        for (_, layer) in allLayers {
            if let l = layer as? IterationSeeded { l.iteration = t }
        }
    }

    /// The prunable layers that are convolutions, by name ("conv1", "block1.conv1"):
    /// the layers the LTH paper prunes at its convolutional rate.
    public var convolutionNames: [String] {
        allLayers.filter { $0.layer.kind == "conv2d" }.map(\.path)
    }

    /// The kind of each layer by path ("conv2d", "linear", ...).
    public func kind(ofLayer path: String) -> String? {
        allLayers.first { $0.path == path }?.layer.kind
    }
}
