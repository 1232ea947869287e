/// Masks combined weight by weight: the weights two tickets share (`m & r`), either
/// keeps (`m | r`), one keeps and the other does not (`m - r`), and the complement.
extension Mask {
    /// `op` (and, or, andNot) of two masks of the same layers and shapes.
    public func combined(_ op: BinaryOp, _ other: Mask) throws -> Mask {
        guard names == other.names else {
            throw EngineError("the masks have different layers: \(names.joined(separator: ", ")) and \(other.names.joined(separator: ", "))")
        }
        for (i, (a, b)) in zip(tensors, other.tensors).enumerated() where a.shape != b.shape {
            throw EngineError("the masks' \(names[i]) are \(a.shapeText) and \(b.shapeText)")
        }
        let out = try zip(tensors, other.tensors).map { try Tensor.elementwise(op, $0, $1) }
        return Mask(names: names, tensors: out, fileKeys: fileKeys).with(blueprint: blueprint)
    }

    /// Kept where this mask prunes, pruned where it keeps.
    public func complement() -> Mask {
        Mask(names: names, tensors: tensors.map { $0.map(.not) }, fileKeys: fileKeys).with(blueprint: blueprint)
    }
}
