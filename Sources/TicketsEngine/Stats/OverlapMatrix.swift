extension Overlap {
    /// Every pair's overlap over the whole net: m[i][j] = metric(masks[i], masks[j])
    /// (symmetric; 1 on the diagonal for Jaccard and Dice, 0 for Hamming).
    public static func matrix(_ masks: [Mask], metric: OverlapMetric) throws -> [[Double]] {
        var m = [[Double]](repeating: [Double](repeating: 0, count: masks.count), count: masks.count)
        for i in masks.indices {
            for j in i..<masks.count {
                let v = try counts(masks[i], masks[j]).total.value(metric)
                m[i][j] = v; m[j][i] = v
            }
        }
        return m
    }

    /// The mask magnitude pruning would choose on `net`'s weights at `mask`'s density in
    /// every layer (ranking all of each layer's weights, whatever mask the net has), and
    /// the counts of its overlap with `mask`: the Lottery Jackpots observation (Zhang et
    /// al. 2021) that good masks agree with magnitude most.
    public static func withMagnitude(_ mask: Mask, net: Network) throws -> (magnitude: Mask, layers: [OverlapCounts], total: OverlapCounts) {
        try mask.check(fits: net)
        let dense = Mask(names: mask.names, tensors: mask.tensors.map { Tensor(filled: 1, shape: $0.shape) }, fileKeys: mask.fileKeys)
        let densities = Dictionary(uniqueKeysWithValues: mask.names.indices.map { (mask.names[$0], mask.density($0)) })
        let mag = try Pruning.keepHighest(Pruning.magnitudeScores(net), net: net, current: dense,
                                          amount: .densities(densities), options: PruneOptions())
        let c = try counts(mask, mag)
        return (mag, c.layers, c.total)
    }
}
