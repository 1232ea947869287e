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
    private(set) var y: AxisScale
    /// The smallest and largest y of the data (or counts), and whether the y range is
    /// the automatic linear one (no limits given), which `roundedY` may widen.
    let yData: (lo: Double, hi: Double)
    let yAutomatic: Bool
    /// The tick step `roundedY` rounded the y range to.
    private(set) var yStep: (tenths: Int64, exponent: Int)?
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
            xData = xRange
            // The counts themselves (the drawn range adds 5% above the tallest).
            yData = figure.logY ? yRange : (0, max(bins.counts.max() ?? 0, 0) > 0 ? bins.counts.max()! : 1)
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
        self.yData = yData
        yAutomatic = !figure.logY && figure.yAxis.limits == nil && figure.yAxis.ticks == nil
    }

    /// The frame with its y range widened to the ticks just outside the data, so that
    /// the top and the bottom of the axis carry a label and nothing is drawn above the
    /// last one. `target` is the renderer's number of y ticks. Only an automatic linear
    /// y range changes.
    func roundedY(target: Int) -> PlotFrame {
        guard yAutomatic, yData.hi > yData.lo else { return self }
        /// k · step at or below (down) or at or above (up) v, forgiving rounding error.
        func multiple(_ v: Double, _ step: Double, up: Bool) -> Double {
            let q = v / step, k = q.rounded()
            if abs(q - k) < 1e-6 { return k * step }
            return (up ? q.rounded(.up) : q.rounded(.down)) * step
        }
        // The ranges Ticks gives ticks for at all (finite, wider than rounding).
        let (lo, hi) = (y.lo, y.hi)
        guard lo.isFinite, hi.isFinite, (hi - lo).isFinite, hi - lo > max(abs(lo), abs(hi)) * 1e-12,
              (hi - lo) / Double(max(2, target)) >= Double.leastNormalMagnitude else { return self }
        // The step the drawn range would have, kept: the ends move out to its multiples.
        let step = Ticks.step(lo, hi, target: target)
        let size = Double(step.tenths) / 10 * power10(step.exponent)
        let rounded = (multiple(yData.lo, size, up: false), multiple(yData.hi, size, up: true))
        guard rounded.0.isFinite, rounded.1.isFinite, rounded.1 > rounded.0 else { return self }
        var copy = self
        copy.y = AxisScale(lo: rounded.0, hi: rounded.1, log: false, reversed: y.reversed)
        copy.yStep = step
        return copy
    }

    /// The y ticks: at the rounded range's own step once `roundedY` chose it.
    func yTicks(for axis: Axis, target: Int, unicode: Bool) -> [Tick] {
        if let yStep { return Ticks.linear(y.lo, y.hi, step: yStep, format: axis.format, unicode: unicode) }
        return y.ticks(for: axis, target: target, unicode: unicode)
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
