import Foundation
import TicketsEngine

/// Masks as objects of study: how masks from several criteria or runs agree, searched
/// masks on frozen weights, and signatures in a mask.
func maskStudyBuiltins() -> [BuiltinGroup] {
    let j = JackpotConfig()
    return [BuiltinGroup("Masks as objects of study", [
        Builtin("overlap_matrix", [
            .any("masks", what: "list or record of masks", "the masks (or nets): a list, or a record whose field names label them"),
            .list("names", what: "a list of strings", "labels for a list of masks (default m1, m2, ...)").optional,
            .choice("metric", OverlapMetric.self, .jaccard, "jaccard, dice or hamming, over the whole net"),
        ], doc: """
        Every pair's overlap (over all layers) as a table: a column `mask` with the labels,
        then one column per mask, ready for a heat map:
          overlap_matrix({magnitude: m1, snip: m2, synflow: m3})
        The diagonal is 1 for jaccard and dice, 0 for hamming.
        """) { a in
            let (labels, masks) = try a.labelledMasks("masks")
            let metric = try a.choice("metric", OverlapMetric.self)
            let m = try Overlap.matrix(masks, metric: metric)
            var formats: [String: String] = [:]
            for l in labels { formats[l] = "%.3f" }
            let t = Table(columns: ["mask"] + labels, formats: formats)
            for (i, l) in labels.enumerated() {
                t.appendRow([("mask", .string(l))] + labels.indices.map { (labels[$0], Value.number(m[i][$0])) })
            }
            return .object(t)
        },
        Builtin("magnitude_overlap", [
            .mask("mask", "the mask to compare (or a net's mask)"),
            .net("net", "the net whose weights magnitude pruning ranks"),
            .choice("metric", OverlapMetric.self, .jaccard, "jaccard, dice or hamming"),
        ], doc: """
        The overlap of a mask with the one magnitude pruning would choose on the same net
        at the same density in every layer (ranking all of each layer's weights): the
        Lottery Jackpots observation (Zhang et al. 2021, §4) that masks of many criteria
        agree with magnitude most. Returns overlap's record, with `magnitude`, that mask.
        """) { a in
            let metric = try a.choice("metric", OverlapMetric.self)
            let r = try Overlap.withMagnitude(try a.mask("mask"), net: try a.net())
            return layerRecord(total: r.total.value(metric), names: r.magnitude.names, values: r.layers.map { $0.value(metric) },
                               extra: [("both", .int(r.total.both)), ("only_a", .int(r.total.onlyA)), ("only_b", .int(r.total.onlyB)),
                                       ("magnitude", .object(MaskObject(r.magnitude)))],
                               line: { String(format: "%.3f", $0) }, head: { "\(metric.rawValue) with magnitude \($0)" })
        },
        Builtin("mask_stability", [
            .list("masks", what: "a list of masks", "masks (or nets) of one architecture: from several seeds, or IMP's levels in order"),
            .choice("metric", OverlapMetric.self, .jaccard, "jaccard, dice or hamming"),
        ], doc: """
        How stable a ticket's mask is across seeds or levels: the mean overlap over all
        pairs (total and per layer), min and max (the least and most alike pair),
        consecutive (each mask against the next, for levels in order), core (the weights
        every mask keeps over those any mask keeps) and pairs.
        """) { a in
            let masks = try a.list("masks").items.enumerated().map { try a.maskValue($1, "masks", index: $0) }
            let metric = try a.choice("metric", OverlapMetric.self)
            let s = try MaskStability.of(masks, metric: metric)
            let f = { (x: Double) in String(format: "%.3f", x) }
            return layerRecord(total: s.total, names: masks[0].names, values: s.layers,
                               extra: [("min", .number(s.min)), ("max", .number(s.max)),
                                       ("consecutive", .list(s.consecutive.map { .number($0) })),
                                       ("core", .number(s.core)), ("pairs", .int(s.pairs))],
                               line: f, head: { "\(metric.rawValue) \($0) mean of \(s.pairs) pair\(s.pairs == 1 ? "" : "s"), min \(f(s.min)), core \(f(s.core))" })
        },
        Builtin("jackpot", [
            .net("net", "the trained net whose weights stay frozen"),
            .dataset("data", "its training split drives the search"),
            .any("density", what: "number, record, mask or net", default: .number(0.1), "the fraction of weights kept in every layer, or per-layer densities (a record, a mask or a net)"),
            .int("epochs", j.epochs, min: 1, "passes over the training split"),
            .optionalInt("steps", min: 1, "iterations in all (then epochs is not used)"),
            .number("lr", j.lr, .positive, "the scores' learning rate (a cosine to 0 over the search)"),
            .number("momentum", j.momentum, .unitOpen, "the scores' SGD momentum"),
            .number("weight_decay", j.weightDecay, .nonNegative, "weight decay on the scores"),
            .int("batch", j.batch, min: 1, max: 1 << 20, "examples per step"),
            .bool("restrict", j.restrict, "the short restriction: a step swaps at most ⌈(1 − t/T)⁴·c⌉ of its c candidate pairs; false: plain edge-popup top-k"),
            .seed("seed", "seeds the data order"),
            .bool("apply", true, "apply the mask found to the net"),
            .bool("quiet", false, "no progress line"),
        ], doc: """
        Searches a mask on frozen weights (Zhang et al., "Lottery Jackpots Exist in
        Pre-trained Models", 2021; zyxxmu/lottery-jackpots): one score per weight, the
        forward pass with w ⊙ 1[s in the top k of its layer], the gradient straight
        through to the scores (∂L/∂s = ∂L/∂(w⊙m)·w, edge-popup), SGD with momentum on the
        scores. The scores start from the magnitude mask at the same densities (1 kept,
        0.99 pruned, as the authors'), and the mask changes by swaps toward the top k
        (their final_pop_up), limited by the short restriction. The weights and biases
        never change; batch norm's running statistics follow the masked net as in their
        search. Returns {mask, start (the magnitude mask), overlap (jaccard of the two),
        history (a table: epoch, loss, changed)}.
        """) { a in
            let net = try a.net(), data = try a.dataset()
            var cfg = JackpotConfig()
            cfg.epochs = try a.int("epochs"); cfg.steps = try a.optionalInt("steps")
            cfg.lr = try a.number("lr"); cfg.momentum = try a.number("momentum"); cfg.weightDecay = try a.number("weight_decay")
            cfg.batch = try a.int("batch"); cfg.restrict = try a.bool("restrict"); cfg.seed = try a.seed()
            let densities: [String: Double]
            if case .number(let d) = try a.value("density") {
                guard d > 0, d <= 1 else { throw a.fail("density", "must be in (0, 1], got \(formatNumber(d))") }
                densities = Dictionary(uniqueKeysWithValues: net.prunableNames.map { ($0, d) })
            } else {
                densities = try a.layerDensities("density", net: net)
            }
            let ctx = a.ctx
            func record(_ r: JackpotResult, partial: Bool) throws -> (Value, Double) {
                let t = Table(columns: ["epoch", "loss", "changed"], formats: ["loss": "%.4f"])
                for h in r.history { t.appendRow([("epoch", .int(h.epoch)), ("loss", .number(h.loss)), ("changed", .int(h.swaps))]) }
                let o = try Overlap.counts(r.mask, r.start).total.value(.jaccard)
                return (.record([("mask", .object(MaskObject(r.mask))), ("start", .object(MaskObject(r.start))),
                                 ("overlap", .number(o)), ("history", .object(t))] + (partial ? [("partial", .bool(true))] : [])), o)
            }
            let r: JackpotResult
            do {
                r = try Pruning.jackpot(net, data: data, densities: densities, config: cfg, shouldStop: { ctx.interrupted })
            } catch let stop as Interrupted<JackpotResult> {
                // The mask as the search left it (not applied), with its finished epochs.
                let n = stop.partial.history.count
                ctx.interruptedWith(try record(stop.partial, partial: true).0,
                                    "the search's mask so far and its \(n) finished epoch\(n == 1 ? "" : "s") (partial: true)")
                throw a.fail(stop.message)
            }
            if try a.bool("apply") { try r.mask.apply(to: net) }
            let (result, o) = try record(r, partial: false)
            if !(try a.bool("quiet")) {
                ctx.announce(describeMask(r.mask) + String(format: "  (jaccard with magnitude %.3f, loss %.4f)", o, r.history.last?.loss ?? .nan))
            }
            return result
        },
        Builtin("sign", [
            .mask("mask", "the ticket's mask (or a net's)"),
            .any("key", what: "whole number or string", "the owner's secret: it chooses the signature's weights"),
            .int("bits", 1024, min: 1, max: 1 << 20, "the signature's length: weights the key chooses (an unsigned mask of density d carries it with chance about (1 − d)^bits)"),
            Param("net", .object(typeName: "net", what: "a net (made by mlp)"), default: .null, "the ticket's weights: the weights given back to keep each layer's density are then the largest"),
        ], doc: """
        Embeds an ownership signature in a ticket's sparse topology (after Chen et al.,
        "You are caught stealing my winning lottery ticket!", NeurIPS 2021; VITA-Group/
        NO-stealing-LTH): the key chooses `bits` weights over all layers and signing
        prunes them (a mask of density d already prunes most), each layer taking back as
        many weights elsewhere, so every density is exactly kept and about 2·d·bits
        entries change. The signature is made of zeros only because fine-tuning and
        further pruning never revive a weight: the paper's QR code also writes ones, and
        a one written where the ticket had pruned is a small weight the next magnitude
        pruning removes. Returns the signed mask (apply it with apply(net, m)); verify(m,
        key) reads it back.
        """) { a in
            let m = try Ownership.sign(try a.mask("mask"), key: try a.key(), bits: try a.int("bits"),
                                       weights: a.has("net") ? try a.net() : nil)
            return .object(MaskObject(m))
        },
        Builtin("verify", [
            .mask("mask", "the mask to check (or a net's)"),
            .any("key", what: "whole number or string", "the key it was signed with"),
            .int("bits", 1024, min: 1, max: 1 << 20, "the signature's length (as signed)"),
            .number("alpha", 1e-6, Bounds(lower: 0, lowerOpen: true, upper: 1, upperOpen: true), "verified when an unsigned mask would carry the signature with a chance no larger than this"),
            .int("trials", 100, min: 0, max: 100_000, "unsigned masks (random, the same per-layer densities) read to measure the false positives"),
            .seed("seed", "seeds those unsigned masks"),
        ], doc: """
        Reads a key's signature from a mask (see sign): score is the fraction of the key's
        weights the mask prunes (1 when signed; about 1 − d for a mask of density d not
        signed with this key), p_value the chance that an unsigned mask prunes as many
        (each of the key's weights pruned with its layer's sparsity), verified is
        p_value ≤ alpha. false_positive is the fraction of `trials` random masks of the
        same densities that pass; expected_false_positive is the exact chance; needed is
        the count they must reach; null_mean and null_max summarise their scores.
        """) { a in
            let v = try Ownership.verify(try a.mask("mask"), key: try a.key(), bits: try a.int("bits"),
                                         alpha: try a.number("alpha"), trials: try a.int("trials"), seed: try a.seed())
            let nullScores = v.nullMatched.map { Double($0) / Double(v.bits) }
            let nullMean = nullScores.isEmpty ? Double.nan : nullScores.reduce(0, +) / Double(nullScores.count)
            let fields: [(String, Value)] = [
                ("verified", .bool(v.verified)), ("score", .number(v.score)), ("matched", .int(v.matched)), ("bits", .int(v.bits)),
                ("p_value", .number(v.pValue)), ("alpha", .number(v.alpha)), ("needed", .int(v.needed)),
                ("false_positive", .number(v.falsePositive)), ("expected_false_positive", .number(v.expectedFalsePositive)),
                ("null_mean", .number(nullMean)), ("null_max", .number(nullScores.max() ?? .nan)),
            ]
            return .record(RecordRef(fields, style: { _, _ in
                String(format: "%@ score %.3f (%d of %d bits, p %.2g)  false positives %@ of %d unsigned masks (expected %.2g)",
                       v.verified ? "verified" : "not verified", v.score, v.matched, v.bits, v.pValue,
                       v.nullMatched.isEmpty ? "-" : String(format: "%.3f", v.falsePositive), v.nullMatched.count,
                       v.expectedFalsePositive)
            }))
        },
    ])]
}

