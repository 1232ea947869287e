/// The smallest SVG drawn; smaller sizes are raised to this (and sizes over 10 000 lowered).
public let minimumSVGSize = (width: 240, height: 180)

/// Draws a figure as a standalone SVG document, in the style of a journal figure:
/// white background, left and bottom axes with ticks at readable values and light grid
/// lines, axis labels, a title, a legend inside the plot where the data leaves room,
/// Okabe–Ito colours with a distinct marker per series, and type large enough to read
/// on a projector. No scripts, no external references; all text is XML-escaped.
///
///     try renderSVG(figure).write(toFile: "fig.svg", atomically: true, encoding: .utf8)
public func renderSVG(_ figure: Figure, width: Int = 640, height: Int = 420) throws -> String {
    let width = min(max(width, minimumSVGSize.width), 10_000), height = min(max(height, minimumSVGSize.height), 10_000)
    if figure.kind == .heatmap {
        return try SVGHeatmap(figure: figure, width: width, height: height).render()
    }
    return try SVGPlot(figure: figure, width: width, height: height).render()
}

/// Type sizes in pixels of a 640-pixel-wide figure.
enum SVGType {
    static let title = 20.0
    static let label = 16.0
    static let tick = 14.0
    static let legend = 14.0
    static let note = 12.0
    static let ink = "#222222"
    static let grid = "#e3e3e3"
}

/// The SVG drawing of a line, scatter or histogram figure.
struct SVGPlot {
    let figure: Figure
    var frame: PlotFrame
    let width: Double
    let height: Double

    init(figure: Figure, width: Int, height: Int) throws {
        self.figure = figure
        frame = try PlotFrame(figure)
        self.width = Double(width)
        self.height = Double(height)
    }

    /// The plot area in pixels.
    struct Area {
        let left: Double, top: Double, right: Double, bottom: Double
        func x(_ fraction: Double) -> Double { left + fraction * (right - left) }
        func y(_ fraction: Double) -> Double { bottom - fraction * (bottom - top) }
    }

    func render() -> String {
        var svg = SVGWriter()
        svg.textElement("title", figure.title.isEmpty ? "plot" : figure.title)
        if frame.skipped > 0 { svg.textElement("desc", skippedNote) }
        svg.element("rect", ["x": 0, "y": 0, "width": .number(width), "height": .number(height), "fill": "#ffffff"])

        let top = figure.title.isEmpty ? 18 : 26 + SVGType.title
        let bottom = height - (16 + SVGType.tick + 12 + (figure.xLabel.isEmpty ? 0 : SVGType.label + 12))
        var plot = self
        plot.frame = frame.roundedY(target: max(2, Int((bottom - top) / 48)))
        return plot.draw(svg, top: top, bottom: bottom)
    }

    /// The figure drawn on its frame, y rounded to the ticks (see `render`).
    func draw(_ start: SVGWriter, top: Double, bottom: Double) -> String {
        var svg = start
        let yTicks = frame.yTicks(for: figure.yAxis, target: max(2, Int((bottom - top) / 48)), unicode: true)
        let yLabelWidth = yTicks.map { textWidth($0.label, size: SVGType.tick) }.max() ?? 0
        let left = 14 + (figure.yLabel.isEmpty ? 0 : SVGType.label + 12) + yLabelWidth + 14
        let area = Area(left: left, top: top, right: width - 28, bottom: bottom)

        drawAxes(&svg, area: area, yTicks: yTicks)
        if figure.kind == .histogram {
            drawBars(&svg, area: area)
        } else {
            for s in frame.runs.indices { drawSeries(&svg, s, area: area) }
            drawLegend(&svg, area: area)
        }
        if !figure.title.isEmpty {
            svg.text(figure.title, ["class": "title", "x": .number(width / 2), "y": .number(14 + SVGType.title * 0.8),
                                    "font-size": .number(SVGType.title), "font-weight": "bold", "text-anchor": "middle", "fill": .text(SVGType.ink)])
        }
        if !figure.xLabel.isEmpty {
            svg.text(figure.xLabel, ["class": "axis-label", "x": .number((area.left + area.right) / 2), "y": .number(height - 14),
                                     "font-size": .number(SVGType.label), "text-anchor": "middle", "fill": .text(SVGType.ink)])
        }
        if !figure.yLabel.isEmpty {
            let x = 14 + SVGType.label * 0.8, y = (area.top + area.bottom) / 2
            svg.text(figure.yLabel, ["class": "axis-label", "x": .number(x), "y": .number(y), "font-size": .number(SVGType.label),
                                     "text-anchor": "middle", "fill": .text(SVGType.ink),
                                     "transform": .text("rotate(-90 \(SVGWriter.number(x)) \(SVGWriter.number(y)))")])
        }
        if frame.skipped > 0 {
            svg.text(skippedNote, ["class": "note", "x": 8, "y": .number(height - 6), "font-size": .number(SVGType.note), "fill": "#777777"])
        }
        return svg.document(width: Int(width), height: Int(height))
    }

