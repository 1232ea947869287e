/// The model of one plot: what to draw, not how.
///
/// A `Figure` is plain data. `validate()` checks it, and the two renderers
/// (`renderTerminal` and `renderSVG`) turn it into text. The classic lottery-ticket
/// figure, accuracy against the share of weights remaining on a decreasing log axis:
///
///     var figure = Figure.line([
///         Series("winning ticket", xs: [1, 0.51, 0.21, 0.07, 0.036], ys: [0.978, 0.981, 0.983, 0.979, 0.962]),
///         Series("random reinit", xs: [1, 0.51, 0.21, 0.07, 0.036], ys: [0.978, 0.975, 0.968, 0.951, 0.920]),
///     ], title: "LeNet-300-100 on MNIST", xLabel: "weights remaining", yLabel: "test accuracy")
///     figure.logX = true
///     figure.reverseX = true
///     figure.xAxis.format = .percent
///     let svg = try renderSVG(figure)
public struct Figure: Sendable, Equatable {
    /// The four kinds of plot.
    public enum Kind: Sendable, Equatable {
        /// Each series drawn as a polyline through its points (markers when there are few).
        case line
        /// Each series drawn as unconnected points.
        case scatter
        /// Bars over bins of one set of values (`histogram`).
        case histogram
        /// A matrix of values as shaded cells with row and column labels (`heatmap`).
        case heatmap
    }

    public var kind: Kind
    public var title: String
    public var xAxis: Axis
    public var yAxis: Axis
    /// The data of a line or scatter plot, drawn in order (later series on top).
    public var series: [Series]
    /// The data of a histogram plot.
    public var histogram: Histogram?
    /// The data of a heat map.
    public var heatmap: Heatmap?

    public init(kind: Kind, title: String = "", xAxis: Axis = Axis(), yAxis: Axis = Axis(),
                series: [Series] = [], histogram: Histogram? = nil, heatmap: Heatmap? = nil) {
        self.kind = kind
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
        self.histogram = histogram
        self.heatmap = heatmap
    }

    /// A line plot of one or more series.
    public static func line(_ series: [Series], title: String = "", xLabel: String = "", yLabel: String = "") -> Figure {
        Figure(kind: .line, title: title, xAxis: Axis(label: xLabel), yAxis: Axis(label: yLabel), series: series)
    }

    /// A scatter plot of one or more series.
    public static func scatter(_ series: [Series], title: String = "", xLabel: String = "", yLabel: String = "") -> Figure {
        Figure(kind: .scatter, title: title, xAxis: Axis(label: xLabel), yAxis: Axis(label: yLabel), series: series)
    }

    /// A histogram; the y axis is labelled "count" unless you say otherwise.
    public static func histogram(_ histogram: Histogram, title: String = "", xLabel: String = "", yLabel: String = "count") -> Figure {
        Figure(kind: .histogram, title: title, xAxis: Axis(label: xLabel), yAxis: Axis(label: yLabel), histogram: histogram)
    }

    /// A heat map of a matrix.
    public static func heatmap(_ heatmap: Heatmap, title: String = "") -> Figure {
        Figure(kind: .heatmap, title: title, heatmap: heatmap)
    }

    // Short names for the settings a builtin sets most often.

    public var xLabel: String {
        get { xAxis.label }
        set { xAxis.label = newValue }
    }
    public var yLabel: String {
        get { yAxis.label }
        set { yAxis.label = newValue }
    }
    public var logX: Bool {
        get { xAxis.log }
        set { xAxis.log = newValue }
    }
    public var logY: Bool {
        get { yAxis.log }
        set { yAxis.log = newValue }
    }
    /// The x axis decreases to the right (100% → 1% of weights remaining).
    public var reverseX: Bool {
        get { xAxis.reversed }
        set { xAxis.reversed = newValue }
    }
}

/// How one axis maps values to positions and how its ticks are labelled.
public struct Axis: Sendable, Equatable {
    public var label: String
    /// Logarithmic scale (base 10); every value on it must be > 0.
    public var log: Bool
    /// Values decrease from left to right (or from bottom to top).
    public var reversed: Bool
    public var format: TickFormat
    /// A fixed range instead of the data's range plus padding; points outside are clipped.
    public var limits: ClosedRange<Double>?
    /// Fixed tick positions instead of the automatic ones (those outside the range are dropped).
    public var ticks: [Double]?

    public init(label: String = "", log: Bool = false, reversed: Bool = false, format: TickFormat = .plain,
                limits: ClosedRange<Double>? = nil, ticks: [Double]? = nil) {
        self.label = label
        self.log = log
        self.reversed = reversed
        self.format = format
        self.limits = limits
        self.ticks = ticks
    }
}

/// How tick labels are written.
public enum TickFormat: Sendable, Equatable {
    /// Decimal numbers with as many digits as the step needs (0.25, 100, 0.001); very
    /// large or very small values switch to scientific notation.
    case plain
    /// The values are fractions shown as percentages: 0.25 → "25%", 1 → "100%".
    case percent
    /// Scientific notation: "2.5e-3" (or "2.5×10⁻³" where Unicode is allowed).
    case scientific
}

/// One named set of (x, y) points of a line or scatter plot.
public struct Series: Sendable, Equatable {
    public var name: String
    public var xs: [Double]
    public var ys: [Double]

    public init(_ name: String, xs: [Double], ys: [Double]) {
        self.name = name
        self.xs = xs
        self.ys = ys
    }

    /// A series whose x values are 0, 1, 2, ... (a loss curve over iterations).
    public init(_ name: String, ys: [Double]) {
        self.init(name, xs: ys.indices.map(Double.init), ys: ys)
    }
}

/// The data of a histogram: raw values to be binned, or bins already counted.
public enum Histogram: Sendable, Equatable {
    /// Values to count into `bins` equal bins (equal in log space on a log x axis);
    /// `nil` picks the number of bins from the data (Sturges or Freedman–Diaconis).
    case values([Double], bins: Int?)
    /// Ready-made bins: `counts[i]` values fall in `edges[i] ..< edges[i + 1]`.
    case counts(edges: [Double], counts: [Double])
}

/// The data of a heat map: a rectangular matrix with optional labels.
public struct Heatmap: Sendable, Equatable {
    /// `values[row][column]`; non-finite cells are left blank.
    public var values: [[Double]]
    /// One label per row, or empty for "1", "2", ...
    public var rowLabels: [String]
    /// One label per column, or empty for "1", "2", ...
    public var columnLabels: [String]
    /// The values mapped to the ends of the colour scale; `nil` uses the data's range.
    public var range: ClosedRange<Double>?
    /// Write each cell's value in it: `nil` does so when the cells are large enough.
    public var showValues: Bool?

    public init(_ values: [[Double]], rowLabels: [String] = [], columnLabels: [String] = [],
                range: ClosedRange<Double>? = nil, showValues: Bool? = nil) {
        self.values = values
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.range = range
        self.showValues = showValues
    }
}
