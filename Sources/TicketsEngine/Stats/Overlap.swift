/// How alike two masks are, per layer and over the whole net.
public enum OverlapMetric: String, CaseIterable, Sendable {
    /// |A ∩ B| / |A ∪ B| of the kept sets (1 when both are empty).
    case jaccard
    /// 2|A ∩ B| / (|A| + |B|) (1 when both are empty).
    case dice
    /// The fraction of positions where the masks differ.
    case hamming
}

public struct OverlapCounts: Sendable, Equatable {
    public var both = 0, onlyA = 0, onlyB = 0, size = 0

    public func value(_ metric: OverlapMetric) -> Double {
        switch metric {
        case .jaccard:
            let union = both + onlyA + onlyB
            return union == 0 ? 1 : Double(both) / Double(union)
        case .dice:
            let total = 2 * both + onlyA + onlyB
            return total == 0 ? 1 : Double(2 * both) / Double(total)
        case .hamming:
            return size == 0 ? 0 : Double(onlyA + onlyB) / Double(size)
        }
    }

    static func + (a: OverlapCounts, b: OverlapCounts) -> OverlapCounts {
        OverlapCounts(both: a.both + b.both, onlyA: a.onlyA + b.onlyA, onlyB: a.onlyB + b.onlyB, size: a.size + b.size)
    }
}

public enum Overlap {
    /// Counts per layer (in mask order) and for the whole net. The masks must have the
    /// same layers and shapes.
    public static func counts(_ a: Mask, _ b: Mask) throws -> (layers: [OverlapCounts], total: OverlapCounts) {
        guard a.names == b.names else {
            throw EngineError("the masks have different layers (\(a.names.joined(separator: ", ")) and \(b.names.joined(separator: ", ")))")
        }
        var layers: [OverlapCounts] = []
        for (i, (ta, tb)) in zip(a.tensors, b.tensors).enumerated() {
            guard ta.shape == tb.shape else {
                throw EngineError("layer \(a.names[i]) is \(ta.shapeText) in one mask and \(tb.shapeText) in the other")
            }
            var c = OverlapCounts(size: ta.count)
            for j in 0..<ta.count {
                let x = ta.data[j] != 0, y = tb.data[j] != 0
                if x && y { c.both += 1 } else if x { c.onlyA += 1 } else if y { c.onlyB += 1 }
            }
            layers.append(c)
        }
        return (layers, layers.reduce(OverlapCounts(), +))
    }
}
