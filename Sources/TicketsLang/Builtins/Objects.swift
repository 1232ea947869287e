import Foundation
import TicketsEngine

/// 266610 → "266,610"
func grouped(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, ch) in s.enumerated() {
        if i > 0 && (s.count - i) % 3 == 0 && ch != "-" { out += "," }
        out.append(ch)
    }
    return out
}

/// A net seen from the language.
final class NetObject: TicketsObject {
    let net: Network
    let sizes: [Int]
    init(_ net: Network, sizes: [Int]) { self.net = net; self.sizes = sizes }

    var typeName: String { "net" }

    func describe() -> String {
        let layers = net.linears.map { "\($0.name) \(grouped($0.weight.count))" }.joined(separator: " · ")
        var s = "mlp \(sizes.map(String.init).joined(separator: "-"))  \(grouped(net.parameterCount)) parameters  (\(layers) weights)"
        if net.linears.contains(where: { $0.mask != nil }) {
            s += "\n" + describeMask(Mask(of: net))
        }
        return s
    }

    var memberNames: [String] { ["layers", "sizes", "parameters", "weights", "step", "init", "seed", "mask"] }

    func member(_ name: String) -> Value? {
        switch name {
        case "layers": return .list(net.linears.map { .string($0.name) })
        case "sizes": return .list(sizes.map { .int($0) })
        case "parameters": return .int(net.parameterCount)
        case "weights": return .int(net.weightCount)
        case "step": return .int(net.step)
        case "init": return .string(net.initializer.rawValue)
        case "seed": return .int(Int(net.seed))
        case "mask": return .object(MaskObject(Mask(of: net)))
        default: return nil
        }
    }
}

/// "mask  80.04% kept  (fc1 80.00% · fc2 80.00% · fc3 90.00%)"
func describeMask(_ m: Mask) -> String {
    let layers = m.names.indices.map { "\(m.names[$0]) \(formatPercent(m.density($0)))" }.joined(separator: " · ")
    return "mask  \(formatPercent(m.density)) kept  (\(layers))"
}

final class MaskObject: TicketsObject {
    let mask: Mask
    init(_ mask: Mask) { self.mask = mask }
    var typeName: String { "mask" }
    func describe() -> String { describeMask(mask) }
    var memberNames: [String] { ["density", "kept", "size", "layers"] + mask.names }
    func member(_ name: String) -> Value? {
        switch name {
        case "density": return .number(mask.density)
        case "kept": return .int(mask.keptTotal)
        case "size": return .int(mask.sizeTotal)
        case "layers": return .list(mask.names.map { .string($0) })
        default:
            return mask.names.firstIndex(of: name).map { .number(mask.density($0)) }
        }
    }
}

final class SnapshotObject: TicketsObject {
    let snapshot: Snapshot
    init(_ s: Snapshot) { snapshot = s }
    var typeName: String { "snapshot" }
    func describe() -> String {
        "snapshot of \(snapshot.names.joined(separator: ", ")) at step \(snapshot.step)"
    }
    var memberNames: [String] { ["step", "layers"] }
    func member(_ name: String) -> Value? {
        switch name {
        case "step": return .int(snapshot.step)
        case "layers": return .list(snapshot.names.map { .string($0) })
        default: return nil
        }
    }
}

final class DatasetObject: TicketsObject {
    let data: Dataset
    init(_ d: Dataset) { data = d }
    var typeName: String { "dataset" }
    func describe() -> String {
        "\(data.name)  train \(data.trainX.rows) × \(data.features)  test \(data.testX.rows) × \(data.features)  \(data.classes) classes  (from \(data.source))"
    }
    var memberNames: [String] { ["name", "train", "test", "features", "classes", "source"] }
    func member(_ name: String) -> Value? {
        switch name {
        case "name": return .string(data.name)
        case "train": return .int(data.trainX.rows)
        case "test": return .int(data.testX.rows)
        case "features": return .int(data.features)
        case "classes": return .int(data.classes)
        case "source": return .string(data.source)
        default: return nil
        }
    }
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
