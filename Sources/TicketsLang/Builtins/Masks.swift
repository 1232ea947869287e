import TicketsEngine

func maskBuiltins() -> [BuiltinGroup] {
    [BuiltinGroup("Masks and pruning", [
        Builtin("prune", [
            .net("net", "the net whose weights are ranked"),
            .number("rate", 0.2, .unitOpen, "the fraction of the remaining weights to remove"),
            .choice("scope", PruneScope.self, .layer, "layer: rank within each layer; global: all layers together"),
            .record("rates", what: "a record like {fc3: 0.1}", "a layer's own rate, e.g. {fc3: 0.1}"),
            .bool("apply", true, "apply the new mask to the net (false: only return it)"),
            Param("seed", .int(min: 0, max: nil), default: .null, "break ties between equal magnitudes at random with this seed (default: by position)"),
        ], doc: """
        Magnitude pruning (Han et al. 2015; IMP's step in Frankle & Carbin 2019, §2):
        removes the fraction `rate` of the *remaining* weights with the smallest |w| and
        applies the new mask. scope="global" ranks all layers together (layers named in
        rates are still pruned within themselves). Biases are never pruned. Ties are
        broken by position. Returns the mask.
        """, validate: { a in
            try Pruning.checkRates(rate: a.number("rate"), rates: a.layerFractions("rates"), net: a.net())
        }) { a in
            let net = try a.net()
            let m = try Pruning.magnitude(net, rate: try a.number("rate"), scope: try a.choice("scope", PruneScope.self),
                                          rates: try a.layerFractions("rates"), tieSeed: try a.optionalInt("seed").map(UInt64.init))
            if try a.bool("apply") { try m.apply(to: net) }
            a.ctx.announce(describeMask(m))
            return .object(MaskObject(m))
        },
        Builtin("apply", [.net("net", "the net"), .mask("mask", "the mask (or a net whose mask to copy)")],
                doc: "Makes the net compute with the mask: pruned weights become exactly zero and stay zero through training.") { a in
            try a.mask("mask").apply(to: try a.net())
            return .null
        },
        Builtin("density", [.mask("x", "a mask, or a net (its current mask)")], doc: """
        The fraction of weights kept, of a mask or of a net's current mask: a record with
        total and one field per layer (density(m).fc1). sparsity is 1 − density.
        """) { a in
            let m = try a.mask("x")
            return layerRecord(total: m.density, names: m.names, values: m.names.indices.map { m.density($0) },
                               line: formatPercent, head: { "\($0) kept" })
        },
        Builtin("random_mask", [
            .net("net", "the net the mask is for"),
            .any("density", what: "number, record, mask or net", default: .number(0.5),
                 "one density for every layer, a record of per-layer densities, or a mask (or a net's mask) to copy them from"),
            .seed("seed", "seeds the choice (layer i uses stream i)"),
        ], doc: """
        A random mask (the random-pruning control): in each layer exactly round(d · size)
        weights kept, chosen uniformly. Does not change the net; apply(net, r) does.
        """, validate: { a in _ = try a.layerDensities("density", net: a.net()) }) { a in
            let net = try a.net()
            let m = try Pruning.random(net, densities: try a.layerDensities("density", net: net), seed: try a.seed())
            return .object(MaskObject(m))
        },
        Builtin("shuffle_mask", [.mask("mask", "the mask to shuffle"), .seed("seed", "seeds the permutation (layer i uses stream i)")],
                doc: "The shuffled-mask control: each layer's kept positions permuted at random (same density per layer).") { a in
            .object(MaskObject(try a.mask("mask").shuffled(seed: try a.seed())))
        },
    ])]
}

extension Args {
    /// A record of numbers by layer name, `{fc3: 0.1}`, as a dictionary (empty when the
    /// argument was left out). `ignoring` names fields that are not layers (`total`).
    func layerFractions(_ name: String, ignoring: Set<String> = []) throws -> [String: Double] {
        guard let r = try record(name) else { return [:] }
        var out: [String: Double] = [:]
        for (k, v) in r.fields where !ignoring.contains(k) {
            guard case .number(let x) = v else { throw fail(name, "must map layer names to numbers, got \(k): \(describeBrief(v))") }
            out[k] = x
        }
        return out
    }

    /// Per-layer densities from a number (every layer), a record like density(m)
    /// returns, or a mask (its densities).
    func layerDensities(_ name: String, net: Network) throws -> [String: Double] {
        let names = net.prunableNames
        switch try value(name) {
        case .number(let x):
            guard x >= 0, x <= 1 else { throw fail(name, "must be in [0, 1], got \(formatNumber(x))") }
            return Dictionary(uniqueKeysWithValues: names.map { ($0, x) })
        case .record:
            let d = try layerFractions(name, ignoring: ["total"])
            for (k, x) in d.sorted(by: { $0.key < $1.key }) {
                guard net.prunableWeight(k) != nil else {
                    throw fail(name, "names a layer '\(k)' the net does not have (it has \(names.joined(separator: ", ")))")
                }
                guard x >= 0, x <= 1 else { throw fail(name, "\(k) must be in [0, 1], got \(formatNumber(x))") }
            }
            if let missing = names.first(where: { d[$0] == nil }) { throw fail(name, "has no field for layer \(missing)") }
            return d
        case .object(let o as MaskObject):
            try o.mask.check(fits: net)
            return o.mask.densities
        case .object(let o as NetObject):
            let m = Mask(of: o.net)
            try m.check(fits: net)
            return m.densities
        case let v:
            throw fail(name, "must be a number, a record of layer densities, a mask or a net, got \(describeBrief(v))")
        }
    }
}