    var skippedNote: String {
        "\(frame.skipped) non-finite point\(frame.skipped == 1 ? "" : "s") skipped"
    }

    /// Grid lines at every tick, the left and bottom axis lines, outward tick marks
    /// and tick labels (as many x labels as fit without touching).
    func drawAxes(_ svg: inout SVGWriter, area: Area, yTicks: [Tick]) {
        let xTicks = xTickPlacement(area: area)
        svg.open("g", ["class": "grid", "stroke": .text(SVGType.grid), "stroke-width": 1])
        for tick in yTicks where inside(frame.y.fraction(tick.value)) {
            let y = area.y(frame.y.fraction(tick.value))
            svg.element("line", ["x1": .number(area.left), "x2": .number(area.right), "y1": .number(y), "y2": .number(y)])
        }
        for (x, _) in xTicks {
            svg.element("line", ["x1": .number(x), "x2": .number(x), "y1": .number(area.top), "y2": .number(area.bottom)])
        }
        svg.close("g")
        svg.open("g", ["class": "axes", "stroke": .text(SVGType.ink), "stroke-width": 1.2])
        svg.element("line", ["x1": .number(area.left), "x2": .number(area.left), "y1": .number(area.top), "y2": .number(area.bottom)])
        svg.element("line", ["x1": .number(area.left), "x2": .number(area.right), "y1": .number(area.bottom), "y2": .number(area.bottom)])
        for tick in yTicks where inside(frame.y.fraction(tick.value)) {
            let y = area.y(frame.y.fraction(tick.value))
            svg.element("line", ["x1": .number(area.left - 6), "x2": .number(area.left), "y1": .number(y), "y2": .number(y)])
        }
        for (x, _) in xTicks {
            svg.element("line", ["x1": .number(x), "x2": .number(x), "y1": .number(area.bottom), "y2": .number(area.bottom + 6)])
        }
        svg.close("g")
        svg.open("g", ["font-size": .number(SVGType.tick), "fill": .text(SVGType.ink)])
        for tick in yTicks where inside(frame.y.fraction(tick.value)) {
            let y = area.y(frame.y.fraction(tick.value)) + SVGType.tick * 0.35
            svg.text(tick.label, ["class": "tick-label y-tick", "x": .number(area.left - 10), "y": .number(y), "text-anchor": "end"])
        }
        for (x, label) in xTicks {
            svg.text(label, ["class": "tick-label x-tick", "x": .number(x), "y": .number(area.bottom + 10 + SVGType.tick * 0.9), "text-anchor": "middle"])
        }
        svg.close("g")
    }

    func inside(_ fraction: Double) -> Bool { fraction > -1e-9 && fraction < 1 + 1e-9 }

    /// The x ticks (pixel position and label): the most, up to one per 70 pixels, whose
    /// labels stay at least 12 pixels apart.
    func xTickPlacement(area: Area) -> [(x: Double, label: String)] {
        var target = max(2, Int((area.right - area.left) / 70))
        while true {
            var placed: [(x: Double, label: String)] = []
            for tick in frame.x.ticks(for: figure.xAxis, target: target, unicode: true) where inside(frame.x.fraction(tick.value)) {
                placed.append((area.x(frame.x.fraction(tick.value)), tick.label))
            }
            placed.sort { $0.x < $1.x }
            var apart = true
            for i in placed.indices.dropFirst() {
                let room = (textWidth(placed[i - 1].label, size: SVGType.tick) + textWidth(placed[i].label, size: SVGType.tick)) / 2 + 12
                if placed[i].x - placed[i - 1].x < room { apart = false }
            }
            if apart || target <= 2 { return placed }
            target -= 1
        }
    }

