/// The SVG drawing of a heat map: viridis-coloured cells with their values written in
/// them when they fit (white on dark cells, black on light), row labels on the left,
/// column labels underneath (slanted when long), and a colour bar with ticks.
///
/// Matrices over 120 rows or columns are averaged into blocks first, so that the file
/// stays small; the document's description says so.
struct SVGHeatmap {
    let figure: Figure
    let map: Heatmap
    let width: Double
    let height: Double
    let skipped: Int

    /// The most cells drawn along either side.
    static let maxCells = 120

    init(figure: Figure, width: Int, height: Int) throws {
        skipped = try figure.validate().skippedPoints
        guard let map = figure.heatmap else { throw PlotError("the heat map has no values") }
        self.figure = figure
        self.map = map
        self.width = Double(width)
        self.height = Double(height)
    }

    func render() -> String {
        let cells = HeatmapCells(map)
        let shownRows = min(cells.rows, SVGHeatmap.maxCells), shownColumns = min(cells.columns, SVGHeatmap.maxCells)
        let averaged = shownRows < cells.rows || shownColumns < cells.columns
        var svg = SVGWriter()
        svg.textElement("title", figure.title.isEmpty ? "heat map" : figure.title)
        var notes: [String] = []
        if skipped > 0 { notes.append("\(skipped) non-finite value\(skipped == 1 ? "" : "s") left blank") }
        if averaged { notes.append("\(cells.rows) × \(cells.columns) values averaged into \(shownRows) × \(shownColumns) blocks") }
        if !notes.isEmpty { svg.textElement("desc", notes.joined(separator: "; ")) }
        svg.element("rect", ["x": 0, "y": 0, "width": .number(width), "height": .number(height), "fill": "#ffffff"])

        // Room for the labels, then the largest square cells that fit.
        let labelSize = SVGType.tick
        let rowLabelWidth = averaged ? 0 : (cells.rowLabels.map { textWidth($0, size: labelSize) }.max() ?? 0)
        let columnLabelWidth = averaged ? 0 : (cells.columnLabels.map { textWidth($0, size: labelSize) }.max() ?? 0)
        let top = figure.title.isEmpty ? 18 : 26 + SVGType.title
        let left = 16 + rowLabelWidth + 8
        let barRoom = 16 + 18 + 8 + textWidth(formatFixed(-cells.range.hi, decimals: cells.decimals), size: labelSize) + 16
        var cell = min((width - left - barRoom) / Double(shownColumns), (height - top - 16 - labelSize - 8) / Double(shownRows))
        let slanted = !averaged && columnLabelWidth + 6 > cell
        let labelDepth = averaged ? 0 : (slanted ? columnLabelWidth * 0.72 + labelSize : labelSize + 4)
        cell = max(1, min(cell, (height - top - 16 - labelDepth - 8) / Double(shownRows)))
        let gridWidth = cell * Double(shownColumns), gridHeight = cell * Double(shownRows)
        let gridLeft = left + max(0, (width - left - barRoom - gridWidth) / 2)

        let valueSize = min(SVGType.tick, cell * 0.32)
        let widestValue = map.values.joined().filter(\.isFinite).map { textWidth(formatFixed($0, decimals: cells.decimals), size: valueSize) }.max() ?? 0
        let showValues = (map.showValues ?? true) && !averaged && valueSize >= 9 && widestValue + 6 <= cell

        svg.open("g", ["class": "cells"])
        for r in 0..<shownRows {
            let rows = block(r, of: cells.rows, into: shownRows)
            for c in 0..<shownColumns {
                let value = cells.mean(rows: rows, columns: block(c, of: cells.columns, into: shownColumns))
                let color = value.isFinite ? Palette.viridis(cells.position(value)) : RGB(0xF0, 0xF0, 0xF0)
                let x = gridLeft + Double(c) * cell, y = top + Double(r) * cell
                svg.element("rect", ["class": "cell", "x": .number(x), "y": .number(y), "width": .number(cell + 0.3), "height": .number(cell + 0.3),
                                     "fill": .text(color.hex)])
                if showValues && value.isFinite {
                    svg.text(formatFixed(value, decimals: cells.decimals),
                             ["class": "cell-value", "x": .number(x + cell / 2), "y": .number(y + cell / 2 + valueSize * 0.35),
                              "font-size": .number(valueSize), "text-anchor": "middle", "fill": color.luminance < 0.5 ? "#ffffff" : "#000000"])
                }
            }
        }
        svg.close("g")

        if !averaged {
            svg.open("g", ["font-size": .number(labelSize), "fill": .text(SVGType.ink)])
            for (r, label) in cells.rowLabels.enumerated() {
                svg.text(label, ["class": "row-label", "x": .number(gridLeft - 8), "y": .number(top + (Double(r) + 0.5) * cell + labelSize * 0.35),
                                 "text-anchor": "end"])
            }
            for (c, label) in cells.columnLabels.enumerated() {
                let x = gridLeft + (Double(c) + 0.5) * cell, y = top + gridHeight + 8 + labelSize * 0.8
                var attributes: [String: SVGWriter.Value] = ["class": "column-label", "x": .number(x), "y": .number(y), "text-anchor": "middle"]
                if slanted {
                    attributes["text-anchor"] = "end"
                    attributes["transform"] = .text("rotate(-40 \(SVGWriter.number(x)) \(SVGWriter.number(y)))")
                }
                svg.text(label, attributes)
            }
            svg.close("g")
        }
        drawColorBar(&svg, cells: cells, x: gridLeft + gridWidth + 16, top: top, height: gridHeight)
        if !figure.title.isEmpty {
            svg.text(figure.title, ["class": "title", "x": .number(width / 2), "y": .number(14 + SVGType.title * 0.8),
                                    "font-size": .number(SVGType.title), "font-weight": "bold", "text-anchor": "middle", "fill": .text(SVGType.ink)])
        }
        return svg.document(width: Int(width), height: Int(height))
    }

