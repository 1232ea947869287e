/// Masks from scores computed outside the engine's criteria (a user's criterion in the
/// language, `mask_from(scores, ...)`): the same selection every criterion ends with.
extension Pruning {
    /// Keeps the weights of highest score among the survivors of `current` (all of
    /// them when nil), as `amount` and `options` say. `scores[i]` has the shape of
    /// layer i of `layout`. A NaN score is an error naming the layer and how many.
    public static func keepHighest(scores: [Tensor], layout: PruneLayout, current: Mask? = nil,
                                   amount: PruneAmount, options: PruneOptions) throws -> Mask {
        let keys = try scoreKeys(scores, layout: layout)
        let base = current ?? Mask(names: layout.names, tensors: layout.shapes.map { Tensor(filled: 1, shape: $0) })
        return try keepHighest(keys, layout: layout, current: base, amount: amount, options: options)
    }

    /// Scores computed outside the engine as the selection's keys, checked: one tensor
    /// per layer of `layout`, each of its weight's shape, no NaN (an error names the
    /// layer and how many).
    public static func scoreKeys(_ scores: [Tensor], layout: PruneLayout) throws -> [[Double]] {
        guard scores.count == layout.names.count else {
            throw EngineError("\(scores.count) score tensors for \(layout.names.count) layers")
        }
        for (i, t) in scores.enumerated() {
            guard t.shape == layout.shapes[i] else {
                throw EngineError("the scores of \(layout.names[i]) are \(Broadcast.describe(t.shape)) but its weight is \(Broadcast.describe(layout.shapes[i]))")
            }
            let nan = t.data.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
            if nan > 0 { throw EngineError("the scores of \(layout.names[i]) hold \(nan) NaN value\(nan == 1 ? "" : "s"); a score must be a number") }
        }
        return scores.map { $0.data.map(Double.init) }
    }
}
