/// How a terminal plot draws: Unicode braille and block characters, or plain ASCII.
public enum TerminalStyle: Sendable, Equatable {
    /// Braille dots (2 × 4 per cell) for lines and points, block characters for bars
    /// and heat maps, box-drawing characters for the axes.
    case braille
    /// Only printable ASCII: one character per series, '#' bars, a shade ramp of
    /// punctuation for heat maps.
    case ascii
}

/// The smallest terminal plot drawn; smaller sizes are raised to this.
public let minimumTerminalSize = (width: 32, height: 10)

/// The largest terminal plot drawn; larger sizes are lowered to this.
public let maximumTerminalSize = (width: 1000, height: 500)

/// Draws a figure as text for a terminal of `width` columns and `height` rows.
///
/// Lines and points use braille dots (or one ASCII character per series), with tick
/// labels on the left and at the bottom, the axis labels, a title and a legend naming
/// each series by its marker and colour. Without `color` there are no ANSI escape
/// codes at all. The result has at most `height` lines of at most `width` characters
/// (sizes are kept between `minimumTerminalSize` and `maximumTerminalSize`), and ends
/// with a newline. Throws the figure's `PlotError` if it cannot be drawn.
///
///     print(try renderTerminal(figure, width: 80, height: 24, style: .braille, color: true))
public func renderTerminal(_ figure: Figure, width: Int = 80, height: Int = 24,
                           style: TerminalStyle = .braille, color: Bool = false) throws -> String {
    let width = min(max(width, minimumTerminalSize.width), maximumTerminalSize.width)
    let height = min(max(height, minimumTerminalSize.height), maximumTerminalSize.height)
    if figure.kind == .heatmap {
        return try TerminalHeatmap(figure: figure, width: width, height: height, style: style, color: color).render()
    }
    return try TerminalPlot(figure: figure, width: width, height: height, style: style, color: color).render()
}

/// The terminal drawing of a line, scatter or histogram figure.
struct TerminalPlot {
    let figure: Figure
    var frame: PlotFrame
    /// Whether the frame's y range was rounded to the ticks for this size yet.
    var rounded = false
    let width: Int
    let height: Int
    let ascii: Bool
    let color: Bool

    init(figure: Figure, width: Int, height: Int, style: TerminalStyle, color: Bool) throws {
        self.figure = figure
        frame = try PlotFrame(figure)
        self.width = width
        self.height = height
        ascii = style == .ascii
        self.color = color
    }

    var dotsPerCell: (across: Int, down: Int) { ascii ? (1, 1) : (2, 4) }

    /// One legend entry: the glyph that marks the series, its colour and its name.
    struct LegendEntry {
        let glyph: String
        let color: Int
        let name: String
        var width: Int { glyph.count + 1 + name.count }
    }

    func render() -> String {
        var legend = wrap(legendEntries(), width: width)
        var note = frame.skipped > 0 ? "(\(frame.skipped) non-finite point\(frame.skipped == 1 ? "" : "s") skipped)" : ""
        var xLabel = figure.xLabel, yLabel = figure.yLabel
        func linesAround() -> (top: Int, bottom: Int) {
            ((figure.title.isEmpty ? 0 : 1) + (yLabel.isEmpty ? 0 : 1),
             2 + (xLabel.isEmpty ? 0 : 1) + legend.count + (note.isEmpty ? 0 : 1))
        }
        // The plot keeps at least 3 rows: in a small window the note, the axis labels
        // and the legend's extra lines give way, in that order.
        while linesAround().top + linesAround().bottom + 3 > height {
            if !note.isEmpty {
                note = ""
            } else if !yLabel.isEmpty {
                yLabel = ""
            } else if !xLabel.isEmpty {
                xLabel = ""
            } else if legend.count > 1 {
                legend.removeLast()
            } else {
                break
            }
        }
        let (top, bottom) = linesAround()
        let plotRows = max(3, height - top - bottom)

        let yTarget = max(2, min(10, Int((Double(plotRows) / 2.5).rounded(.up))))
        if !rounded {
            var plot = self
            plot.frame = frame.roundedY(target: yTarget)
            plot.rounded = true
            return plot.render()
        }
        let yTicks = frame.yTicks(for: figure.yAxis, target: yTarget, unicode: !ascii)
        let labelWidth = yTicks.map(\.label.count).max() ?? 0
        let left = labelWidth + 2
        let plotColumns = max(8, width - left - 2)
        var grid = TextGrid(width: left + plotColumns + 2, height: top + plotRows + bottom)

        if !figure.title.isEmpty {
            let title = truncate(figure.title, to: grid.width, ascii: ascii)
            grid.write(title, row: 0, column: max(0, min(left + (plotColumns - title.count) / 2, grid.width - title.count)))
        }
        if !yLabel.isEmpty {
            grid.write(truncate(yLabel, to: grid.width, ascii: ascii), row: top - 1, column: 0)
        }
        drawAxes(&grid, yTicks: yTicks, top: top, left: left, rows: plotRows, columns: plotColumns, labelWidth: labelWidth)
        if figure.kind == .histogram {
            drawBars(&grid, top: top, left: left, rows: plotRows, columns: plotColumns)
        } else {
            drawSeries(&grid, top: top, left: left, rows: plotRows, columns: plotColumns)
        }

        var row = top + plotRows + 2
        if !xLabel.isEmpty {
            let label = truncate(xLabel, to: grid.width, ascii: ascii)
            grid.write(label, row: row, column: max(0, min(left + (plotColumns - label.count) / 2, grid.width - label.count)))
            row += 1
        }
        for line in legend {
            var column = left
            if line.reduce(0, { $0 + $1.width + 3 }) - 3 > grid.width - left { column = 0 }
            for entry in line {
                grid.write(entry.glyph, row: row, column: column, color: entry.color)
                grid.write(truncate(entry.name, to: grid.width - column - entry.glyph.count - 1, ascii: ascii),
                           row: row, column: column + entry.glyph.count + 1)
                column += entry.width + 3
            }
            row += 1
        }
        if !note.isEmpty { grid.write(note, row: row, column: left) }
        return grid.render(color: color)
    }

