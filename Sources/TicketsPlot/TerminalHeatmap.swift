/// The terminal drawing of a heat map: shaded cells (block characters, or background
/// colours with `color`), row labels on the left, column labels on top, each cell's
/// value when it fits, and a value scale underneath.
///
/// A matrix larger than the terminal is averaged down to one character per block of
/// values, and says so; long column labels become numbers with a key below.
struct TerminalHeatmap {
    let map: Heatmap
    let title: String
    let width: Int
    let height: Int
    let ascii: Bool
    let color: Bool
    let skipped: Int

    init(figure: Figure, width: Int, height: Int, style: TerminalStyle, color: Bool) throws {
        skipped = try figure.validate().skippedPoints
        guard let map = figure.heatmap else { throw PlotError("the heat map has no values") }
        self.map = map
        title = figure.title
        self.width = width
        self.height = height
        ascii = style == .ascii
        self.color = color
    }

    func render() -> String {
        let matrix = HeatmapCells(map)
        let rowLabels = matrix.rowLabels, columnLabels = matrix.columnLabels
        let labelWidth = min(rowLabels.map(\.count).max() ?? 1, max(4, width / 4))
        let availableColumns = width - labelWidth - 1
        let shrinkColumns = matrix.columns > availableColumns
        let shownColumns = shrinkColumns ? availableColumns : matrix.columns
        // Cells up to 10 characters wide, or wider (up to 16) to hold their column labels.
        let widest = min(16, max(10, (columnLabels.map(\.count).max() ?? 0) + 1))
        var cellWidth = shrinkColumns ? 1 : min(widest, availableColumns / matrix.columns)

        let valueWidth = map.values.joined().filter(\.isFinite).map { formatFixed($0, decimals: matrix.decimals).count }.max() ?? 1
        // Every value is as wide as the widest (right-aligned), and a cell leaves as much
        // shade on its right as on its left: cells look as even as they are.
        let valueText = { (v: Double) -> String in
            let t = formatFixed(v, decimals: matrix.decimals)
            return String(repeating: " ", count: max(0, valueWidth - t.count)) + t
        }
        if !shrinkColumns, cellWidth > valueWidth + 4, (cellWidth - valueWidth) % 2 != 0 { cellWidth -= 1 }
        // Column labels stand over their cells with a space between neighbours, or
        // become numbers with a key underneath.
        let labelsFit = !shrinkColumns && columnLabels.allSatisfy { $0.count <= cellWidth - 1 }
        let numbersFit = !shrinkColumns && String(matrix.columns).count <= cellWidth - 1
        var key = labelsFit || !numbersFit ? [] : keyLines(columnLabels)
        if key.count > max(1, height / 4) { key = ["(columns numbered in order: their labels are too long to show here)"] }

        // Rows are averaged into blocks when the matrix is taller than the space left,
        // which costs one more line for the note that says so.
        let baseRows = (title.isEmpty ? 0 : 1) + 1 + 2 + key.count + (skipped > 0 ? 1 : 0)
        let averaged = shrinkColumns || matrix.rows > max(2, height - baseRows)
        let notes = self.notes(matrix: matrix, averaged: averaged)
        let fixedRows = baseRows + (averaged ? 1 : 0)
        let availableRows = max(2, height - fixedRows)
        let shrinkRows = matrix.rows > availableRows
        let shownRows = shrinkRows ? availableRows : matrix.rows
        let cellHeight = shrinkRows ? 1 : max(1, min(3, availableRows / matrix.rows, cellWidth / 3))
        let showValues = (map.showValues ?? true) && !shrinkRows && !shrinkColumns && cellWidth >= valueWidth + 2

        let scaleWidth = labelWidth + 1 + 2 * valueText(matrix.range.hi).count + 20
        let gridWidth = min(width, ([labelWidth + 1 + shownColumns * cellWidth, scaleWidth, title.count] + (key + notes).map(\.count)).max() ?? width)
        var grid = TextGrid(width: gridWidth, height: fixedRows + shownRows * cellHeight + 1)
        var row = 0
        if !title.isEmpty {
            grid.write(truncate(title, to: gridWidth, ascii: ascii), row: 0, column: 0)
            row += 1
        }
        let left = labelWidth + 1
        if labelsFit || numbersFit {
            for c in 0..<matrix.columns {
                let text = labelsFit ? columnLabels[c] : String(c + 1)
                grid.write(text, row: row, column: left + c * cellWidth + (cellWidth - text.count) / 2)
            }
        }
        row += 1
        for r in 0..<shownRows {
            let rows = block(r, of: matrix.rows, into: shownRows)
            if !shrinkRows {
                let label = truncate(rowLabels[r], to: labelWidth, ascii: ascii)
                grid.write(String(repeating: " ", count: labelWidth - label.count) + label, row: row + cellHeight / 2, column: 0)
            }
            for c in 0..<shownColumns {
                let value = matrix.mean(rows: rows, columns: block(c, of: matrix.columns, into: shownColumns))
                let text = showValues && value.isFinite ? valueText(value) : ""
                drawCell(&grid, value: value, t: matrix.position(value), text: text,
                         row: row, column: left + c * cellWidth, width: cellWidth, height: cellHeight)
            }
            row += cellHeight
        }
        row += 1
        drawScale(&grid, row: row, column: left, lo: valueText(matrix.range.lo), hi: valueText(matrix.range.hi))
        row += 1
        for line in key + notes {
            grid.write(line, row: row, column: 0)
            row += 1
        }
        return grid.render(color: color)
    }

