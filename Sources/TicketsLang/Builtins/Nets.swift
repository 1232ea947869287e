import TicketsEngine

func netBuiltins() -> [BuiltinGroup] {
    [BuiltinGroup("Data and nets", [
        Builtin("mlp", [
            .list("sizes", what: "a list of layer sizes like [784, 300, 100, 10]", "layer sizes from input to output"),
            .choice("init", Initializer.self, .glorot, "glorot (normal, the LTH paper's), kaiming (normal), lecun (normal, 1/fan_in) or torch (PyTorch's uniform)"),
            .seed("seed", "seeds the initial weights (layer i draws from stream i)"),
            .preset,
        ], doc: """
        A multilayer perceptron: Linear layers fc1, fc2, ... with ReLU between.
        mlp([784, 300, 100, 10]) is the LTH paper's LeNet-300-100 (Frankle & Carbin 2019, §2).
        Members: layers, sizes, parameters, weights, step, init, seed, mask.
        """) { a in
            let sizes = try a.wholeNumbers("sizes")
            let net = try Network.mlp(sizes, initializer: try a.choice("init", Initializer.self), seed: try a.seed())
            let obj = NetObject(net)
            a.ctx.announce(obj.describe())
            return .object(obj)
        },
        Builtin("conv", [
            .int("depth", "2, 4 or 6: Conv-2, Conv-4 or Conv-6"),
            .dataset("data", "gives the input shape (1×28×28, 3×32×32) and the number of classes"),
            .choice("init", Initializer.self, .glorot, "glorot (normal, the LTH paper's), kaiming (normal), lecun (normal, 1/fan_in) or torch (PyTorch's uniform)"),
            .seed("seed", "seeds the initial weights (layer i draws from stream i)"),
            .preset,
        ], doc: """
        The LTH paper's Conv-2, Conv-4 and Conv-6 (Frankle & Carbin 2019, Figure 2 and
        Appendix F): 3×3 convolutions with padding 1 in pairs of 64, 128 and 256
        channels (Conv-2 the first pair, Conv-4 two, Conv-6 three), 2×2 max pooling
        after each pair, then fully connected 256, 256 and one output per class, ReLU
        between. On CIFAR-10 Conv-2 has 4.3M weights.
        Layers: conv1, conv2, ... (prunable), relu1, ..., pool1, ..., flatten, fc1, fc2, fc3.
        Members: as mlp's, and conv_layers, the convolutions' names (imp's conv_rate).
        """) { a in
            announceNet(a, try Network.conv(depth: try a.int("depth"), inputShape: try a.dataset().sampleShape,
                                                classes: try a.dataset().classes,
                                                initializer: try a.choice("init", Initializer.self), seed: try a.seed()))
        },
        Builtin("vgg", [
            .int("depth", "11, 13, 16 or 19: VGG-11, -13, -16 or -19"),
            .dataset("data", "gives the input shape and the number of classes"),
            .choice("init", Initializer.self, .glorot, "glorot (normal, the LTH paper's), kaiming (normal; open_lth's) or torch (PyTorch's uniform)"),
            .seed("seed", "seeds the initial weights (layer i draws from stream i)"),
            .preset,
        ], doc: """
        VGG for CIFAR, as open_lth builds it for the LTH papers: 3×3 convolutions
        (padding 1), each followed by batch norm and ReLU, 2×2 max pooling between the
        groups, the average of each of the 512 final channels (global average pooling;
        open_lth's AvgPool2d(2) on CIFAR's last 2×2 map is the same), and one fully
        connected output layer. Batch norm runs in training mode in train and in eval
        mode (running statistics) in evaluate.
        Layers: conv1 ... conv<n> (prunable), bn1 ..., relu1 ..., pool1 ... pool4, gap, fc.
        """) { a in
            announceNet(a, try Network.vgg(depth: try a.int("depth"), inputShape: try a.dataset().sampleShape,
                                               classes: try a.dataset().classes,
                                               initializer: try a.choice("init", Initializer.self), seed: try a.seed()))
        },
        Builtin("resnet", [
            .int("depth", "6n + 2: 20 (ResNet-20), 32, 44, 56, 110"),
            .dataset("data", "gives the input shape and the number of classes"),
            .choice("init", Initializer.self, .glorot, "glorot (normal, the LTH paper's), kaiming (normal; open_lth's) or torch (PyTorch's uniform)"),
            .seed("seed", "seeds the initial weights (layer i draws from stream i)"),
            .preset,
        ], doc: """
        The CIFAR ResNet (He et al. 2016, §4.2; open_lth's cifar_resnet; ResNet-20 is
        the net of the late-rewinding papers): a 3×3 convolution to 16 channels, three
        stages of n residual blocks of 16, 32 and 64 channels (depth = 6n + 2), global
        average pooling, one fully connected layer. A block is conv-bn-relu-conv-bn plus
        its shortcut, then ReLU; the first block of stages 2 and 3 halves the image and
        its shortcut is a 1×1 convolution with stride 2 and batch norm. No biases.
        Layers: conv, bn, relu, block1 ... block<3n>, gap, fc. Each block holds conv1,
        bn1, conv2, bn2 (and shortcut, shortcut_bn): its layers are named by their
        path, "block4.conv1", "block4.shortcut"; quote them in records:
        prune(net, rates={"block4.shortcut": 0.1}).
        """) { a in
            announceNet(a, try Network.resnet(depth: try a.int("depth"), inputShape: try a.dataset().sampleShape,
                                                  classes: try a.dataset().classes,
                                                  initializer: try a.choice("init", Initializer.self), seed: try a.seed()))
        },
        Builtin("snapshot", [.net("net", "the net to copy")], doc: """
        A copy of every weight and bias of the net, to rewind to later. Take it before
        training for the original LTH (rewind to init), or after k steps of training
        for late rewinding (train(net, data, steps=k) then snapshot(net)).
        """) { a in
            .object(SnapshotObject(Snapshot(of: try a.net())))
        },
        Builtin("rewind", [.net("net", "the net to reset"), .object("snapshot", "snapshot", what: "a snapshot (from snapshot(net))", "what to reset it to")],
                doc: """
                Restores the net's weights and biases to a snapshot and keeps its current mask:
                pruned weights stay zero, survivors get their snapshot values.
                """) { a in
            try a.object("snapshot", as: SnapshotObject.self).snapshot.restore(into: try a.net())
            return .null
        },
        Builtin("reinit", [
            .net("net", "the net to re-draw"),
            Param("seed", .int(min: 0, max: nil), default: .null, "seeds the new weights (default: derived from the net's seed and its count of re-draws)"),
            .int("step", 0, min: 0, "the iteration count the re-drawn net starts at (open_lth's re-init control of a late-rewound ticket starts at the rewind iteration k)"),
        ], doc: """
        Draws the net's weights and biases afresh from its initialiser and keeps its
        current mask: the random re-initialisation control of the LTH paper (Frankle &
        Carbin 2019, §2). The draws come from streams no initialisation uses, so even
        reinit(net, seed=net.seed) differs from the net's original weights; without a
        seed each re-draw is new and depends on the net's seed. Resets the optimizer
        and sets net.step to step (0 unless given: the data order and the schedule
        then go on from there). Returns the seed used.
        """) { a in
            let s = try a.net().redraw(seed: try a.optionalInt("seed").map(UInt64.init), step: try a.int("step"))
            return .int(Int(s))
        },
        Builtin("clone", [.net("net", "the net to copy")], doc: """
        An independent copy of the net: the same weights, biases, mask and iteration
        count, and a fresh optimizer. Train the copy without touching the original (the
        two children of a stability test start as clones).
        """) { a in
            .object(NetObject(try a.net().copy()))
        },
    ])] + layerBuiltins()
}

/// Wraps a new net as a value and announces its summary (at top level).
func announceNet(_ a: Args, _ net: Network) -> Value {
    let obj = NetObject(net)
    a.ctx.announce(obj.describe())
    return .object(obj)
}

extension Args {
    /// The items of a list argument as Ints: whole numbers within ±2^53.
    func wholeNumbers(_ name: String) throws -> [Int] {
        try list(name).items.map { item in
            guard case .number(let x) = item, x == x.rounded(), abs(x) <= 9_007_199_254_740_992 else {
                throw fail(name, "must hold whole numbers, got \(item.repr)")
            }
            return Int(x)
        }
    }
    func net(_ name: String = "net") throws -> Network { try object(name, as: NetObject.self).net }
    func dataset(_ name: String = "data") throws -> Dataset { try object(name, as: DatasetObject.self).data }
    /// A mask argument: a mask, or a net's current mask.
    func mask(_ name: String) throws -> Mask {
        let v = try value(name)
        if case .object(let o) = v {
            if let m = o as? MaskObject { return m.mask }
            if let n = o as? NetObject { return Mask(of: n.net) }
        }
        throw internalError("read '\(name)' as a mask")
    }
}
