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
