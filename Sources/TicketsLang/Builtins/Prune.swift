import Foundation
import TicketsEngine

func pruneBuiltins() -> [Builtin] {
    [
        Builtin("prune", params: ["net", "rate", "scope", "rates", "apply"],
                signature: "prune(net, rate=0.2, scope=\"layer\", rates={}, apply=true)",
                doc: """
                Magnitude pruning: removes the fraction `rate` of the *remaining* weights with the
                smallest |w| (IMP's convention), and applies the new mask to the net (apply=false
                only returns it). scope="layer" ranks within each layer; rates={fc3: 0.1} gives a
                layer its own rate. scope="global" ranks all layers together (layers named in
                rates are still pruned within themselves). Biases are never pruned.
                Returns the mask.
                """) { a in
            let n = try a.net().net
            let rate = try a.number("rate", default: 0.2)
            guard rate >= 0, rate < 1 else { throw a.fail("rate", "must be in [0, 1), got \(formatNumber(rate))") }
            let scopeName = try a.string("scope", default: "layer")
            guard let scope = PruneScope(rawValue: scopeName) else {
                throw a.fail("scope", "must be \"layer\" or \"global\", got \(quoteString(scopeName))")
            }
            let rates = try a.layerFractions("rates", net: n, allowOne: false)
            let m = try a.engine { try Pruning.magnitude(n, rate: rate, scope: scope, rates: rates) }
            if try a.bool("apply", default: true) { try a.engine { try m.apply(to: n) } }
            a.ctx.announce(describeMask(m))
            return .object(MaskObject(m))
        },
        Builtin("apply", params: ["net", "mask"],
                doc: "Makes the net compute with the mask: pruned weights become exactly zero and stay zero through training.") { a in
            let n = try a.net().net
            let m = try a.mask("mask")
            try a.engine { try m.apply(to: n) }
            return .null
        },
        Builtin("density", params: ["x"],
                doc: """
                The fraction of weights kept, of a mask or of a net's current mask: a record with
                total and one field per layer (density(m).fc1). sparsity is 1 − density.
                """) { a in
            let m = try a.mask("x")
            return layerRecord(total: m.density, names: m.names, values: m.names.indices.map { m.density($0) },
                               line: formatPercent, head: { "\($0) kept" })
        },
        Builtin("random_mask", params: ["net", "density", "seed"], signature: "random_mask(net, density=0.5, seed=0)",
                doc: """
                A random mask (the random-pruning control): in each layer exactly round(d · size)
                weights kept, chosen uniformly. density is a number for every layer, a record
                with one field per layer (as density(m) returns), or a mask whose per-layer
                densities to copy. Does not change the net; apply(net, r) does.
                """) { a in
            let n = try a.net().net
            var densities: [String: Double] = [:]
            let names = n.linears.map(\.name)
            let d = a.has("density") ? try a.value("density") : .number(0.5)
            switch d {
            case .number(let x):
                guard x >= 0, x <= 1 else { throw a.fail("density", "must be in [0, 1], got \(formatNumber(x))") }
                for k in names { densities[k] = x }
            case .record:
                densities = try a.layerFractions("density", net: n, allowOne: true, ignoring: ["total"])
                if let missing = names.first(where: { densities[$0] == nil }) {
                    throw a.fail("density", "has no field for layer \(missing)")
                }
            case .object(let o as MaskObject):
                try a.engine { try o.mask.check(fits: n) }
                for (i, k) in o.mask.names.enumerated() { densities[k] = o.mask.density(i) }
            default:
                throw a.fail("density", "must be a number, a record of layer densities, or a mask, got \(describeBrief(d))")
            }
            let m = try a.engine { try Pruning.random(n, densities: densities, seed: a.seed()) }
            return .object(MaskObject(m))
        },
        Builtin("shuffle_mask", params: ["mask", "seed"], signature: "shuffle_mask(mask, seed=0)",
                doc: "The shuffled-mask control: each layer's kept positions permuted at random (same density per layer).") { a in
            .object(MaskObject(try a.mask("mask").shuffled(seed: a.seed())))
        },
        Builtin("overlap", params: ["a", "b", "metric"], signature: "overlap(a, b, metric=\"jaccard\")",
                doc: """
                How alike two masks are (of masks or nets), per layer and in total.
                metric: "jaccard" |A∩B|/|A∪B| of the kept sets, "dice" 2|A∩B|/(|A|+|B|),
                "hamming" the fraction of positions that differ. Returns a record with total and
                one field per layer, plus the counts both, only_a, only_b.
                """) { a in
            let x = try a.mask("a"), y = try a.mask("b")
            let metricName = try a.string("metric", default: "jaccard")
            guard let metric = OverlapMetric(rawValue: metricName) else {
                throw a.fail("metric", "must be one of \(OverlapMetric.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")), got \(quoteString(metricName))")
            }
            let (layers, total) = try a.engine { try Overlap.counts(x, y) }
            return layerRecord(total: total.value(metric), names: x.names, values: layers.map { $0.value(metric) },
                               extra: [("both", .int(total.both)), ("only_a", .int(total.onlyA)), ("only_b", .int(total.onlyB))],
                               line: { String(format: "%.3f", $0) }, head: { "\(metricName) \($0)" })
        },
    ]
}

