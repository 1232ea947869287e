import Foundation
import TicketsEngine

func statisticsBuiltins() -> [BuiltinGroup] {
    [BuiltinGroup("Statistics", [
        Builtin("overlap", [
            .mask("a", "a mask or a net"),
            .mask("b", "a mask or a net"),
            .choice("metric", OverlapMetric.self, .jaccard, "jaccard |A∩B|/|A∪B|, dice 2|A∩B|/(|A|+|B|), hamming: the fraction of positions that differ"),
        ], doc: """
        How alike two masks are (of masks or nets), per layer and in total, over the kept
        sets. Returns a record with total and one field per layer, plus the counts both,
        only_a, only_b.
        """) { a in
            let x = try a.mask("a"), y = try a.mask("b")
            let metric = try a.choice("metric", OverlapMetric.self)
            let (layers, total) = try Overlap.counts(x, y)
            return layerRecord(total: total.value(metric), names: x.names, values: layers.map { $0.value(metric) },
                               extra: [("both", .int(total.both)), ("only_a", .int(total.onlyA)), ("only_b", .int(total.onlyB))],
                               line: { String(format: "%.3f", $0) }, head: { "\(metric.rawValue) \($0)" })
        },
        Builtin("distance", [.net("a", "a net"), .net("b", "a net of the same architecture")], doc: """
        How far apart two nets are (Frankle et al. 2019, "Stabilizing the LTH"): a record
        with l2 = ‖a − b‖, relative = ‖a − b‖ / ‖a‖ and cosine = a·b / (‖a‖‖b‖) over all
        weights and biases, and the same per layer (d.fc1.relative).
        """) { a in
            let d = try NetDistance.between(try a.net("a"), try a.net("b"))
            func part(_ p: NetDistance.Part) -> Value {
                .record([("l2", .number(p.l2)), ("relative", .number(p.relative)), ("cosine", .number(p.cosine))])
            }
            let fields: [(String, Value)] = [("l2", .number(d.total.l2)), ("relative", .number(d.total.relative)),
                                             ("cosine", .number(d.total.cosine))] + d.layers.map { ($0.name, part($0.part)) }
            let names = d.layers.map(\.name)
            return .record(RecordRef(fields, style: { r, _ in
                func num(_ v: Value?) -> String {
                    if case .number(let x)? = v { return String(format: "%.4g", x) }
                    return "nil"
                }
                func rel(_ n: String) -> String {
                    if case .record(let l)? = r[n] { return "\(n) \(num(l["relative"]))" }
                    return n
                }
                return "l2 \(num(r["l2"]))  relative \(num(r["relative"]))  cosine \(num(r["cosine"]))  (relative: \(names.map(rel).joined(separator: " · ")))"
            }))
        },
    ]),
    BuiltinGroup("Stability", [
        Builtin("interpolate", [
            .net("a", "the net at alpha = 1"),
            .net("b", "the net at alpha = 0, of the same architecture"),
            .number("alpha", in: .unit, "where on the line from b to a"),
        ], doc: """
        A new net with alpha·a + (1 − alpha)·b for every weight, bias and buffer
        (Frankle et al., "Linear mode connectivity and the LTH", ICML 2020). A pair that
        shares its mask keeps it; otherwise the result is dense. alpha = 1 gives a and
        alpha = 0 gives b exactly.
        """) { a in
            .object(NetObject(try Interpolation.interpolate(try a.net("a"), try a.net("b"), alpha: try a.number("alpha"))))
        },
        Builtin("lmc", [
            .net("a", "a net (alpha = 1)"),
            .net("b", "a net of the same architecture (alpha = 0)"),
            .dataset("data", "the data set"),
            .int("steps", 30, min: 2, "evenly spaced alphas in [0, 1], end points included (the paper: 30)"),
            .choice("split", Trainer.SplitName.self, .test, "the split the error is measured on"),
        ], doc: """
        Linear mode connectivity (Frankle, Dziugaite, Roy & Carbin, ICML 2020, §2): the
        error of alpha·a + (1 − alpha)·b along the line between two nets. Returns a
        record: barrier (the paper's instability: the largest error on the line minus
        the mean of the end points' errors; the paper calls a pair stable when it is
        under 0.02), barrier_linear (the largest error above the straight line between
        the end points' errors), curve (a table: alpha, error, loss), error_a and
        error_b. The paper's barrier is never below |error_a − error_b| / 2, however
        straight the line between them; barrier_linear is 0 then. lmc(a, a,
        data).barrier is 0.
        """) { a in
            let ctx = a.ctx
            func curveTable(_ c: ConnectivityCurve) -> Table {
                let t = Table(columns: ["alpha", "error", "loss"], formats: ["alpha": "%.3f", "error": "%.4f", "loss": "%.4f"])
                for i in c.alphas.indices {
                    t.appendRow([("alpha", .number(c.alphas[i])), ("error", .number(c.errors[i])), ("loss", .number(c.losses[i]))])
                }
                return t
            }
            let c: ConnectivityCurve
            do {
                c = try Interpolation.curve(try a.net("a"), try a.net("b"), on: try a.dataset(), split: try a.choice("split", Trainer.SplitName.self),
                                            steps: try a.int("steps"), shouldStop: { ctx.interrupted })
            } catch let stop as Interrupted<ConnectivityCurve> {
                let n = stop.partial.alphas.count
                ctx.interruptedWith(.object(curveTable(stop.partial)), "the curve's \(n) finished point\(n == 1 ? "" : "s")")
                throw a.fail(stop.message)
            }
            let t = curveTable(c)
            let worst = c.errors.indices.max { c.errors[$0] < c.errors[$1] } ?? 0
            return .record(RecordRef([("barrier", .number(c.barrier)), ("barrier_linear", .number(c.barrierLinear)), ("curve", .object(t)),
                                      ("error_a", .number(c.errorA)), ("error_b", .number(c.errorB))], style: { r, _ in
                func f(_ k: String) -> String {
                    if case .number(let x)? = r[k] { return String(format: "%.4f", x) }
                    return "nil"
                }
                return "barrier \(f("barrier"))  (error a \(f("error_a")) · b \(f("error_b")) · highest \(String(format: "%.4f", c.errors[worst])) at alpha \(String(format: "%.2f", c.alphas[worst])))"
            }))
        },
    ])]
}

/// A record with `total` and one field per layer, printed on one line:
/// "80.04% kept  (fc1 80.00% · ...)" or "jaccard 0.667  (fc1 0.667 · ...)".
func layerRecord(total: Double, names: [String], values: [Double], extra: [(String, Value)] = [],
                 line: @escaping (Double) -> String, head: @escaping (String) -> String) -> Value {
    let fields = [("total", Value.number(total))] + zip(names, values.map { Value.number($0) }) + extra
    return .record(RecordRef(fields, style: { r, state in
        let per = names.map { n -> String in
            if case .number(let x)? = r[n] { return "\(n) \(line(x))" }
            return "\(n) \(r[n]?.repr(state) ?? "nil")"
        }.joined(separator: " · ")
        let t: String
        if case .number(let x)? = r["total"] { t = line(x) } else { t = r["total"]?.repr(state) ?? "nil" }
        return "\(head(t))  (\(per))"
    }))
}
