import Foundation
import TicketsEngine

/// A table of results: named columns, rows of values. `train` returns one per epoch,
/// `imp` one per pruning level. Prints as aligned columns; `t.acc` is a column as a
/// list, `t[0]` a row as a record, `t.add({...})` appends a row, `save(t, "x.csv")`.
public final class Table: DeclaredMembers {
    public private(set) var columns: [String] {
        didSet { columnIndex = Table.index(columns) }
    }
    /// Where each column sits in `columns`: rows are appended without searching it.
    private var columnIndex: [String: Int]
    public private(set) var rows: [[Value]] = []
    /// Per column: "%" shows fractions as percentages, a printf format ("%.4f") shows
    /// numbers with it; otherwise numbers print as `formatNumber` does.
    public var formats: [String: String]

    /// A line printed below the rows: "(partial: interrupted; the 2 finished levels)".
    public var note: String?

    /// 1 + the nesting of the deepest value in a row (see `maxValueNesting`).
    public private(set) var depth = 1

    public init(columns: [String], formats: [String: String] = [:]) {
        self.columns = columns; self.formats = formats
        columnIndex = Table.index(columns)
    }

    deinit { releaseIteratively(&rows) }
    /// Moves the cells that hold further values into `pending` (see `releaseIteratively`).
    func releaseRows(into pending: inout [Value]) {
        pending.append(contentsOf: rows.flatMap { $0.filter(\.holdsValues) })
        rows = []
    }

    public var typeName: String { "table" }
    public var length: Int? { rows.count }

    /// Appends a row; fields not among the columns become new columns (earlier rows get nil).
    public func add(_ record: RecordRef) throws {
        guard rows.count < Interpreter.maxListItems else {
            throw TicketsError.runtime("the table has \(grouped(Interpreter.maxListItems)) rows, as many as a table may hold")
        }
        let d = record.fields.map { $0.1.nesting }.max() ?? 0
        guard d < maxValueNesting else {
            throw TicketsError.runtime("values may nest at most \(maxValueNesting) deep (lists in lists, tables in tables)")
        }
        depth = max(depth, d + 1)
        addColumns(record.fields.map(\.0))
        var row = [Value](repeating: .null, count: columns.count)
        for (k, v) in record.fields { row[columnIndex[k]!] = v }
        rows.append(row)
    }

    /// Appends a row of plain values (numbers, strings, nil, engine objects) made by a
    /// builtin; fields not among the columns become new columns.
    func appendRow(_ fields: [(String, Value)]) {
        addColumns(fields.map(\.0))
        var row = [Value](repeating: .null, count: columns.count)
        for (k, v) in fields { row[columnIndex[k]!] = v }
        rows.append(row)
    }

    /// Appends a row whose values are in column order, one for each column (a loader's
    /// rows, checked by the loader).
    func appendRowValues(_ values: [Value]) {
        rows.append(values)
    }

    /// The names not yet among the columns become columns (earlier rows get nil).
    private func addColumns(_ names: [String]) {
        let new = names.filter { columnIndex[$0] == nil }
        guard !new.isEmpty else { return }
        var added = columns, seen = Set<String>()
        for k in new where seen.insert(k).inserted { added.append(k) }
        for i in rows.indices { rows[i].append(contentsOf: repeatElement(.null, count: added.count - columns.count)) }
        columns = added
    }

    private static func index(_ columns: [String]) -> [String: Int] {
        var index: [String: Int] = [:]
        for (i, c) in columns.enumerated() where index[c] == nil { index[c] = i }
        return index
    }

    public func row(_ i: Int) -> RecordRef { RecordRef(Array(zip(columns, rows[i]))) }

    public func column(_ name: String) -> [Value]? {
        columnIndex[name].map { c in rows.map { $0[c] } }
    }

    public static let members: [Member<Table>] = [
        Member("columns", "the column names") { .list($0.columns.map { .string($0) }) },
        Member("rows", "every row, as a record") { t in .list(t.rows.indices.map { .record(t.row($0)) }) },
        Member("last", "the last row (nil when empty)") { t in t.rows.isEmpty ? .null : .record(t.row(t.rows.count - 1)) },
        Member("add", "t.add(row): appends a record as a row") { t in
            .builtin(Builtin("add", [.record("row", what: "a record like {level: 1, acc: 0.9}", optional: false, "the new row")],
                             signature: "t.add(row)", doc: "Appends a record as a row of the table.") { a in
                try t.add(a.record("row")!)
                return .null
            })
        },
    ]
    /// A column by name: t.acc
    public var extraMemberNames: [String] { columns }
    public func extraMember(_ name: String) -> Value? { column(name).map { .list($0) } }

    public func index(_ i: Value) throws -> Value? {
        guard case .number(let x) = i, x == x.rounded(), abs(x) < 1e15 else {
            if case .string(let s) = i {
                if let col = column(s) { return .list(col) }
                throw TicketsError.runtime("the table has no column \(quoteString(s)); it has \(columns.joined(separator: ", "))")
            }
            throw TicketsError.runtime("a table is indexed by a row number or a column name, got \(describeBrief(i))")
        }
        var k = Int(x)
        if k < 0 { k += rows.count }
        guard k >= 0, k < rows.count else {
            throw TicketsError.runtime("row \(Int(x)) is out of range for a table of \(rows.count) row\(rows.count == 1 ? "" : "s")")
        }
        return .record(row(k))
    }

    func cell(_ v: Value, column: String, _ state: ReprState) -> String {
        guard case .number(let x) = v, x.isFinite else {
            if case .string(let s) = v { return s }
            return v.repr(state)
        }
        switch formats[column] {
        case "%"?: return formatPercent(x)
        case let f? where f.hasPrefix("%"): return String(format: f, x)
        default: return formatNumber(x)
        }
    }

    /// Tables longer than this print their first and last `edgeRows` rows (as pandas).
    static let summaryRows = 60
    static let edgeRows = 10

    /// Aligned columns, right-justified, two spaces apart; a long table in summary.
    public func describe() -> String { describe(full: false) }

    /// Aligned columns; more than `summaryRows` rows show as the first and last
    /// `edgeRows` with a row of "..." between, unless `full`.
    public func describe(full: Bool) -> String {
        if columns.isEmpty { return "(a table with no columns and \(rows.count) row\(rows.count == 1 ? "" : "s"))" }
        let state = ReprState()
        _ = state.enter(self)
        let summary = !full && rows.count > Table.summaryRows
        let shown = summary ? Array(rows.prefix(Table.edgeRows)) + Array(rows.suffix(Table.edgeRows)) : rows
        var body = shown.map { r in zip(columns, r).map { cell($1, column: $0, state) } }
        if summary { body.insert(columns.map { _ in "..." }, at: Table.edgeRows) }
        let widths = columns.indices.map { c in ([columns[c]] + body.map { $0[c] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { String(repeating: " ", count: $1 - $0.count) + $0 }.joined(separator: "  ")
        }
        var text = ([line(columns)] + body.map(line)).joined(separator: "\n")
        if summary { text += "\n(\(rows.count) rows; show(x, all=true) prints every row)" }
        if let note { text += "\n" + note }
        return text
    }

    /// CSV with a header row; numbers at full precision, text quoted when it must be.
    public func csv() -> String {
        func field(_ v: Value) -> String {
            switch v {
            case .null: return ""
            case .number(let x): return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
            default:
                let s: String
                if case .string(let t) = v { s = t } else { s = v.repr(ReprState.inside(self)) }
                return s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                    ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
            }
        }
        return ([columns.map { field(.string($0)) }] + rows.map { $0.map(field) })
            .map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