    /// Whether a series gets a marker at each point: always in a scatter plot, and in
    /// a line plot when it has at most 40 points.
    func showsMarkers(_ s: Int) -> Bool {
        figure.kind == .scatter || frame.runs[s].reduce(0) { $0 + $1.count } <= 40
    }

    /// One series: a path through its points (cut at the plot's edges and at gaps),
    /// then its markers.
    func drawSeries(_ svg: inout SVGWriter, _ s: Int, area: Area) {
        let color = Palette.color(s).hex
        let name = figure.series[s].name.isEmpty ? "series \(s + 1)" : figure.series[s].name
        let fractions = frame.runs[s].map { $0.map { (x: frame.x.fraction($0.x), y: frame.y.fraction($0.y)) } }
        if figure.kind == .line {
            var d = "", last: (x: Double, y: Double)? = nil
            let columns = Int(area.right - area.left)
            for run in fractions.map({ thinToColumns($0, columns: columns) }) {
                last = nil
                for (a, b) in zip(run, run.dropFirst()) {
                    guard let piece = clipToUnitSquare(a, b) else { last = nil; continue }
                    let start = (x: area.x(piece.a.x), y: area.y(piece.a.y)), end = (x: area.x(piece.b.x), y: area.y(piece.b.y))
                    let continues = last.map { abs($0.x - start.x) < 0.01 && abs($0.y - start.y) < 0.01 } ?? false
                    if !continues {
                        d += "M\(SVGWriter.number(start.x)) \(SVGWriter.number(start.y))"
                    }
                    d += "L\(SVGWriter.number(end.x)) \(SVGWriter.number(end.y))"
                    last = end
                }
            }
            svg.element("path", ["class": "series", "data-name": .text(name), "d": .text(d), "fill": "none", "stroke": .text(color),
                                 "stroke-width": 2.5, "stroke-linejoin": "round", "stroke-linecap": "round"])
        }
        guard showsMarkers(s) else { return }
        let count = fractions.reduce(0) { $0 + $1.count }
        let size = figure.kind == .scatter && count > 200 ? 3.0 : 4.5
        svg.open("g", figure.kind == .scatter ? ["class": "series", "data-name": .text(name)] : ["class": "markers"])
        for p in fractions.joined() where inside(p.x) && inside(p.y) {
            drawMarker(&svg, Palette.marker(s), x: area.x(p.x), y: area.y(p.y), size: size, color: color)
        }
        svg.close("g")
    }

    /// Histogram bars from the bottom of the plot to each bin's count, in the first
    /// series colour with thin white gaps between bars.
    func drawBars(_ svg: inout SVGWriter, area: Area) {
        guard let bins = frame.bins else { return }
        svg.open("g", ["class": "bars", "fill": .text(Palette.color(0).hex), "stroke": "#ffffff", "stroke-width": 0.8])
        for (i, count) in bins.counts.enumerated() where count > 0 {
            let a = min(1, max(0, frame.x.fraction(bins.edges[i]))), b = min(1, max(0, frame.x.fraction(bins.edges[i + 1])))
            guard a != b else { continue }
            let top = area.y(min(1, max(0, frame.y.fraction(count))))
            svg.element("rect", ["class": "bar", "x": .number(area.x(min(a, b))), "y": .number(top),
                                 "width": .number(abs(b - a) * (area.right - area.left)), "height": .number(area.bottom - top)])
        }
        svg.close("g")
    }

