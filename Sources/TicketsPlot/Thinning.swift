/// Thins a long line before it is written out as SVG path data.
///
/// A loss curve over 100 000 iterations has far more points than the plot has pixel
/// columns. Consecutive points that fall in the same column are reduced to four: the
/// first, the lowest, the highest and the last (in their original order). The line
/// drawn through those covers the same pixels as the full line (the "M4" method of
/// Jugel et al., 2014), at a few points per column.
///
///     thinToColumns(run, columns: 560)   // at most about 4 × 560 points for a steady x
func thinToColumns(_ points: [(x: Double, y: Double)], columns: Int) -> [(x: Double, y: Double)] {
    guard columns > 0, points.count > 4 * columns else { return points }
    var kept: [(x: Double, y: Double)] = []
    var start = 0
    while start < points.count {
        let column = Int((points[start].x * Double(columns)).rounded(.down))
        var end = start + 1
        while end < points.count && Int((points[end].x * Double(columns)).rounded(.down)) == column { end += 1 }
        // points[start..<end] share a column: keep first, lowest, highest, last.
        var lowest = start, highest = start
        for i in start..<end {
            if points[i].y < points[lowest].y { lowest = i }
            if points[i].y > points[highest].y { highest = i }
        }
        for i in Set([start, lowest, highest, end - 1]).sorted() { kept.append(points[i]) }
        start = end
    }
    return kept
}
