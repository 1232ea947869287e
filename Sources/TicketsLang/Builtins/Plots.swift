import TicketsEngine
import TicketsPlot

/// Plots: line and scatter plots of table columns, histograms of values and of a net's
/// weights, heat maps of matrices. Each returns a plot value (see `PlotObject`).
func plotBuiltins() -> [BuiltinGroup] {
    [BuiltinGroup("Plots", [
        Builtin("plot", [
            .any("data", what: "table, list of tables or list of numbers", "a table, several tables (one set of series each, as a ticket and its controls), or numbers drawn against their position"),
            .any("x", what: "column name, or list of numbers", default: .null, "the column along the x axis (default: the first); with a list of numbers, their x values"),
            .any("y", what: "column name or list of names", default: .null, "the column(s) along the y axis, one series each (default: the only other column)"),
            .any("labels", what: "list of strings", default: .null, "the series' names in the legend: one per table, or else one per y column"),
            .choice("kind", ["line", "scatter"], "line", "line: the points joined in order; scatter: the points alone"),
            .bool("logx", false, "a logarithmic x axis"),
            .bool("logy", false, "a logarithmic y axis"),
            Param("reverse_x", .bool, default: .null, "x decreasing to the right (default: true when x is a fraction of weights kept)"),
            .string("title", "", "the title above the plot"),
            .optionalString("xlabel", "the x axis label (default: the x column's name)"),
            .optionalString("ylabel", "the y axis label (default: the y column's name, when there is one)"),
            .any("xlim", what: "list of two numbers", default: .null, "the x axis range [low, high] (default: the data's)"),
            .any("ylim", what: "list of two numbers", default: .null, "the y axis range [low, high] (default: the data's)"),
            Param("ascii", .bool, default: .null, "plain characters instead of braille at the terminal (default: the TKS_ASCII environment variable)"),
        ], doc: """
        A line (or scatter) plot of a table's columns, a value the prompt draws in the
        terminal and save(p, "fig.svg") writes as a figure. An x column of fractions of
        weights kept (kept, density, or one the table prints as a percentage, as imp's)
        is labelled in percent and decreases to the right, so the LTH figure (Frankle &
        Carbin 2019, Fig. 4: accuracy against weights remaining, log scale) is
          plot(t, x="kept", y=["acc", "reinit_acc", "random_acc"], logx=true)
        Several tables are several series: plot([ticket, control], x="kept", y="acc",
        labels=["ticket", "random"], logx=true). Rows where x or y is nil are left out.
        plot(h.loss) draws a list of numbers against 0, 1, 2, ...
        """) { a in
            var figure = try lineFigure(a)
            figure.kind = try a.string("kind") == "scatter" ? .scatter : .line
            figure.title = try a.string("title")
            figure.logX = try a.bool("logx")
            figure.logY = try a.bool("logy")
            if let r = try a.optionalBool("reverse_x") { figure.reverseX = r }
            if let l = try a.optionalString("xlabel") { figure.xLabel = l }
            if let l = try a.optionalString("ylabel") { figure.yLabel = l }
            figure.xAxis.limits = try a.limits("xlim")
            figure.yAxis.limits = try a.limits("ylim")
            return try makePlot(figure, a)
        },
        Builtin("hist", [
            .any("x", what: "list of numbers, net or table", "the values: a list (or range) of numbers, a net (its kept weights), or a table (with column=)"),
            .optionalInt("bins", min: 1, max: Figure.maxBins, "how many bins (default: from the data, as NumPy's \"auto\", at most 60)"),
            .optionalString("layer", "a net's layer whose weights to count (default: every prunable layer)"),
            .optionalString("column", "the table's column to count"),
            .bool("abs", true, "a net's weights as magnitudes |w| (false: signed values)"),
            .bool("logx", false, "a logarithmic x axis (bins equal on it)"),
            .bool("logy", false, "a logarithmic count axis"),
            .string("title", "", "the title (default for a net: whose weights, and how many)"),
            .optionalString("xlabel", "the x axis label (default: |weight|, or the column's name)"),
            Param("ascii", .bool, default: .null, "plain characters instead of braille at the terminal"),
        ], doc: """
        A histogram: how many values fall in each of equal bins. hist(net) counts the
        magnitudes |w| of the weights the net keeps (pruned weights, all exactly zero,
        are left out), so after magnitude pruning (Han et al. 2015) the gap below the
        threshold shows; layer="fc1" counts one layer, abs=false the signed values
        (the initial distribution). hist(t, column="acc") or hist(t.acc) counts a
        column; hist([...]) any numbers.
          hist(net, layer="fc1", bins=40)
        """) { a in
            let x = try a.value("x")
            var values: [Double]
            var figure = Figure.histogram(.values([], bins: nil))
            switch x {
            case .object(let n as NetObject):
                let magnitudes = try a.bool("abs")
                let (w, layers) = try netWeights(n.net, layer: try a.optionalString("layer"), magnitudes: magnitudes, a)
                values = w
                figure.xLabel = magnitudes ? "|weight|" : "weight"
                // Magnitudes from 0, so the gap pruning leaves below its threshold shows.
                if magnitudes, !(try a.bool("logx")), let top = w.max(), top > 0 { figure.xAxis.limits = 0...top }
                figure.title = "\(layers.joined(separator: ", ")) weights (\(grouped(w.count)) kept)"
            case .object(let t as Table):
                guard let column = try a.optionalString("column") else {
                    throw a.fail("column", "is needed to count a table: hist(t, column=\"\(t.columns.last ?? "acc")\") (it has \(t.columns.joined(separator: ", ")))")
                }
                guard !t.rows.isEmpty else { throw a.fail("x", "is an empty table (no rows): there is nothing to count") }
                values = try numericColumn(t, column, argument: "column", table: "the table", a).compactMap { $0 }
                guard !values.isEmpty else { throw a.fail("column", "names \(quoteString(column)), which holds no numbers") }
                figure.xLabel = column
            case .object(_ as MaskObject):
                throw a.fail("x", "is a mask, which holds only 0s and 1s; hist(net) counts the weights the net keeps")
            case .list, .range:
                values = try a.numbers("x")
                guard !values.isEmpty else { throw a.fail("x", "is empty: there is nothing to count") }
            default:
                throw a.fail("x", "must be a list of numbers, a net or a table, got \(describeBrief(x))")
            }
            if try a.bool("logx") {
                let column: String? = if case .object(_ as Table) = x { try a.optionalString("column") } else { nil }
                try checkPositive(values, column: column, argument: column == nil ? "x" : "column", axis: "logx", a)
            }
            figure.histogram = .values(values, bins: try a.optionalInt("bins"))
            figure.logX = try a.bool("logx")
            figure.logY = try a.bool("logy")
            if !(try a.string("title")).isEmpty { figure.title = try a.string("title") }
            if let l = try a.optionalString("xlabel") { figure.xLabel = l }
            return try makePlot(figure, a)
        },
        Builtin("heatmap", [
            .any("x", what: "table or list of lists", "the matrix: a table (its first column labels the rows, the others are the cells) or a list of rows of numbers"),
            .any("labels", what: "list of strings", default: .null, "labels for both the rows and the columns (a square matrix, such as the overlaps of masks)"),
            .any("row_labels", what: "list of strings", default: .null, "labels for the rows"),
            .any("column_labels", what: "list of strings", default: .null, "labels for the columns"),
            .any("range", what: "list of two numbers", default: .null, "the values at the two ends of the colour scale (default: the data's; [0, 1] for overlaps)"),
            Param("values", .bool, default: .null, "write each cell's value in it (default: when the cells are large enough)"),
            .string("title", "", "the title"),
            Param("ascii", .bool, default: .null, "plain characters instead of block shades at the terminal"),
        ], doc: """
        A heat map: a matrix as shaded cells, for overlap matrices (how alike the masks
        of several runs are: overlap(a, b) for each pair) and confusion matrices
        (evaluate(..., confusion=true)). Cells that are nil are left blank.
          heatmap(evaluate(net, data, confusion=true).confusion)
          heatmap([[1, 0.62], [0.62, 1]], labels=["seed 0", "seed 1"], range=[0, 1])
        """) { a in
            let x = try a.value("x")
            var map: Heatmap
            if case .object(let t as Table) = x {
                guard !t.rows.isEmpty else { throw a.fail("x", "is an empty table (no rows): there is nothing to draw") }
                guard t.columns.count >= 2 else {
                    throw a.fail("x", "needs a column of row labels and at least one column of cells; the table has only \(t.columns.joined())")
                }
                let cellColumns = Array(t.columns.dropFirst())
                let columns = try cellColumns.map { c in try numericColumn(t, c, argument: "x", table: "the table", a) }
                let rows = t.rows.indices.map { r in columns.map { $0[r] ?? .nan } }
                let labels = t.rows.map { $0[0].display }
                map = Heatmap(rows, rowLabels: labels, columnLabels: cellColumns)
            } else {
                map = Heatmap(try matrixRows(x, a))
            }
            if let both = try a.names("labels") { map.rowLabels = both; map.columnLabels = both }
            if let rows = try a.names("row_labels") { map.rowLabels = rows }
            if let columns = try a.names("column_labels") { map.columnLabels = columns }
            map.range = try a.limits("range")
            map.showValues = try a.optionalBool("values")
            return try makePlot(Figure.heatmap(map, title: try a.string("title")), a)
        },
    ])]
}