    /// The legend, for several series or a named one: a box in the corner of the plot
    /// that covers the fewest data points.
    func drawLegend(_ svg: inout SVGWriter, area: Area) {
        guard figure.series.count > 1 || !(figure.series.first?.name.isEmpty ?? true) else { return }
        let names = figure.series.enumerated().map { $1.name.isEmpty ? "series \($0 + 1)" : $1.name }
        let rowHeight = SVGType.legend + 8
        let boxWidth = 12 + 30 + 8 + (names.map { textWidth($0, size: SVGType.legend) }.max() ?? 0) + 12
        let boxHeight = Double(names.count) * rowHeight + 12
        let corner = bestCorner(area: area, width: boxWidth, height: boxHeight)
        svg.open("g", ["class": "legend"])
        svg.element("rect", ["x": .number(corner.x), "y": .number(corner.y), "width": .number(boxWidth), "height": .number(boxHeight),
                             "fill": "#ffffff", "fill-opacity": 0.9, "stroke": "#cccccc", "rx": 4])
        for (s, name) in names.enumerated() {
            let y = corner.y + 6 + rowHeight * (Double(s) + 0.5), x = corner.x + 12
            let color = Palette.color(s).hex
            svg.open("g", ["class": "legend-entry"])
            if figure.kind == .line {
                svg.element("line", ["x1": .number(x), "x2": .number(x + 30), "y1": .number(y), "y2": .number(y),
                                     "stroke": .text(color), "stroke-width": 2.5])
            }
            if showsMarkers(s) { drawMarker(&svg, Palette.marker(s), x: x + 15, y: y, size: 4.5, color: color) }
            svg.text(name, ["x": .number(x + 38), "y": .number(y + SVGType.legend * 0.35), "font-size": .number(SVGType.legend),
                            "fill": .text(SVGType.ink)])
            svg.close("g")
        }
        svg.close("g")
    }

    /// The top-left pixel of the legend box: top right unless another corner of the
    /// plot covers fewer points of the data (lines are sampled between their points).
    func bestCorner(area: Area, width: Double, height: Double) -> (x: Double, y: Double) {
        let margin = 10.0
        let corners = [(area.right - margin - width, area.top + margin), (area.left + margin, area.top + margin),
                       (area.right - margin - width, area.bottom - margin - height), (area.left + margin, area.bottom - margin - height)]
        var samples: [(x: Double, y: Double)] = []
        for runs in frame.runs {
            for run in runs {
                let pixels = run.map { (x: area.x(frame.x.fraction($0.x)), y: area.y(frame.y.fraction($0.y))) }
                samples += pixels
                guard figure.kind == .line else { continue }
                for (a, b) in zip(pixels, pixels.dropFirst()) {
                    for k in 1..<8 {
                        let t = Double(k) / 8
                        samples.append((a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)))
                    }
                }
            }
        }
        let covered = corners.map { corner in
            samples.filter { $0.x >= corner.0 && $0.x <= corner.0 + width && $0.y >= corner.1 && $0.y <= corner.1 + height }.count
        }
        let best = covered.indices.min { covered[$0] < covered[$1] } ?? 0
        return corners[best]
    }
}

/// One marker centred on (x, y): filled shapes with a thin white rim, open shapes
/// white inside with a coloured outline.
func drawMarker(_ svg: inout SVGWriter, _ marker: Palette.Marker, x: Double, y: Double, size: Double, color: String) {
    let paint: [String: SVGWriter.Value] = marker.isOpen
        ? ["class": "marker", "fill": "#ffffff", "stroke": .text(color), "stroke-width": 1.8]
        : ["class": "marker", "fill": .text(color), "stroke": "#ffffff", "stroke-width": 0.8]
    func n(_ v: Double) -> String { SVGWriter.number(v) }
    switch marker {
    case .circle, .openCircle:
        svg.element("circle", paint.merging(["cx": .number(x), "cy": .number(y), "r": .number(size)]) { $1 })
    case .square, .openSquare:
        let side = size * 1.7
        svg.element("rect", paint.merging(["x": .number(x - side / 2), "y": .number(y - side / 2),
                                           "width": .number(side), "height": .number(side)]) { $1 })
    case .triangle, .openTriangle:
        let r = size * 1.25
        let d = "M\(n(x)) \(n(y - r))L\(n(x + r * 0.87)) \(n(y + r * 0.5))L\(n(x - r * 0.87)) \(n(y + r * 0.5))Z"
        svg.element("path", paint.merging(["d": .text(d)]) { $1 })
    case .diamond, .openDiamond:
        let r = size * 1.25
        let d = "M\(n(x)) \(n(y - r))L\(n(x + r)) \(n(y))L\(n(x)) \(n(y + r))L\(n(x - r)) \(n(y))Z"
        svg.element("path", paint.merging(["d": .text(d)]) { $1 })
    }
}
