import TicketsEngine
import TicketsPlot

/// Reading what a plot draws out of the language's values: columns of tables, lists
/// of numbers, a net's weights. Every mistake is an argument error naming the column,
/// the table or the row at fault.
extension Args {
    /// The data of `plot`: one table, a list of tables (one set of series each), or a
    /// list of numbers (nil tables: the caller plots the numbers themselves).
    func plotTables(_ name: String) throws -> [Table]? {
        switch try value(name) {
        case .object(let t as Table):
            return [t]
        case .list(let l) where !l.items.isEmpty && l.items.allSatisfy({ if case .object(_ as Table) = $0 { true } else { false } }):
            return l.items.compactMap { if case .object(let t as Table) = $0 { t } else { nil } }
        case .list, .range:
            return nil
        case let v:
            throw fail(name, "must be a table, a list of tables or a list of numbers, got \(describeBrief(v))")
        }
    }

    /// A list of strings argument (`y=["acc", "reinit_acc"]`, `labels=`), or one string
    /// as a list of one; nil when left out.
    func names(_ name: String) throws -> [String]? {
        switch try value(name) {
        case .null: return nil
        case .string(let s): return [s]
        case .list(let l):
            return try l.items.map { item in
                guard case .string(let s) = item else { throw fail(name, "must hold strings, got \(describeBrief(item))") }
                return s
            }
        case let v: throw fail(name, "must be a string or a list of strings, got \(describeBrief(v))")
        }
    }

    /// `xlim=[0, 1]`: a range for an axis; nil when left out.
    func limits(_ name: String) throws -> ClosedRange<Double>? {
        guard has(name) else { return nil }
        guard case .list(let l) = try value(name), l.items.count == 2,
              case .number(let lo) = l.items[0], case .number(let hi) = l.items[1] else {
            throw fail(name, "must be a list of two numbers [low, high], got \(try value(name).repr)")
        }
        guard lo.isFinite, hi.isFinite, lo < hi else {
            throw fail(name, "must be [low, high] with low < high, got [\(formatNumber(lo)), \(formatNumber(hi))]")
        }
        return lo...hi
    }

    /// An optional true/false argument (nil when left out).
    func optionalBool(_ name: String) throws -> Bool? { has(name) ? try bool(name) : nil }
}

/// One table's column read as numbers for a plot: nil where a cell is nil (that point
/// is left out), an error where a cell holds text or anything else.
func numericColumn(_ t: Table, _ column: String, argument: String, table: String, _ a: Args) throws -> [Double?] {
    guard let cells = t.column(column) else {
        throw a.fail(argument, "names \(quoteString(column)), which \(table) does not have (it has \(t.columns.joined(separator: ", ")))")
    }
    return try cells.enumerated().map { row, cell in
        switch cell {
        case .number(let x): return x
        case .null: return nil
        default:
            throw a.fail(argument, "names \(quoteString(column)), which holds \(describeBrief(cell)) in row \(row), not a number")
        }
    }
}

/// The series of `plot` over tables: one per table and y column, each the rows where
/// both x and y hold numbers. `labels` name the tables when there are several, else
/// the y columns.
func tableSeries(_ tables: [Table], x: String, ys: [String], labels: [String]?,
                 logx: Bool, logy: Bool, _ a: Args) throws -> [Series] {
    let expected = tables.count > 1 ? tables.count : ys.count
    if let labels, labels.count != expected {
        let what = tables.count > 1 ? "one per table" : "one per y column"
        throw a.fail("labels", "must name \(expected) series (\(what)), got \(labels.count)")
    }
    var series: [Series] = []
    for (i, t) in tables.enumerated() {
        let which = tables.count > 1 ? "table \(i + 1)" : "the table"
        guard !t.rows.isEmpty else {
            throw a.fail("data", tables.count > 1 ? "holds an empty table (table \(i + 1) has no rows)" : "is an empty table (no rows): there is nothing to plot")
        }
        let xs = try numericColumn(t, x, argument: "x", table: which, a)
        if logx { try checkPositive(xs, column: x, argument: "x", axis: "logx", a) }
        for y in ys {
            let values = try numericColumn(t, y, argument: "y", table: which, a)
            if logy { try checkPositive(values, column: y, argument: "y", axis: "logy", a) }
            let points = zip(xs, values).compactMap { px, py in px.flatMap { x in py.map { (x, $0) } } }
            guard !points.isEmpty else {
                throw a.fail("y", "names \(quoteString(y)), which holds no numbers\(tables.count > 1 ? " in \(which)" : "") (every row has nil in \(quoteString(x)) or \(quoteString(y)))")
            }
            let name: String
            if tables.count > 1 {
                let base = labels?[i] ?? "table \(i + 1)"
                name = ys.count > 1 ? "\(base) \(y)" : base
            } else {
                name = labels?[ys.firstIndex(of: y) ?? 0] ?? (ys.count > 1 ? y : "")
            }
            series.append(Series(name, xs: points.map(\.0), ys: points.map(\.1)))
        }
    }
    return series
}

