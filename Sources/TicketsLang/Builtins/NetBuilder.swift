import TicketsEngine

/// `sequential(data, [conv2d(64), maxpool(2), flatten(), linear(10)])`: a custom net
/// from a list of layers, and the builtins that make the list's entries.
func layerBuiltins() -> [BuiltinGroup] {
    [BuiltinGroup("Data and nets", [
        Builtin("sequential", [
            .any("data", what: "a data set or a sample shape like [3, 32, 32]",
                 "the input: a data set (its sample shape; its classes must fit the last layer) or one sample's shape"),
            .list("layers", what: "a list of layers like [conv2d(64), maxpool(2), flatten(), linear(10)]",
                  "the layers from input to output"),
            .choice("init", Initializer.self, .glorot, "glorot (normal, the LTH paper's), kaiming (normal), lecun (normal, 1/fan_in: the grokking-tickets code's) or torch (PyTorch's uniform)"),
            .seed("seed", "seeds the initial weights (layer i draws from stream i) and dropout"),
        ], doc: """
        A net made of the layers listed, in order, each taking the shape the one before
        gives (as PyTorch's nn.Sequential):
          sequential(data, [conv2d(64), conv2d(64), maxpool(2), flatten(), linear(256), linear(10)])
        ReLUs come with the layers: conv2d and linear each bring one (relu=false leaves
        it out), placed right after the layer or, when batchnorm() follows it, after
        the batch norm (conv → batch norm → ReLU); the layer that ends the net gets
        none (its outputs are the logits). relu() adds one elsewhere (after a pooling).
        Layers are named conv1, conv2, ..., fc1, fc2, ... (fc when there is one), bn1,
        pool1, relu1, dropout1, flatten, gap, embed, sum. Over tokens (the grokking MLP of
        Minegishi et al., on dataset("modular", symmetric=true, tokens=true)):
          sequential(data, [embedding(500), sum_positions(), linear(48, bias=false),
                            linear(500, bias=false, relu=false), linear(67, bias=false)], init="lecun")
        The layers' shapes are checked as the net
        is built: a pooling that leaves nothing, a linear before flatten() or an output
        smaller than the data set's classes is an error naming the layer.
        """, validate: { a in _ = try a.inputShape("data"); _ = try a.resolvedLayerSpecs() }) { a in
            let (shape, classes) = try a.inputShape("data")
            return announceNet(a, try Network.sequential(inputShape: shape, try a.resolvedLayerSpecs(), classes: classes,
                                                         initializer: try a.choice("init", Initializer.self), seed: try a.seed()))
        },
    ]), BuiltinGroup("Layers (for sequential)", [
        Builtin("conv2d", [
            .int("channels", min: 1, max: 65536, "output channels"),
            .int("kernel", 3, min: 1, max: 64, "the kernel's height and width"),
            .int("stride", 1, min: 1, max: 64, "the step between windows"),
            .int("padding", 1, min: 0, max: 64, "zeros added on every side (1 keeps a 3×3 convolution's image size)"),
            .bool("bias", true, "whether the layer has a bias"),
            .bool("relu", true, "a ReLU follows it (after its batch norm, if one comes next), unless it ends the net"),
        ], doc: """
        A 2-D convolution layer for sequential, PyTorch's nn.Conv2d(in, channels,
        kernel, stride, padding, bias); its weights (out, in, kernel, kernel) are
        prunable. Glorot's fan_in is in·kernel², fan_out channels·kernel².
        """) { a in
            layerValue(.conv2d(channels: try a.int("channels"), kernel: try a.int("kernel"), stride: try a.int("stride"),
                               padding: try a.int("padding"), bias: try a.bool("bias"), relu: try a.bool("relu")))
        },
        Builtin("linear", [
            .int("outputs", min: 1, max: 1 << 24, "output values"),
            .bool("relu", true, "a ReLU follows it (after its batch norm, if one comes next), unless it ends the net"),
            .bool("bias", true, "whether the layer has a bias (false: y = x·Wᵀ, PyTorch's bias=False)"),
        ], doc: """
        A fully connected layer for sequential, PyTorch's nn.Linear; it takes flat input
        (after flatten(), gap() or sum_positions()). With bias=false the layer has no
        bias parameter at all (none is trained, saved or counted). Two bias-free linear
        layers in a row (relu=false on the first), and embedding(), sum_positions() and
        a bias-free linear, train as one product when that is cheaper: exactly the same
        net, fewer multiply-adds.
        """) { a in
            layerValue(.linear(outputs: try a.int("outputs"), relu: try a.bool("relu"), bias: try a.bool("bias") ? nil : false))
        },
        Builtin("embedding", [
            .int("dim", min: 1, max: 1 << 24, "the values each token becomes"),
            .optionalInt("vocab", min: 1, max: 1 << 24, "how many tokens (default: the data set's vocabulary)"),
        ], doc: """
        An embedding for sequential, PyTorch's nn.Embedding(vocab, dim): the first
        layer of a net over tokens (dataset("modular", tokens=true)), one table shared by
        every position, samples of T tokens to T×dim values. Its weight (vocab, dim) is
        prunable like a linear layer's (fan_in vocab, fan_out dim). A value that is not
        a whole number from 0 to vocab − 1 is an error when the net trains or is
        evaluated. Follow it with sum_positions().
        """) { a in
            layerValue(.embedding(dimension: try a.int("dim"), vocabulary: try a.optionalInt("vocab") ?? 0))
        },
        Builtin("sum_positions", doc: """
        The sum over positions for sequential: T×D values to D (x.sum(dim=1)), how the
        grokking MLP adds its two operands' embeddings. No parameters.
        """) { _ in layerValue(.sumPositions) },
        Builtin("maxpool", [
            .int("kernel", 2, min: 1, max: 64, "the window's height and width"),
            .optionalInt("stride", min: 1, max: 64, "the step between windows (default: the window)"),
        ], doc: "Max pooling for sequential, PyTorch's nn.MaxPool2d(kernel, stride): the maximum of each window.") { a in
            layerValue(.maxPool(kernel: try a.int("kernel"), stride: try a.optionalInt("stride")))
        },
        Builtin("avgpool", [
            .int("kernel", 2, min: 1, max: 64, "the window's height and width"),
            .optionalInt("stride", min: 1, max: 64, "the step between windows (default: the window)"),
        ], doc: "Average pooling for sequential, PyTorch's nn.AvgPool2d(kernel, stride): the mean of each window.") { a in
            layerValue(.avgPool(kernel: try a.int("kernel"), stride: try a.optionalInt("stride")))
        },
        Builtin("gap", doc: """
        Global average pooling for sequential: each channel's mean, images C×H×W to C
        values (PyTorch's nn.AdaptiveAvgPool2d(1) then nn.Flatten()).
        """) { _ in layerValue(.globalAvgPool) },
        Builtin("batchnorm", doc: """
        Batch normalisation for sequential, over the channels of images
        (nn.BatchNorm2d) or of flat values (nn.BatchNorm1d): momentum 0.1, eps 1e-5.
        train uses each batch's statistics and updates the running ones; evaluate uses
        the running ones. Its scale and shift are trained, never pruned.
        """) { _ in layerValue(.batchNorm) },
        Builtin("dropout", [
            .number("p", 0.5, .unitOpen, "the chance that a value is zeroed"),
        ], doc: """
        Inverted dropout for sequential (nn.Dropout(p)): in training each value is
        zeroed with probability p and the rest scaled by 1/(1 − p); evaluate passes
        values through. The values dropped at iteration t come from stream t of a seed
        derived from the net's seed, so runs repeat exactly.
        """) { a in layerValue(.dropout(probability: try a.number("p"))) },
        Builtin("relu", doc: "A ReLU for sequential, where no conv2d or linear brings one (after a pooling, say).") { _ in
            layerValue(.relu)
        },
        Builtin("flatten", doc: """
        Flatten for sequential: images C×H×W become C·H·W values in (c, h, w) order,
        as PyTorch's nn.Flatten(); no copy is made.
        """) { _ in layerValue(.flatten) },
    ])]
}