    /// The matrix rows (or columns) that drawn row `i` of `shown` stands for.
    func block(_ i: Int, of total: Int, into shown: Int) -> Range<Int> {
        let start = i * total / shown, end = max(start + 1, (i + 1) * total / shown)
        return start..<end
    }

    /// A vertical colour scale beside the cells: 64 bands from the low value at the
    /// bottom to the high at the top, with ticks at readable values.
    func drawColorBar(_ svg: inout SVGWriter, cells: HeatmapCells, x: Double, top: Double, height: Double) {
        let bands = 64, barWidth = 18.0
        svg.open("g", ["class": "color-bar"])
        for i in 0..<bands {
            let t = (Double(i) + 0.5) / Double(bands)
            let y = top + height * (1 - Double(i + 1) / Double(bands))
            svg.element("rect", ["x": .number(x), "y": .number(y), "width": .number(barWidth), "height": .number(height / Double(bands) + 0.3),
                                 "fill": .text(Palette.viridis(t).hex)])
        }
        svg.element("rect", ["x": .number(x), "y": .number(top), "width": .number(barWidth), "height": .number(height),
                             "fill": "none", "stroke": .text(SVGType.ink), "stroke-width": 0.8])
        let lo = cells.range.lo, hi = cells.range.hi
        for tick in Ticks.linear(lo, hi, target: max(2, min(6, Int(height / 40)))) {
            let y = top + height * (1 - (tick.value - lo) / (hi - lo))
            svg.element("line", ["x1": .number(x + barWidth), "x2": .number(x + barWidth + 5), "y1": .number(y), "y2": .number(y),
                                 "stroke": .text(SVGType.ink), "stroke-width": 1])
            svg.text(tick.label, ["class": "tick-label", "x": .number(x + barWidth + 8), "y": .number(y + SVGType.tick * 0.35),
                                  "font-size": .number(SVGType.tick), "fill": .text(SVGType.ink)])
        }
        svg.close("g")
    }
}
