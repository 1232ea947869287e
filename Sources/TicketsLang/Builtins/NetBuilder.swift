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
            .choice("init", Initializer.self, .glorot, "glorot (normal, the LTH paper's), kaiming (normal) or torch (PyTorch's uniform)"),
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
        pool1, relu1, dropout1, flatten, gap. The layers' shapes are checked as the net
        is built: a pooling that leaves nothing, a linear before flatten() or an output
        smaller than the data set's classes is an error naming the layer.
        """, validate: { a in _ = try a.inputShape("data"); _ = try a.layerSpecs("layers") }) { a in
            let (shape, classes) = try a.inputShape("data")
            return announceNet(a, try Network.sequential(inputShape: shape, try a.layerSpecs("layers"), classes: classes,
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
        ], doc: "A fully connected layer for sequential, PyTorch's nn.Linear; it takes flat input (after flatten() or gap()).") { a in
            layerValue(.linear(outputs: try a.int("outputs"), relu: try a.bool("relu")))
        },
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