/// A log axis shows only values > 0: the first that is not, named by column and row.
/// `column` is nil for a list of numbers.
func checkPositive(_ cells: [Double?], column: String?, argument: String, axis: String, _ a: Args) throws {
    guard let row = cells.firstIndex(where: { $0.map { $0 <= 0 } ?? false }), let v = cells[row] else { return }
    let culprit = column.map { "names \(quoteString($0)), which holds \(formatNumber(v)) in row \(row)" }
        ?? "holds \(formatNumber(v)) at position \(row)"
    throw a.fail(argument, "\(culprit); \(axis)=true needs values > 0 (a log axis has no place for 0 or less)")
}

/// Whether a table column holds fractions of weights kept: `kept`, `density`, or any
/// column the table prints as a percentage (imp's kept and per-layer columns). Such an
/// x axis is labelled in percent and, by default, decreases to the right.
func isFractionColumn(_ t: Table, _ column: String) -> Bool {
    column == "kept" || column == "density" || t.formats[column] == "%"
}

/// The values `hist` counts from a net: the magnitudes (or signed values) of the
/// weights its mask keeps, in one layer or all prunable layers. Pruned weights are
/// left out: they are all exactly zero and would hide the rest in one bar.
func netWeights(_ net: Network, layer: String?, magnitudes: Bool, _ a: Args) throws -> (values: [Double], layers: [String]) {
    var chosen = net.prunable
    if let layer {
        chosen = chosen.filter { $0.name == layer }
        guard !chosen.isEmpty else {
            throw a.fail("layer", "names \(quoteString(layer)), which the net does not have (it has \(net.prunableNames.joined(separator: ", ")))")
        }
    }
    var values: [Double] = []
    for (_, weight) in chosen {
        let w = weight.value.data, mask = weight.mask?.data
        values.reserveCapacity(values.count + w.count)
        for i in w.indices where mask.map({ $0[i] != 0 }) ?? true {
            values.append(magnitudes ? Double(abs(w[i])) : Double(w[i]))
        }
    }
    guard !values.isEmpty else { throw a.fail("x", "the net keeps no weights\(layer.map { " in \($0)" } ?? ""): there is nothing to count") }
    return (values, chosen.map(\.name))
}

/// The rows of `heatmap`: a list of lists of numbers (nil cells are left blank).
func matrixRows(_ v: Value, _ a: Args) throws -> [[Double]] {
    guard case .list(let rows) = v, !rows.items.isEmpty else {
        throw a.fail("x", "must be a table or a non-empty list of rows (lists of numbers), got \(describeBrief(v))")
    }
    return try rows.items.enumerated().map { r, row in
        guard case .list(let cells) = row else { throw a.fail("x", "must be a list of rows, but row \(r) is \(describeBrief(row))") }
        return try cells.items.enumerated().map { c, cell in
            switch cell {
            case .number(let x): return x
            case .null: return .nan
            default: throw a.fail("x", "holds \(describeBrief(cell)) at row \(r), column \(c), not a number")
            }
        }
    }
}
