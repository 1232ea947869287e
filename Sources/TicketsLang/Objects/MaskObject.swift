import TicketsEngine

/// "mask  80.04% kept  (fc1 80.00% · fc2 80.00% · fc3 90.00%)"
func describeMask(_ m: Mask) -> String {
    let layers = m.names.indices.map { "\(m.names[$0]) \(formatPercent(m.density($0)))" }.joined(separator: " · ")
    return "mask  \(formatPercent(m.density)) kept  (\(layers))"
}

/// A mask seen from the language; `m.fc1` is that layer's density.
final class MaskObject: DeclaredMembers {
    let mask: Mask
    init(_ mask: Mask) { self.mask = mask }
    var typeName: String { "mask" }
    func describe() -> String { describeMask(mask) }
    var brief: String? { "\(formatPercent(mask.density)) kept" }

    static let members: [Member<MaskObject>] = [
        Member("density", "the kept fraction of all weights") { .number($0.mask.density) },
        Member("kept", "the number of weights kept") { .int($0.mask.keptTotal) },
        Member("size", "the number of weights the mask covers") { .int($0.mask.sizeTotal) },
        Member("layers", "the names of its layers") { .list($0.mask.names.map { .string($0) }) },
    ]
    var extraMemberNames: [String] { mask.names }
    func extraMember(_ name: String) -> Value? {
        mask.names.firstIndex(of: name).map { .number(mask.density($0)) }
    }
}
