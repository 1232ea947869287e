/// What `Figure.validate()` found wrong with a figure, short of an error.
public struct ValidationReport: Sendable, Equatable {
    /// Points (or values, or heat-map cells) that are NaN or infinite: they are left
    /// out of the plot instead of breaking it, and the renderers mention how many.
    public var skippedPoints: Int
}

extension Figure {
    /// The largest number of histogram bins; more would not fit any screen or page.
    public static let maxBins = 10_000

    /// Checks that the figure can be drawn; throws a `PlotError` naming the culprit if not.
    ///
    /// Errors: no data or an empty series, data that is all NaN, a log axis over a
    /// value ≤ 0 (naming the axis and the value), x and y of different lengths, a heat
    /// map that is not rectangular or has the wrong number of labels, bad limits.
    /// Non-finite points are not errors: they are counted in the report and skipped.
    @discardableResult
    public func validate() throws -> ValidationReport {
        try Figure.checkLimits(xAxis, name: "x")
        try Figure.checkLimits(yAxis, name: "y")
        switch kind {
        case .line, .scatter: return try validateSeries()
        case .histogram: return try validateHistogram()
        case .heatmap: return try validateHeatmap()
        }
    }

    /// How messages name a series: by its name, or by its place when it has none.
    static func describe(_ series: Series, at index: Int) -> String {
        series.name.isEmpty ? "series \(index + 1)" : "series '\(series.name)'"
    }

    private static func checkLimits(_ axis: Axis, name: String) throws {
        guard let limits = axis.limits else { return }
        let lo = limits.lowerBound, hi = limits.upperBound
        guard lo.isFinite, hi.isFinite, lo < hi else {
            throw PlotError("the \(name) axis limits must be two finite numbers with low < high, not \(formatPlain(lo))...\(formatPlain(hi))")
        }
        if axis.log && lo <= 0 {
            throw PlotError("the \(name) axis is logarithmic but its lower limit is \(formatPlain(lo)); a log axis needs values > 0")
        }
    }

    private func validateSeries() throws -> ValidationReport {
        guard !series.isEmpty else {
            throw PlotError("the plot has no data: give it at least one series")
        }
        var skipped = 0
        for (index, s) in series.enumerated() {
            let who = Figure.describe(s, at: index)
            guard s.xs.count == s.ys.count else {
                throw PlotError("\(who) has \(s.xs.count) x values but \(s.ys.count) y values")
            }
            guard !s.xs.isEmpty else {
                throw PlotError("\(who) is empty")
            }
            var finite = 0
            for i in s.xs.indices {
                let x = s.xs[i], y = s.ys[i]
                guard x.isFinite && y.isFinite else { continue }
                finite += 1
                if xAxis.log && x <= 0 {
                    throw PlotError("the x axis is logarithmic but \(who) has x = \(formatPlain(x)) at point \(i + 1); a log axis needs values > 0")
                }
                if yAxis.log && y <= 0 {
                    throw PlotError("the y axis is logarithmic but \(who) has y = \(formatPlain(y)) at point \(i + 1); a log axis needs values > 0")
                }
            }
            guard finite > 0 else {
                throw PlotError("\(who) has no finite points: all \(s.xs.count) are NaN or infinite")
            }
            skipped += s.xs.count - finite
        }
        return ValidationReport(skippedPoints: skipped)
    }

    private func validateHistogram() throws -> ValidationReport {
        switch histogram {
        case nil:
            throw PlotError("the histogram has no data: give it values or counts")
        case .values(let values, let bins)?:
            guard !values.isEmpty else {
                throw PlotError("the histogram has no values")
            }
            if let bins, bins < 1 || bins > Figure.maxBins {
                throw PlotError("a histogram needs between 1 and \(Figure.maxBins) bins, not \(bins)")
            }
            let finite = values.filter(\.isFinite)
            guard !finite.isEmpty else {
                throw PlotError("the histogram has no finite values: all \(values.count) are NaN or infinite")
            }
            if xAxis.log, let bad = finite.first(where: { $0 <= 0 }) {
                throw PlotError("the x axis is logarithmic but the histogram has the value \(formatPlain(bad)); a log axis needs values > 0")
            }
            let lo = finite.min() ?? 0, hi = finite.max() ?? 0
            guard (hi - lo).isFinite else {
                throw PlotError("the histogram's values span too wide a range to bin (\(formatPlain(lo)) to \(formatPlain(hi)))")
            }
            return ValidationReport(skippedPoints: values.count - finite.count)
        case .counts(let edges, let counts)?:
            guard !counts.isEmpty else {
                throw PlotError("the histogram has no counts")
            }
            guard edges.count == counts.count + 1 else {
                throw PlotError("the histogram has \(counts.count) counts, so it needs \(counts.count + 1) edges, not \(edges.count)")
            }
            guard counts.count <= Figure.maxBins else {
                throw PlotError("a histogram needs between 1 and \(Figure.maxBins) bins, not \(counts.count)")
            }
            for (i, edge) in edges.enumerated() {
                guard edge.isFinite else {
                    throw PlotError("histogram edge \(i + 1) is \(formatPlain(edge)); edges must be finite")
                }
                if i > 0 && edge <= edges[i - 1] {
                    throw PlotError("histogram edges must increase, but edge \(i + 1) (\(formatPlain(edge))) is not above edge \(i) (\(formatPlain(edges[i - 1])))")
                }
            }
            if xAxis.log && edges[0] <= 0 {
                throw PlotError("the x axis is logarithmic but the histogram's first edge is \(formatPlain(edges[0])); a log axis needs values > 0")
            }
            for (i, count) in counts.enumerated() where !(count.isFinite && count >= 0) {
                throw PlotError("histogram count \(i + 1) is \(formatPlain(count)); counts must be finite and ≥ 0")
            }
            return ValidationReport(skippedPoints: 0)
        }
    }

    private func validateHeatmap() throws -> ValidationReport {
        guard let map = heatmap, let first = map.values.first, !first.isEmpty else {
            throw PlotError("the heat map has no values")
        }
        for (r, row) in map.values.enumerated() where row.count != first.count {
            throw PlotError("the heat map is not rectangular: row \(r + 1) has \(row.count) values but row 1 has \(first.count)")
        }
        if !map.rowLabels.isEmpty && map.rowLabels.count != map.values.count {
            throw PlotError("the heat map has \(map.values.count) rows but \(map.rowLabels.count) row labels")
        }
        if !map.columnLabels.isEmpty && map.columnLabels.count != first.count {
            throw PlotError("the heat map has \(first.count) columns but \(map.columnLabels.count) column labels")
        }
        if let range = map.range {
            let lo = range.lowerBound, hi = range.upperBound
            guard lo.isFinite, hi.isFinite, lo < hi else {
                throw PlotError("the heat map's range must be two finite numbers with low < high, not \(formatPlain(lo))...\(formatPlain(hi))")
            }
        }
        let total = map.values.count * first.count
        let finite = map.values.reduce(0) { $0 + $1.filter(\.isFinite).count }
        guard finite > 0 else {
            throw PlotError("the heat map has no finite values: all \(total) are NaN or infinite")
        }
        return ValidationReport(skippedPoints: total - finite)
    }
}
