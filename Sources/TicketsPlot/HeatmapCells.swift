/// A validated heat map reduced to what both renderers draw: its size, its labels
/// (numbers where none were given), the value range of the colour scale and the
/// decimals its values are written with.
struct HeatmapCells {
    let values: [[Double]]
    let rows: Int
    let columns: Int
    let rowLabels: [String]
    let columnLabels: [String]
    /// The values at the two ends of the colour scale.
    let range: (lo: Double, hi: Double)
    /// Digits after the point for cell values and the scale ends (2 for 0...1).
    let decimals: Int

    init(_ map: Heatmap) {
        values = map.values
        rows = map.values.count
        columns = map.values.first?.count ?? 0
        rowLabels = map.rowLabels.isEmpty ? (0..<rows).map { String($0 + 1) } : map.rowLabels
        columnLabels = map.columnLabels.isEmpty ? (0..<columns).map { String($0 + 1) } : map.columnLabels
        let finite = map.values.joined().filter(\.isFinite)
        if let given = map.range {
            range = (given.lowerBound, given.upperBound)
        } else {
            let lo = finite.min() ?? 0, hi = finite.max() ?? 1
            range = lo < hi ? (lo, hi) : (lo - 0.5, hi + 0.5)
        }
        decimals = decimalsFor(largest: max(abs(range.lo), abs(range.hi)))
    }

    /// Where a value falls on the colour scale, 0...1 (clamped).
    func position(_ value: Double) -> Double {
        min(1, max(0, (value - range.lo) / (range.hi - range.lo)))
    }

    /// The mean of the finite values in a block of cells, or NaN if there are none.
    func mean(rows rowRange: Range<Int>, columns columnRange: Range<Int>) -> Double {
        var sum = 0.0, count = 0
        for r in rowRange {
            for c in columnRange where values[r][c].isFinite {
                sum += values[r][c]
                count += 1
            }
        }
        return count > 0 ? sum / Double(count) : .nan
    }
}