    /// The column of the plot area (0-based) where a fraction of the x axis falls,
    /// matching the dot the canvas draws there.
    func column(_ fraction: Double, columns: Int) -> Int {
        let dots = columns * dotsPerCell.across
        return Int((fraction * Double(dots - 1)).rounded()) / dotsPerCell.across
    }

    /// The row of the plot area (0 at the top) where a fraction of the y axis falls.
    func row(_ fraction: Double, rows: Int) -> Int {
        let dots = rows * dotsPerCell.down
        return Int(((1 - fraction) * Double(dots - 1)).rounded()) / dotsPerCell.down
    }

    /// The y axis with its tick labels, and the x axis with as many tick labels as fit
    /// side by side without touching.
    func drawAxes(_ grid: inout TextGrid, yTicks: [Tick], top: Int, left: Int, rows: Int, columns: Int, labelWidth: Int) {
        let vertical: Character = ascii ? "|" : "│", yTick: Character = ascii ? "+" : "┤"
        let horizontal: Character = ascii ? "-" : "─", xTick: Character = ascii ? "+" : "┬"
        for r in 0..<rows { grid.put(vertical, row: top + r, column: left - 1) }
        var usedRows = Set<Int>()
        for tick in yTicks {
            let f = frame.y.fraction(tick.value)
            guard f > -1e-9, f < 1 + 1e-9 else { continue }
            let r = row(f, rows: rows)
            guard usedRows.insert(r).inserted else { continue }
            grid.put(yTick, row: top + r, column: left - 1)
            grid.write(String(repeating: " ", count: labelWidth - tick.label.count) + tick.label, row: top + r, column: 0)
        }
        let axisRow = top + rows
        grid.put(ascii ? "+" : "└", row: axisRow, column: left - 1)
        for c in 0..<columns { grid.put(horizontal, row: axisRow, column: left + c) }
        var previousEnd = -1
        for (c, label) in xTickPlacement(columns: columns) {
            grid.put(xTick, row: axisRow, column: left + c)
            let start = max(0, min(left + c - label.count / 2, grid.width - label.count))
            guard start > previousEnd else { continue }
            grid.write(label, row: axisRow + 1, column: start)
            previousEnd = start + label.count
        }
    }

    /// The x ticks and their columns: the most ticks (up to one per 7 columns, or 4) whose
    /// labels stand apart by at least two spaces.
    func xTickPlacement(columns: Int) -> [(column: Int, label: String)] {
        var target = max(4, columns / 7)
        while true {
            var placed: [(column: Int, label: String)] = []
            for tick in frame.x.ticks(for: figure.xAxis, target: target, unicode: !ascii) {
                let f = frame.x.fraction(tick.value)
                guard f > -1e-9, f < 1 + 1e-9 else { continue }
                placed.append((column(f, columns: columns), tick.label))
            }
            placed.sort { $0.column < $1.column }
            var apart = true
            for i in placed.indices.dropFirst() {
                let a = placed[i - 1], b = placed[i]
                let gap: Int = (a.label.count + b.label.count + 1) / 2 + 2
                if b.column - a.column < gap { apart = false }
            }
            if apart || target <= 2 { return placed }
            target -= 1
        }
    }

