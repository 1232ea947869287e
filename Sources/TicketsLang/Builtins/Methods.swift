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
        Builtin("grad", scoringParams("the net whose loss is differentiated") + [
            .choice("of", ["all", "weights"], "all", "all: every trained parameter; weights: the prunable weights only (SNIP's and GraSP's g)"),
        ], doc: """
        The gradient of the mean cross-entropy on a batch, as a record shaped like
        params(net) (the net in evaluation mode, as SNIP scores). It draws its batch
        exactly as prune(by="snip", batch=, seed=) does, so
        mask_from(abs(grad(net, data) * params(net)), density=d, scope="global") is SNIP's mask.
        With per_class=, temperature=, training=true, halves=true and of="weights" it is
        GraSP's g (see hvp).
        """, validate: checkScoringArgs) { a in
            let net = try a.net()
            let (batches, summed) = try scoringBatches(a)
            var g = try Pruning.parameterGradients(net, batches: batches, temperature: try a.number("temperature"),
                                                   training: try a.bool("training"), summed: summed)
            if try a.string("of") == "weights" {
                let weights = Set(net.namedParameters.filter { $0.parameter.prunable }.map(\.key))
                g = g.filter { weights.contains($0.key) }
            }
            return nestedRecord(g.map { ($0.key, $0.grad) })
        },
        Builtin("hvp", scoringParams("the net whose loss's Hessian multiplies v", after: [
            .any("v", what: "record of tensors", "the vector: a record nested like params(net), of any of its tensors (those left out are zero)"),
        ]), doc: """
        The exact Hessian-vector product H·v of the mean cross-entropy on a batch (H with
        respect to the net's trained parameters), as a record shaped like params(net).
        Pearlmutter's R-operator through every layer: what autograd's double backward
        gives, not a finite difference. The batch is drawn as grad draws it. A pruned
        weight's entry of v counts as zero. GraSP (prune(by="grasp")) is
          g = grad(net, data, per_class=10, temperature=200, training=true, halves=true, of="weights")
          mask_from(params(net) * hvp(net, data, g, per_class=10, temperature=200, training=true, halves=true), density=d, scope="global")
        (it removes the highest −w ⊙ Hg, so keeps the highest w ⊙ Hg).
        """, validate: checkScoringArgs) { a in
            let net = try a.net()
            let direction = try vectorLeaves(try a.value("v"), net: net).mapError { a.fail("v", $0.message) }.get()
            let (batches, summed) = try scoringBatches(a)
            let hv = try Pruning.parameterHessianVector(net, batches: batches, direction: direction,
                                                        temperature: try a.number("temperature"),
                                                        training: try a.bool("training"), summed: summed)
            return nestedRecord(hv.map { ($0.key, $0.hv) })
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

/// The arguments grad and hvp share: the net, the data and how the batch is drawn.
/// `after` comes right after data (hvp's v).
func scoringParams(_ netDoc: String, after: [Param] = []) -> [Param] {
    [.net("net", netDoc), .dataset("data", "the examples come from this data set")] + after + [
        .int("batch", 100, min: 1, max: 1 << 20, "examples a batch"),
        .seed("seed", "seeds the examples drawn (as prune(by=\"snip\", seed=) draws them)"),
        .choice("split", ["train", "test"], "train", "the split the examples come from"),
        .int("batches", 1, min: 1, max: 10_000, "batches averaged (drawn in turn from one shuffled order)"),
        .optionalInt("per_class", min: 1, max: 1 << 16, "instead of batch: this many examples of every class (GraSP's balanced sample, as prune(by=\"grasp\") draws it)"),
        .number("temperature", 1, .positive, "the logits are divided by it before the loss (GraSP's T)"),
        .bool("training", false, "run the layers in training mode (batch norm on the batch's statistics; its running statistics move)"),
        .bool("halves", false, "cut the sample in two halves and add the halves' results, each the mean over its half (GraSP's code; batch norm sees each half's statistics)"),
    ]
}

/// The net must take the data's samples.
func checkScoringArgs(_ a: Args) throws {
    let data = try a.dataset()
    try a.net().check(sampleShape: data.sampleShape, classes: data.classes)
}

/// The batches grad and hvp average (or add, for halves).
func scoringBatches(_ a: Args) throws -> (batches: [ScoringBatch], summed: Bool) {
    let data = try a.dataset()
    let split = try a.string("split") == "test" ? data.test : data.train
    var batches: [ScoringBatch]
    if let k = try a.optionalInt("per_class") {
        guard try a.string("split") == "train", try a.int("batches") == 1 else {
            throw a.fail("per_class", "draws one balanced sample of the training split; leave split and batches out")
        }
        batches = [try Pruning.balancedBatch(data, perClass: k, seed: try a.seed())]
    } else {
        batches = try Pruning.randomBatches(split, count: try a.int("batch"), batches: try a.int("batches"), seed: try a.seed())
    }
    guard try a.bool("halves") else { return (batches, false) }
    guard batches.count == 1 else { throw a.fail("halves", "cuts one sample in two; leave batches out") }
    guard batches[0].count >= 2 else { throw a.fail("halves", "needs a sample of at least 2 examples, got \(batches[0].count)") }
    return (try Pruning.halves(batches[0]), true)
}

/// v's tensors by key ("fc1.weight"), read from a record nested like params(net).
/// Returns the sentence that says what is wrong instead of throwing, so that the
/// caller names the argument.
func vectorLeaves(_ v: Value, net: Network) -> Result<[(key: String, tensor: Tensor)], VectorError> {
    var out: [(String, Tensor)] = []
    func walk(_ v: Value, _ path: String) -> VectorError? {
        switch v {
        case .record(let r):
            for (k, x) in r.fields { if let e = walk(x, path.isEmpty ? k : path + "." + k) { return e } }
            return nil
        case .object(let t as TensorObject):
            guard let p = net.parameter(path), p.trainable else {
                let keys = net.namedParameters.filter { $0.parameter.trainable }.map(\.key)
                return VectorError("has \(path), which is not a trained parameter of the net (it has \(keys.prefix(6).joined(separator: ", "))\(keys.count > 6 ? ", ..." : ""))")
            }
            guard t.tensor.shape == p.shape else {
                return VectorError("has \(path) of shape \(Broadcast.describe(t.tensor.shape)) where the net's is \(Broadcast.describe(p.shape))")
            }
            out.append((path, t.tensor))
            return nil
        default:
            return VectorError(path.isEmpty ? "must be a record of tensors shaped like params(net), got \(describeBrief(v))"
                                            : "has \(path) = \(describeBrief(v)), where a tensor belongs")
        }
    }
    if let e = walk(v, "") { return .failure(e) }
    if out.isEmpty { return .failure(VectorError("holds no tensors; give a record shaped like params(net)")) }
    return .success(out)
}

struct VectorError: Error { let message: String; init(_ m: String) { message = m } }