func layerValue(_ spec: LayerSpec) -> Value { .object(LayerSpecObject(spec)) }

extension Args {
    /// The entries of a `sequential` layer list.
    func layerSpecs(_ name: String) throws -> [LayerSpec] {
        let items = try list(name).items
        guard !items.isEmpty else { throw fail(name, "is empty; list the layers, e.g. [conv2d(32), maxpool(2), flatten(), linear(10)]") }
        return try items.enumerated().map { i, item in
            guard case .object(let o) = item, let spec = o as? LayerSpecObject else {
                throw fail(name, "must hold layers such as conv2d(64) or linear(10), got \(describeBrief(item)) (item \(i + 1))")
            }
            return spec.spec
        }
    }

    /// The layer list of `sequential` with each embedding's vocabulary taken from the
    /// data set when the call leaves it out.
    func resolvedLayerSpecs() throws -> [LayerSpec] {
        let data: Dataset? = { if case .object(let o) = try? value("data"), let d = o as? DatasetObject { return d.data }; return nil }()
        return try layerSpecs("layers").map { spec in
            guard case .embedding(let dim, let vocab) = spec else { return spec }
            if let data, data.vocabulary == nil {
                throw fail("\(spec.text) reads tokens, but the data set \(data.name) holds \(data.sampleSize) features a sample; load it with tokens, such as dataset(\"modular\", tokens=true)")
            }
            if vocab > 0 { return spec }
            guard let v = data?.vocabulary else {
                throw fail("\(spec.text) needs vocab= when the input is a shape, not a data set of tokens")
            }
            return .embedding(dimension: dim, vocabulary: v)
        }
    }

    /// A data set's sample shape and classes, or a shape list and no classes.
    func inputShape(_ name: String) throws -> (shape: [Int], classes: Int?) {
        let v = try value(name)
        if case .object(let o) = v, let d = o as? DatasetObject { return (d.data.sampleShape, d.data.classes) }
        if case .list(let l) = v, !l.items.isEmpty, l.items.count <= 3 {
            let dims = l.items.compactMap { item -> Int? in
                guard case .number(let x) = item, x == x.rounded(), x >= 1, x <= 65536 else { return nil }
                return Int(x)
            }
            if dims.count == l.items.count { return (dims, nil) }
        }
        throw fail(name, "must be a data set or a sample shape like [3, 32, 32] (whole numbers from 1 to 65536), got \(v.typeName == "list" ? v.repr : describeBrief(v))")
    }
}
