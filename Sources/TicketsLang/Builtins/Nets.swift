import TicketsEngine

func netBuiltins() -> [BuiltinGroup] {
    [BuiltinGroup("Data and nets", [
        Builtin("mlp", [
            .list("sizes", what: "a list of layer sizes like [784, 300, 100, 10]", "layer sizes from input to output"),
            .choice("init", Initializer.self, .glorot, "glorot (normal, the LTH paper's), kaiming (normal) or torch (PyTorch's uniform)"),
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
        ], doc: """
        Draws the net's weights and biases afresh from its initialiser and keeps its
        current mask: the random re-initialisation control of the LTH paper (Frankle &
        Carbin 2019, §2). The draws come from streams no initialisation uses, so even
        reinit(net, seed=net.seed) differs from the net's original weights; without a
        seed each re-draw is new and depends on the net's seed. Resets net.step and the
        optimizer. Returns the seed used.
        """) { a in
            let s = try a.net().redraw(seed: try a.optionalInt("seed").map(UInt64.init))
            return .int(Int(s))
        },
        Builtin("clone", [.net("net", "the net to copy")], doc: """
        An independent copy of the net: the same weights, biases, mask and iteration
        count, and a fresh optimizer. Train the copy without touching the original (the
        two children of a stability test start as clones).
        """) { a in
            .object(NetObject(try a.net().copy()))
        },
    ])]
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