    /// Each series as braille (or ASCII) lines or dots, with a marker glyph at every
    /// data point when the series has few enough points for markers to stand apart.
    func drawSeries(_ grid: inout TextGrid, top: Int, left: Int, rows: Int, columns: Int) {
        var canvas = DotCanvas(columns: columns, rows: rows, dotsPerCell: dotsPerCell)
        var markers: [Int: Int] = [:]   // cell index → series
        for (s, runs) in frame.runs.enumerated() {
            let fractions = runs.map { $0.map { (x: frame.x.fraction($0.x), y: frame.y.fraction($0.y)) } }
            for run in fractions {
                if figure.kind == .line && run.count > 1 {
                    for (a, b) in zip(run, run.dropFirst()) {
                        guard let clipped = clipToUnitSquare(a, b) else { continue }
                        canvas.line(from: canvas.dot(fx: clipped.a.x, fy: clipped.a.y),
                                    to: canvas.dot(fx: clipped.b.x, fy: clipped.b.y), series: s)
                    }
                }
                for p in run where (0...1).contains(p.x) && (0...1).contains(p.y) {
                    let d = canvas.dot(fx: p.x, fy: p.y)
                    canvas.set(x: d.x, y: d.y, series: s)
                }
            }
            if showsMarkers(series: s) {
                for p in fractions.joined() where (0...1).contains(p.x) && (0...1).contains(p.y) {
                    markers[row(p.y, rows: rows) * columns + column(p.x, columns: columns)] = s
                }
            }
        }
        for r in 0..<rows {
            for c in 0..<columns {
                if let s = markers[r * columns + c] {
                    grid.put(Palette.marker(s).glyph, row: top + r, column: left + c, color: Palette.terminalColor(s))
                } else if let s = canvas.owner(column: c, row: r) {
                    let glyph = ascii ? Palette.asciiMark(s) : canvas.character(column: c, row: r)
                    grid.put(glyph, row: top + r, column: left + c, color: Palette.terminalColor(s))
                }
            }
        }
    }

    /// Markers are drawn (braille style only: in ASCII the series' character already
    /// marks every point) when a series has at most one point per three columns or so.
    func showsMarkers(series s: Int) -> Bool {
        !ascii && frame.runs[s].reduce(0) { $0 + $1.count } <= max(2, (width - 12) / 3)
    }

    /// Histogram bars: each column shows the bin under its centre, its height in
    /// eighths of a row with block characters (whole rows of '#' in ASCII).
    func drawBars(_ grid: inout TextGrid, top: Int, left: Int, rows: Int, columns: Int) {
        guard let bins = frame.bins else { return }
        let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let barColor = Palette.terminalColor(0)
        for c in 0..<columns {
            let value = frame.x.value(at: (Double(c) + 0.5) / Double(columns))
            guard let bin = binIndex(of: value, edges: bins.edges), bins.counts[bin] > 0 else { continue }
            let f = min(1, max(0, frame.y.fraction(bins.counts[bin])))
            let bottom = top + rows - 1
            if ascii {
                let filled = Int((f * Double(rows)).rounded())
                for r in 0..<filled { grid.put("#", row: bottom - r, column: left + c) }
                if filled == 0 { grid.put("_", row: bottom, column: left + c) }
                continue
            }
            let eighths = max(1, Int((f * Double(rows * 8)).rounded()))
            for r in 0..<(eighths / 8) { grid.put("█", row: bottom - r, column: left + c, color: barColor) }
            if eighths % 8 > 0 {
                grid.put(blocks[eighths % 8 - 1], row: bottom - eighths / 8, column: left + c, color: barColor)
            }
        }
    }

    /// The legend: one entry per series, for plots with several series or a named one.
    func legendEntries() -> [LegendEntry] {
        guard figure.kind != .histogram, figure.series.count > 1 || !(figure.series.first?.name.isEmpty ?? true) else { return [] }
        return figure.series.enumerated().map { s, series in
            let glyph: String
            if ascii {
                glyph = String(Palette.asciiMark(s))
            } else if showsMarkers(series: s) {
                glyph = String(Palette.marker(s).glyph)
            } else {
                glyph = figure.kind == .line ? "━━" : "⠿"
            }
            return LegendEntry(glyph: glyph, color: Palette.terminalColor(s),
                               name: series.name.isEmpty ? "series \(s + 1)" : series.name)
        }
    }

    /// Legend entries in lines no wider than `width`, three spaces between entries.
    func wrap(_ entries: [LegendEntry], width: Int) -> [[LegendEntry]] {
        var lines: [[LegendEntry]] = [], current: [LegendEntry] = [], used = 0
        for entry in entries {
            if !current.isEmpty && used + 3 + entry.width > width {
                lines.append(current)
                current = []
                used = 0
            }
            used += (current.isEmpty ? 0 : 3) + entry.width
            current.append(entry)
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}

/// The bin `value` falls in (`edges[i] <= value < edges[i + 1]`, the last bin closed),
/// or nil outside the edges; binary search over the increasing edges.
func binIndex(of value: Double, edges: [Double]) -> Int? {
    guard let first = edges.first, let last = edges.last, value >= first, value <= last else { return nil }
    var lo = 0, hi = edges.count - 1
    while hi - lo > 1 {
        let mid = (lo + hi) / 2
        if value < edges[mid] { hi = mid } else { lo = mid }
    }
    return lo
}
