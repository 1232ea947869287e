extension Pruning {
    /// SNIP's connection sensitivity (Lee, Ajanthan & Torr, "SNIP: Single-shot Network
    /// Pruning based on Connection Sensitivity", ICLR 2019, eq. 6): s = |g ⊙ w| with
    /// g = ∂L/∂w, the gradient of the mean cross-entropy of one mini-batch, the layers in
    /// evaluation mode (as namhoonlee/snip-public runs its pruning pass, is_train=False).
    /// SNIP divides s by Σs; that changes no ranking and is left out here.
    public static func snipScores(_ net: Network, batch: ScoringBatch) throws -> [[Double]] {
        let g = try lossGradients(net, batch, training: false).grads
        return zip(net.prunable, g).map { (p, grad) in
            zip(p.weight.value.data, grad).map { Double(abs($0 * $1)) }
        }
    }

    /// SNIP pruning: keeps the weights of highest |g ⊙ w|. Its paper ranks all layers
    /// together (`options.scope = .global`) and prunes once, at initialisation, to a
    /// density; `batch` examples are drawn from the training split with `seed` (its
    /// code: one batch of 100). Returns the new mask; the net is not changed.
    public static func snip(_ net: Network, data: Dataset, amount: PruneAmount, options: PruneOptions,
                            batch: Int = 100, seed: UInt64 = 0) throws -> Mask {
        try net.check(sampleShape: data.sampleShape, classes: data.classes)
        try checkAmount(amount, options: options, net: net)
        let b = try randomBatch(data, count: batch, seed: seed)
        return try keepHighest(snipScores(net, batch: b), net: net, current: Mask(of: net), amount: amount, options: options)
    }
}
