/// How stable a mask is across runs: masks of one net found with different seeds, or at
/// successive levels of IMP, compared pair by pair.
public struct MaskStability: Sendable {
    /// The mean over all pairs, per layer (in mask order) and over the whole net.
    public var layers: [Double]
    public var total: Double
    /// The least and most alike pair (whole net).
    public var min: Double, max: Double
    /// Each mask against the next, in the order given (for the levels of one run).
    public var consecutive: [Double]
    /// The weights kept by every mask over those kept by any: |∩| / |∪| (whole net).
    public var core: Double
    public var pairs: Int

    /// The statistics of `masks` (at least two, of one architecture) under `metric`.
    public static func of(_ masks: [Mask], metric: OverlapMetric = .jaccard) throws -> MaskStability {
        guard masks.count >= 2 else { throw EngineError("mask stability compares at least 2 masks, got \(masks.count)") }
        let layerCount = masks[0].names.count
        var layerSums = [Double](repeating: 0, count: layerCount)
        var totals: [Double] = [], consecutive: [Double] = []
        for i in masks.indices {
            for j in (i + 1)..<masks.count {
                let c = try Overlap.counts(masks[i], masks[j])
                for l in 0..<layerCount { layerSums[l] += c.layers[l].value(metric) }
                totals.append(c.total.value(metric))
                if j == i + 1 { consecutive.append(c.total.value(metric)) }
            }
        }
        var all = 0, any = 0
        for l in 0..<layerCount {
            for k in 0..<masks[0].tensors[l].count {
                let kept = masks.filter { $0.tensors[l].data[k] != 0 }.count
                if kept == masks.count { all += 1 }
                if kept > 0 { any += 1 }
            }
        }
        let n = Double(totals.count)
        return MaskStability(layers: layerSums.map { $0 / n }, total: totals.reduce(0, +) / n,
                             min: totals.min() ?? 0, max: totals.max() ?? 0, consecutive: consecutive,
                             core: any == 0 ? 1 : Double(all) / Double(any), pairs: totals.count)
    }
}
