import TicketsEngine

func maskBuiltins() -> [BuiltinGroup] {
    [BuiltinGroup("Masks and pruning", [
        Builtin("prune", [
            .net("net", "the net whose weights are ranked"),
            Param("rate", .number(.unitOpen), default: .null, "the fraction of the remaining weights to remove (0.2 when neither density nor pattern is given)"),
            .any("density", what: "number, record, mask or net", default: .null,
                 "the fraction of all weights to keep, in (0, 1]: per layer, or over the net with scope=\"global\"; or per-layer densities as a record, a mask or a net"),
            .any("by", what: "criterion name or function", default: .string(PruneCriterion.magnitude.name),
                 "the criterion: \(PruneCriterion.all.map(\.name).joined(separator: ", ")); or a function fn(net, data) returning scores by layer (a record like params(net))"),
            Param("scope", .choice(PruneScope.allCases.map(\.rawValue)), default: .null,
                  "layer: rank within each layer; global: all layers together (default: global for \(englishList(PruneCriterion.all.filter { $0.paperScope == .global }.map(\.name))), as their papers rank; layer otherwise)"),
            .record("rates", what: "a record like {fc3: 0.1}", "a layer's own rate, e.g. {fc3: 0.1}"),
            .optionalString("pattern", "N:M, e.g. \"2:4\": at most N of every M consecutive weights along a row's inputs are kept"),
            .object("data", "dataset", what: "a data set (from dataset)", optional: true, "snip, grasp: the training examples the scores are computed on"),
            .optionalInt("batch", min: 1, max: 1 << 20, "snip: examples drawn (default 100); grasp: batch / classes of every class (default 10 of each)"),
            .optionalInt("rounds", min: 1, max: 10_000, "rounds of rescoring, each pruning part of the way (default: \(PruneCriterion.all.filter { $0.paperRounds > 1 }.map { "\($0.paperRounds) for \($0.name)" }.joined(separator: ", ")), 1 otherwise)"),
            .choice("norm", UnitNorm.self, .l1, "neuron, filter: the norm whole units are ranked by"),
            .number("temperature", 200, .positive, "grasp: the logits are divided by it before the loss (its code's T)"),
            .bool("apply", true, "apply the new mask to the net (false: only return it)"),
            Param("seed", .int(min: 0, max: nil), default: .null, "magnitude: break ties at random with this seed (default: by position); random: seeds the scores; snip, grasp: seeds the examples drawn (default 0)"),
        ], doc: """
        Prunes the net's weights by a criterion and applies the new mask. Returns the mask.
        How much: rate= removes that fraction of the *remaining* weights (IMP's step);
        density= keeps that fraction of all weights, as pruning at initialisation does
        (density=m copies a mask's per-layer densities); pattern="N:M" alone keeps exactly
        the best N of every M consecutive weights of each row (of a linear layer's inputs;
        of a filter's flattened in·kh·kw), and with rate or density caps every group at N.
        Weights already pruned stay pruned; biases are never pruned.
        \(criteriaHelp())
        Equal scores go by position. With rounds > 1 any criterion, one's own too, rescores
        the net under each round's mask (SynFlow's schedule).
        A criterion of your own is a function: by=fn(net, data) abs(params(net)) end gets
        the net (a working copy, under each round's mask) and data= (nil when not given)
        and returns scores by layer; the highest are kept, among the weights the net
        keeps now (scope is per layer unless said).
        """, validate: { a in
            _ = try a.pruneRequest()
        }) { a in
            let net = try a.net()
            let r = try a.pruneRequest()
            let m = try Pruning.prune(net, by: r.criterion, amount: r.amount, options: r.options, settings: r.settings)
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
        Builtin("regrow", [
            .net("net", "the net (in place)"),
            .dataset("data", "the loss gradient is taken on a batch of its training split"),
            .number("rate", 0.5, .unit, "the fraction of each layer's surviving weights removed by magnitude and regrown by gradient"),
            .int("batch", 60, min: 1, max: 1 << 20, "training examples the gradient is taken on"),
            .seed("seed", "seeds the batch drawn"),
            .optionalString("pattern", "N:M, e.g. \"2:4\": regrow only into groups that keep fewer than N"),
            .bool("apply", true, "apply the new mask (new connections start at zero); false: only return it"),
        ], doc: """
        Zero-cost neuroregeneration (Liu et al., "Sparse Training via Boosting Pruning
        Plasticity with Neuroregeneration", NeurIPS 2021, GraNet): in every layer removes
        ⌈rate·n⌉ of its n surviving weights by magnitude and regrows as many where the
        dense net's gradient is largest (on one training batch, training mode), so every
        layer keeps its density while the mask moves. New connections start at zero; a
        weight removed and regrown at once keeps its value, as in GraNet's code (so a
        dense layer is left as it is). Returns the mask. gmp(..., regrow=true) calls it
        after every pruning step.
        """) { a in
            let net = try a.net()
            var pattern: NMPattern? = nil
            if let p = try a.optionalString("pattern") {
                do { pattern = try NMPattern(parsing: p) } catch let e as EngineError { throw a.fail("pattern", String(e.message.dropFirst("pattern ".count))) }
            }
            let g = try Pruning.regenerate(net, data: try a.dataset(), rate: try a.number("rate"), batch: try a.int("batch"),
                                           seed: try a.seed(), pattern: pattern, apply: try a.bool("apply"))
            a.ctx.announce(describeMask(g.mask) + "  (\(g.regrown.reduce(0, +)) new connections)")
            return .object(MaskObject(g.mask))
        },
    ])]
}

/// What a prune call asks for, read from its arguments.
struct PruneRequest {
    /// A built-in criterion, or one written in the language (fn(net, data) returning
    /// scores), on one path.
    var criterion: PruneCriterion
    var amount: PruneAmount
    var options: PruneOptions
    var settings: CriterionSettings
}

/// help(prune)'s list of the criteria, from their descriptors: the name, then its
/// help wrapped under it.
func criteriaHelp() -> String {
    let width = 80 - 19
    return PruneCriterion.all.map { c -> String in
        var lines: [String] = [], line = ""
        for word in c.help.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        let first = "  " + c.name.padding(toLength: 11, withPad: " ", startingAt: 0) + (lines.first ?? "")
        return ([first] + lines.dropFirst().map { String(repeating: " ", count: 13) + $0 }).joined(separator: "\n")
    }.joined(separator: "\n")
}

extension Args {
    /// The engine's request for a prune call, every argument checked (also by
    /// check_args, which imp calls before it trains).
    func pruneRequest() throws -> PruneRequest {
        let net = try net()
        let criterion: PruneCriterion
        switch try value("by") {
        case .string(let s):
            guard let c = PruneCriterion.named(s) else {
                throw fail("by", "must be \(Param.choiceList(PruneCriterion.all.map(\.name))), got \(quoteString(s))")
            }
            criterion = c
        case .function, .builtin:
            // The function gets the net it scores (a working copy under each round's
            // mask) and data= (nil when not given), and returns scores by layer.
            let f = try value("by"), data = try value("data"), ctx = ctx
            criterion = .user("by", score: { n in
                let scored = try ctx.call(f, [.object(NetObject(n)), data])
                return try Pruning.scoreKeys(try scores(for: n, from: scored), layout: PruneLayout(n))
            })
        case let v:
            throw fail("by", "must be a criterion's name or a function fn(net, data), got \(describeBrief(v))")
        }
        guard !(has("rate") && has("density")) else { throw fail("give rate or density, not both") }
        var options = PruneOptions()
        options.scope = has("scope") ? try choice("scope", PruneScope.self) : criterion.paperScope
        options.rates = try layerFractions("rates")
        if let p = try optionalString("pattern") {
            do { options.pattern = try NMPattern(parsing: p) } catch let e as EngineError { throw fail("pattern", String(e.message.dropFirst("pattern ".count))) }
        }
        if criterion.seedBreaksTies { options.tieSeed = try optionalInt("seed").map(UInt64.init) }
        let amount: PruneAmount
        if has("density") {
            if case .number(let d) = try value("density") {
                guard d > 0, d <= 1 else { throw fail("density", "must be in (0, 1], got \(formatNumber(d))") }
                amount = .density(d)
            } else {
                amount = .densities(try layerDensities("density", net: net))
            }
        } else if has("rate") {
            amount = .rate(try number("rate"))
        } else {
            amount = options.pattern == nil ? .rate(0.2) : .patternOnly
        }
        var settings = CriterionSettings()
        settings.data = has("data") ? try dataset("data") : nil
        settings.batch = try optionalInt("batch")
        settings.rounds = try optionalInt("rounds")
        settings.norm = try choice("norm", UnitNorm.self)
        settings.temperature = try number("temperature")
        settings.seed = UInt64(try optionalInt("seed") ?? 0)
        try Pruning.check(criterion, amount: amount, options: options, settings: settings, net: net)
        return PruneRequest(criterion: criterion, amount: amount, options: options, settings: settings)
    }

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

/// "a, b and c"
func englishList(_ items: [String]) -> String {
    items.count < 2 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
}
