/// One (x, y) point in data units.
struct DataPoint: Equatable, Sendable {
    let x: Double
    let y: Double
}

/// A line, scatter or histogram figure reduced to what both renderers draw: the two
/// axis scales, each series as runs of finite points, and the histogram's bins.
///
/// A line is broken where a point is NaN or infinite (a diverged loss leaves a gap
/// instead of a line to nowhere); the number of such points is kept for a note.
struct PlotFrame {
    let x: AxisScale
    let y: AxisScale
    /// For each series, its runs of consecutive finite points.
    let runs: [[[DataPoint]]]
    /// The bins of a histogram figure.
    let bins: Bins?
    let skipped: Int

    /// Share of the data range added on each side of a line or scatter plot.
    static let padding = 0.04

    /// Validates `figure` (not a heat map) and works out its scales.
    init(_ figure: Figure) throws {
        let report = try figure.validate()
        skipped = report.skippedPoints
        var xRange: (lo: Double, hi: Double), xData: (lo: Double, hi: Double)
        var yRange: (lo: Double, hi: Double), yData: (lo: Double, hi: Double)
        switch figure.kind {
        case .histogram:
            guard let histogram = figure.histogram else { throw PlotError("the histogram has no data: give it values or counts") }
            let bins = Bins.of(histogram, logX: figure.logX)
            self.bins = bins
            runs = []
            xRange = (bins.edges.first ?? 0, bins.edges.last ?? 1)
            yRange = PlotFrame.countRange(bins.counts, log: figure.logY)
            (xData, yData) = (xRange, yRange)
        case .line, .scatter:
            bins = nil
            runs = figure.series.map(PlotFrame.finiteRuns)
            let all = runs.flatMap { $0.flatMap { $0 } }
            let xs = all.map(\.x), ys = all.map(\.y)
            xData = (xs.min() ?? 0, xs.max() ?? 1)
            yData = (ys.min() ?? 0, ys.max() ?? 1)
            xRange = AxisScale.padded(xData.lo, xData.hi, fraction: PlotFrame.padding, log: figure.logX)
            yRange = AxisScale.padded(yData.lo, yData.hi, fraction: PlotFrame.padding, log: figure.logY)
        case .heatmap:
            throw PlotError("a heat map has no x and y axes to draw")
        }
        if let limits = figure.xAxis.limits { xRange = (limits.lowerBound, limits.upperBound) }
        if let limits = figure.yAxis.limits { yRange = (limits.lowerBound, limits.upperBound) }
        try PlotFrame.checkDrawable(xRange, data: xData, log: figure.logX, axis: "x")
        try PlotFrame.checkDrawable(yRange, data: yData, log: figure.logY, axis: "y")
        x = AxisScale(lo: xRange.lo, hi: xRange.hi, log: figure.logX, reversed: figure.reverseX)
        y = AxisScale(lo: yRange.lo, hi: yRange.hi, log: figure.logY, reversed: figure.yAxis.reversed)
    }

    /// Refuses a drawn range that Double cannot span (data from -1e308 to 1e308, whose
    /// padding overflows): positions on such an axis would not be numbers. The
    /// message names the data's own smallest and largest value.
    static func checkDrawable(_ range: (lo: Double, hi: Double), data: (lo: Double, hi: Double), log: Bool, axis: String) throws {
        guard range.lo.isFinite, range.hi.isFinite, (range.hi - range.lo).isFinite, range.hi > range.lo, !log || range.lo > 0 else {
            throw PlotError("the \(axis) values span too wide a range to draw (\(formatPlain(data.lo)) to \(formatPlain(data.hi))); set the \(axis) axis limits")
        }
    }

    /// The points of a series split into runs at each non-finite point.
    static func finiteRuns(_ series: Series) -> [[DataPoint]] {
        var runs: [[DataPoint]] = [], current: [DataPoint] = []
        for (x, y) in zip(series.xs, series.ys) {
            if x.isFinite && y.isFinite {
                current.append(DataPoint(x: x, y: y))
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// The y range of a histogram: from 0 to a little above the tallest bar, or on a
    /// log axis from half the smallest non-zero count (so it shows) to above the tallest.
    static func countRange(_ counts: [Double], log: Bool) -> (lo: Double, hi: Double) {
        let top = counts.max() ?? 0
        if log {
            let positive = counts.filter { $0 > 0 }
            guard let smallest = positive.min(), top > 0 else { return (0.5, 2) }
            return (smallest / 2, top * 1.5)
        }
        return (0, top > 0 ? top * 1.05 : 1)
    }
}