extension Param {
    /// The same declaration with a nil default (an optional argument).
    var optional: Param { Param(name, kind, default: .null, doc) }
}

extension Args {
    /// A signing key: a whole number, or a string hashed to one.
    func key(_ name: String = "key") throws -> UInt64 {
        switch try value(name) {
        case .number(let x) where x >= 0 && x == x.rounded() && x <= 9_007_199_254_740_992: return UInt64(x)
        case .string(let s) where !s.isEmpty: return Ownership.seed(fromText: s)
        case let v: throw fail(name, "must be a whole number ≥ 0 or a non-empty string, got \(describeBrief(v))")
        }
    }

    /// An item of a list argument as a mask (a mask, or a net's mask).
    func maskValue(_ v: Value, _ name: String, index: Int) throws -> Mask {
        if case .object(let o) = v {
            if let m = o as? MaskObject { return m.mask }
            if let n = o as? NetObject { return Mask(of: n.net) }
        }
        throw fail(name, "must hold masks or nets, got \(describeBrief(v)) at \(index)")
    }

    /// Masks with labels: a record's fields, or a list labelled by `names` (m1, m2, ...).
    func labelledMasks(_ name: String) throws -> (labels: [String], masks: [Mask]) {
        switch try value(name) {
        case .record(let r):
            guard r.fields.count >= 1 else { throw fail(name, "is empty") }
            guard !has("names") else { throw fail("names", "labels a list; a record's fields are its labels") }
            return (r.fields.map(\.0), try r.fields.enumerated().map { try maskValue($1.1, name, index: $0) })
        case .list(let l):
            guard l.items.count >= 1 else { throw fail(name, "is empty") }
            let masks = try l.items.enumerated().map { try maskValue($1, name, index: $0) }
            var labels = masks.indices.map { "m\($0 + 1)" }
            if has("names") {
                let n = try list("names").items
                guard n.count == masks.count else { throw fail("names", "has \(n.count) labels for \(masks.count) masks") }
                labels = try n.map { v in
                    guard case .string(let s) = v else { throw fail("names", "must hold strings, got \(describeBrief(v))") }
                    return s
                }
            }
            return (labels, masks)
        case let v:
            throw fail(name, "must be a list or a record of masks, got \(describeBrief(v))")
        }
    }
}