func fileBuiltins() -> [Builtin] {
    [
        Builtin("table", params: ["columns", "formats"], signature: "table(columns, formats={})",
                doc: """
                A new, empty table with the given column names. formats={kept: "%", acc: "%.4f"}
                sets how a column prints ("%" shows fractions as percentages). Add rows with
                t.add({...}); read t.acc (a column), t[0] (a row), t.rows, t.last.
                """) { a in
            let v = try a.value("columns")
            guard case .list(let l) = v else { throw a.fail("columns", "must be a list of names, got \(describeBrief(v))") }
            let cols = try l.items.map { item -> String in
                guard case .string(let s) = item else { throw a.fail("columns", "must hold strings, got \(item.repr)") }
                return s
            }
            if let dup = cols.first(where: { c in cols.filter { $0 == c }.count > 1 }) {
                throw a.fail("columns", "name \(quoteString(dup)) twice")
            }
            var formats: [String: String] = [:]
            for (k, f) in try a.record("formats")?.fields ?? [] {
                guard case .string(let s) = f, s == "%" || isNumberFormat(s) else {
                    throw a.fail("formats", "\(k) must be \"%\" or a number format like \"%.4f\", got \(f.repr)")
                }
                formats[k] = s
            }
            return .object(Table(columns: cols, formats: formats))
        },
        Builtin("save", params: ["value", "path"],
                doc: "Writes a value to a file: a table to a .csv file (with a header row).") { a in
            let v = try a.value("value")
            let path = try a.string("path")
            guard case .object(let o) = v, let t = o as? Table else {
                throw a.fail("value", "cannot be saved yet: save writes tables (.csv); got \(describeBrief(v))")
            }
            guard path.lowercased().hasSuffix(".csv") else {
                throw a.fail("path", "must end in .csv for a table, got \(quoteString(path))")
            }
            try writeText(t.csv(), to: path, a)
            return .null
        },
    ]
}

/// Writes a file, or throws an I/O error naming the path and the system's reason.
func writeText(_ text: String, to path: String, _ a: Args) throws {
    let fail = { (why: String) in TicketsError(.io, "\(a.builtin.name): cannot write \(path) (\(why))", at: a.locs["path"] ?? a.callLoc) }
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue { throw fail("it is a folder") }
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty && !(FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) && isDir.boolValue) {
        throw fail("no such folder \(folder)")
    }
    guard let f = fopen(path, "w") else { throw fail(String(cString: strerror(errno)).lowercased()) }
    let bytes = Array(text.utf8)
    let written = fwrite(bytes, 1, bytes.count, f)
    let closed = fclose(f)
    guard written == bytes.count, closed == 0 else { throw fail("the disk may be full") }
}
