import TicketsEngine

/// What a user's method computes with: a net's tensors as a record, loss gradients,
/// outputs, and masks from scores it computed.
func netTensorBuiltins() -> [Builtin] {
    [
        Builtin("params", [.any("x", what: "net or snapshot", "the net or snapshot")], doc: """
        A net's (or a snapshot's) weights and biases as a record nested by layer path, one
        tensor each: params(net).fc1.weight, as PyTorch's named_parameters. Every tensor
        operation maps over such records: abs(params(net)) - abs(params(w0)).
        """) { a in
            switch try a.value("x") {
            case .object(let n as NetObject):
                let trained = n.net.namedParameters.filter { $0.parameter.trainable }
                return nestedRecord(trained.map { ($0.key, Tensor(shape: $0.parameter.shape, data: $0.parameter.value.data)) })
            case .object(let s as SnapshotObject):
                // A snapshot holds the whole state dict; the trained tensors are those
                // that are not batch norm's running statistics.
                let trained = s.snapshot.entries.filter { e in
                    let last = e.key.split(separator: ".").last.map(String.init) ?? e.key
                    return !last.hasPrefix("running_") && last != "num_batches_tracked"
                }
                return nestedRecord(trained.map { ($0.key, Tensor(shape: $0.tensor.shape, data: $0.tensor.data)) })
            case let v:
                throw a.fail("x", "must be a net or a snapshot, got \(describeBrief(v))")
            }
        },
        Builtin("grad", [
            .net("net", "the net whose loss is differentiated"),
            .dataset("data", "the examples come from this data set"),
            .int("batch", 100, min: 1, max: 1 << 20, "examples a batch"),
            .seed("seed", "seeds the examples drawn (as prune(by=\"snip\", seed=) draws them)"),
            .choice("split", ["train", "test"], "train", "the split the examples come from"),
            .int("batches", 1, min: 1, max: 10_000, "batches averaged (drawn in turn from one shuffled order)"),
            .optionalInt("per_class", min: 1, max: 1 << 16, "instead of batch: this many examples of every class (GraSP's balanced sample, as prune(by=\"grasp\") draws it)"),
            .number("temperature", 1, .positive, "the logits are divided by it before the loss (GraSP's T)"),
            .bool("training", false, "run the layers in training mode (batch norm on the batch's statistics; its running statistics move)"),
        ], doc: """
        The gradient of the mean cross-entropy on a batch, as a record shaped like
        params(net) (the net in evaluation mode, as SNIP scores). It draws its batch
        exactly as prune(by="snip", batch=, seed=) does, so
        mask_from(abs(grad(net, data) * params(net)), density=d, scope="global") is SNIP's mask.
        """, validate: { a in
            let data = try a.dataset()
            try a.net().check(sampleShape: data.sampleShape, classes: data.classes)
        }) { a in
            let net = try a.net(), data = try a.dataset()
            let split = try a.string("split") == "test" ? data.test : data.train
            let batches: [ScoringBatch]
            if let k = try a.optionalInt("per_class") {
                guard try a.string("split") == "train", try a.int("batches") == 1 else {
                    throw a.fail("per_class", "draws one balanced sample of the training split; leave split and batches out")
                }
                batches = [try Pruning.balancedBatch(data, perClass: k, seed: try a.seed())]
            } else {
                batches = try Pruning.randomBatches(split, count: try a.int("batch"), batches: try a.int("batches"), seed: try a.seed())
            }
            let g = try Pruning.parameterGradients(net, batches: batches, temperature: try a.number("temperature"),
                                                   training: try a.bool("training"))
            return nestedRecord(g.map { ($0.key, $0.grad) })
        },
        Builtin("outputs", [
            .net("net", "the net"),
            .any("x", what: "tensor", "samples: (count, features...) or one sample"),
        ], doc: "The net's logits for the samples x (evaluation mode): a tensor (count, classes).") { a in
            let net = try a.net()
            guard case .object(let t as TensorObject) = try a.value("x") else {
                throw a.fail("x", "must be a tensor of samples, got \(describeBrief(try a.value("x")))")
            }
            let size = net.inputSize
            guard t.tensor.count % max(size, 1) == 0, t.tensor.count > 0 else {
                throw a.fail("x", "has shape \(Broadcast.describe(t.tensor.shape)), which is not samples of the net's \(size) inputs")
            }
            return .object(TensorObject(try net.outputs(t.tensor.data, count: t.tensor.count / size)))
        },
        Builtin("activations", [
            .net("net", "the net"),
            .dataset("data", "the examples come from this data set"),
            .string("layer", "the layer whose outputs are taken (fc1, relu1, ...)"),
            .choice("split", ["train", "test"], "test", "the split the examples come from"),
            .int("count", 1000, min: 1, max: 1 << 20, "the first count examples of the split"),
        ], doc: """
        A layer's outputs for the first count examples of a split (evaluation mode): a
        tensor (count, outputs), for representation similarity such as CKA.
        """, validate: { a in
            let data = try a.dataset()
            try a.net().check(sampleShape: data.sampleShape, classes: data.classes)
        }) { a in
            let net = try a.net(), data = try a.dataset()
            let split = try a.string("split") == "test" ? data.test : data.train
            let n = min(try a.int("count"), split.count)
            let rows = (0..<Int32(n)).map { $0 }
            var x = [Float](repeating: 0, count: n * split.sampleSize)
            x.withUnsafeMutableBufferPointer { split.gather(rows, into: $0.baseAddress!) }
            return .object(TensorObject(try net.outputs(x, count: n, layer: try a.string("layer"))))
        },
        Builtin("mask_from", [
            .any("scores", what: "record of tensors", "scores by layer (params(net)-shaped, or {fc1: t, ...}); or a record of booleans"),
            Param("density", .number(.unitPositive), default: .null, "the fraction of weights to keep, in (0, 1]"),
            Param("rate", .number(.unitOpen), default: .null, "the fraction of weights to remove, in [0, 1)"),
            .choice("scope", PruneScope.self, .layer, "layer: rank within each layer; global: all layers together"),
            .optionalString("pattern", "N:M, e.g. \"2:4\": at most N of every M consecutive weights kept"),
        ], doc: """
        A mask keeping the weights of highest score, with the same selection as prune
        (ties by position, N:M patterns, scope). Only the layers' weights are ranked
        (a field weight of two or more dimensions, or a layer's own tensor); biases are
        left out. A record of booleans is taken as it is: mask_from(abs(params(net)) > 0.01).
        """) { a in
            let scores = try scoreLayers(try a.value("scores"))
            guard !scores.isEmpty else { throw a.fail("scores", "holds no weights (tensors of two or more dimensions)") }
            let layout = PruneLayout(names: scores.map(\.name), shapes: scores.map(\.tensor.shape))
            guard !(a.has("density") && a.has("rate")) else { throw a.fail("give density or rate, not both") }
            let m: Mask
            if !a.has("density") && !a.has("rate") {
                guard scores.allSatisfy(\.bool) else {
                    throw a.fail("say how much to keep: density= or rate= (or give a record of booleans)")
                }
                m = Mask(names: layout.names, tensors: scores.map { $0.tensor.map(.not).map(.not) })
            } else {
                var options = PruneOptions(scope: try a.choice("scope", PruneScope.self))
                if let p = try a.optionalString("pattern") {
                    do { options.pattern = try NMPattern(parsing: p) } catch let e as EngineError { throw a.fail("pattern", String(e.message.dropFirst("pattern ".count))) }
                }
                let amount: PruneAmount = a.has("density") ? .density(try a.number("density")) : .rate(try a.number("rate"))
                m = try Pruning.keepHighest(scores: scores.map(\.tensor), layout: layout, amount: amount, options: options)
            }
            a.ctx.announce(describeMask(m))
            return .object(MaskObject(m))
        },
    ]
}