    /// The matrix rows (or columns) that display row `i` of `shown` stands for.
    func block(_ i: Int, of total: Int, into shown: Int) -> Range<Int> {
        let start = i * total / shown, end = max(start + 1, (i + 1) * total / shown)
        return start..<end
    }

    /// One cell: its shade (or background colour), with its value written in the middle
    /// row; without colour the value keeps a shade character on either side if it can.
    func drawCell(_ grid: inout TextGrid, value: Double, t: Double, text: String,
                  row: Int, column: Int, width: Int, height: Int) {
        let clamped = min(1, max(0, t.isFinite ? t : 0))
        let shades = ascii ? Palette.asciiShades : Palette.unicodeShades
        // The blank first shade is kept for missing values: every number shows.
        let shade: Character = value.isFinite ? shades[1 + Int((clamped * Double(shades.count - 2)).rounded())] : " "
        let rgb = Palette.viridis(clamped)
        let fill: Int? = color && value.isFinite ? rgb.ansi256 : nil
        let ink = rgb.luminance < 0.5 ? 231 : 16
        for r in 0..<height {
            for c in 0..<width {
                grid.put(color ? " " : shade, row: row + r, column: column + c, color: nil, background: fill)
            }
        }
        guard !text.isEmpty else { return }
        let padded = !color && width >= text.count + 4 ? " " + text + " " : text
        let start = column + (width - padded.count) / 2
        grid.write(padded, row: row + height / 2, column: start, color: color ? ink : nil, background: fill)
    }

    /// "0.00 ░░▒▒▓▓██ 1.00": the shades (or colours) from the low end of the scale to the high.
    func drawScale(_ grid: inout TextGrid, row: Int, column: Int, lo: String, hi: String) {
        grid.write(lo, row: row, column: column)
        var c = column + lo.count + 1
        if color {
            for i in 0..<16 {
                grid.put(" ", row: row, column: c, background: Palette.viridis(Double(i) / 15).ansi256)
                c += 1
            }
        } else {
            for shade in (ascii ? Palette.asciiShades : Palette.unicodeShades).dropFirst() {
                grid.put(shade, row: row, column: c)
                grid.put(shade, row: row, column: c + 1)
                c += 2
            }
        }
        grid.write(hi, row: row, column: c + 1)
    }

    /// "columns: 1 = seed 0, 2 = seed 1, ..." wrapped to the width, when the labels
    /// are too long to stand over their columns.
    func keyLines(_ labels: [String]) -> [String] {
        var lines: [String] = [], line = "columns:"
        for (i, label) in labels.enumerated() {
            let entry = " \(i + 1) = \(label)" + (i + 1 < labels.count ? "," : "")
            if line.count + entry.count > width && line.count > 9 {
                lines.append(line)
                line = "        "
            }
            line += entry
        }
        lines.append(line)
        return lines
    }

    /// Notes under the scale: blank cells and averaging, when either happened.
    func notes(matrix: HeatmapCells, averaged: Bool) -> [String] {
        var notes: [String] = []
        if skipped > 0 { notes.append("(\(skipped) non-finite value\(skipped == 1 ? "" : "s") left blank)") }
        if averaged {
            notes.append("(\(matrix.rows) \(ascii ? "x" : "×") \(matrix.columns) values averaged into blocks to fit)")
        }
        return notes
    }
}