/// The series of `plot` with their axis labels and formats, from tables or numbers.
private func lineFigure(_ a: Args) throws -> Figure {
    guard let tables = try a.plotTables("data") else {
        let ys = try a.numbers("data")
        guard !ys.isEmpty else { throw a.fail("data", "is empty: there is nothing to plot") }
        var xs = ys.indices.map(Double.init)
        if a.has("x") {
            xs = try a.numbers("x")
            guard xs.count == ys.count else { throw a.fail("x", "has \(xs.count) number\(xs.count == 1 ? "" : "s") but data has \(ys.count)") }
        }
        if try a.bool("logx") { try checkPositive(xs, column: nil, argument: "x", axis: "logx", a) }
        if try a.bool("logy") { try checkPositive(ys, column: nil, argument: "data", axis: "logy", a) }
        let name = try a.names("labels")?.first ?? ""
        return Figure.line([Series(name, xs: xs, ys: ys)])
    }
    let first = tables[0]
    let x: String
    switch try a.value("x") {
    case .null: x = first.columns.first ?? "x"
    case .string(let s): x = s
    case let v: throw a.fail("x", "must name a column of the table, got \(describeBrief(v))")
    }
    let ys: [String]
    if let given = try a.names("y") {
        guard !given.isEmpty else { throw a.fail("y", "is an empty list: name at least one column") }
        ys = given
    } else {
        let others = first.columns.filter { $0 != x }
        guard others.count == 1 else {
            throw a.fail("say which column to draw with y=, as y=\"\(others.contains("acc") ? "acc" : others.first ?? "acc")\" (the table has \(first.columns.joined(separator: ", ")))")
        }
        ys = others
    }
    let series = try tableSeries(tables, x: x, ys: ys, labels: try a.names("labels"),
                                 logx: try a.bool("logx"), logy: try a.bool("logy"), a)
    var figure = Figure.line(series,
                             xLabel: x, yLabel: ys.count == 1 ? ys[0] : "")
    if isFractionColumn(first, x) {
        figure.xAxis.format = .percent
        figure.reverseX = true
    }
    if ys.allSatisfy({ first.formats[$0] == "%" }) { figure.yAxis.format = .percent }
    return figure
}

/// A plot value, or the figure's own reason why it cannot be drawn (a log axis over a
/// value ≤ 0, names the axis, the series and the value) as an error of the call.
private func makePlot(_ figure: Figure, _ a: Args) throws -> Value {
    do {
        let display = a.ctx.display
        return .object(try PlotObject(figure, ascii: try a.optionalBool("ascii"), display: display))
    } catch let e as PlotError {
        throw a.fail(e.message)
    }
}