/// A record nested by the keys' dotted paths: "fc1.weight" → {fc1: {weight: t}}.
func nestedRecord(_ entries: [(String, Tensor)]) -> Value {
    let root = RecordRef([], style: TensorValues.style)
    for (key, t) in entries {
        let parts = key.split(separator: ".").map(String.init)
        var r = root
        for p in parts.dropLast() {
            if case .record(let inner)? = r[p] { r = inner } else {
                let inner = RecordRef([], style: TensorValues.style)
                r[p] = .record(inner)
                r = inner
            }
        }
        r[parts.last ?? key] = .object(TensorObject(key, t))
    }
    return .record(root)
}

/// The layers a record of scores ranks: a field `weight` of two or more dimensions
/// names its layer by the path above it (params(net).fc1.weight is fc1), any other
/// tensor of two or more dimensions by its own path ({fc1: t}). Biases (one dimension)
/// are left out.
func scoreLayers(_ v: Value) throws -> [(name: String, tensor: Tensor, bool: Bool)] {
    if case .object(let m as MaskObject) = v {
        return zip(m.mask.names, m.mask.tensors).map { ($0, $1, true) }
    }
    guard case .record = v else { throw EngineError("scores must be a record of tensors by layer, got \(describeBrief(v))") }
    return TensorValues.leaves(v).compactMap { leaf in
        guard leaf.tensor.shape.count >= 2 else { return nil }
        let parts = leaf.path.split(separator: ".").map(String.init)
        let name = parts.count > 1 && parts.last == "weight" ? parts.dropLast().joined(separator: ".") : leaf.path
        return (name, leaf.tensor, leaf.bool)
    }
}

/// Scores for every prunable layer of `net`, found by layer name in what a criterion
/// returned.
func scores(for net: Network, from v: Value) throws -> [Tensor] {
    let found = try scoreLayers(v)
    return try net.prunableNames.map { name in
        guard let s = found.first(where: { $0.name == name }) else {
            throw EngineError("the criterion's scores have no tensor for layer \(name) (they have \(found.map(\.name).joined(separator: ", ")))")
        }
        return s.tensor
    }
}
