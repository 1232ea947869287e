import Foundation
import TicketsEngine

/// Reading CSV tables: RFC 4180 fields (commas, double-quoted fields with "" for a
/// quote, line ends \n or \r\n), read from the file's bytes in one pass. The first line
/// names the columns (a UTF-8 byte-order mark before it is dropped); a cell that reads
/// as a number is a number, an empty cell nil, anything else a string.
extension Table {
    public static func fromCSV(_ text: String, name: String) throws -> Table {
        try fromCSV(Array(text.utf8), name: name)
    }

    public static func fromCSV(_ bytes: [UInt8], name: String) throws -> Table {
        var table: Table?
        try parseCSV(bytes, name: name) { fields, line in
            guard let t = table else {
                var seen = Set<String>()
                for h in fields where !seen.insert(h).inserted {
                    throw EngineError.io("\(name): the header names the column \"\(h)\" twice")
                }
                table = Table(columns: fields)
                return
            }
            guard fields.count == t.columns.count else {
                throw EngineError.io("\(name): line \(line) has \(fields.count) fields but the header has \(t.columns.count)")
            }
            try checkSize(rows: t.rows.count + 1, columns: fields.count, name: name)
            t.appendRowValues(try fields.map { try cellValue($0, name: name, line: line) })
        }
        guard let table else { throw EngineError.io("\(name): the file is empty; a CSV table starts with a header line") }
        return table
    }

    static func cellValue(_ s: String, name: String, line: Int) throws -> Value {
        if s.isEmpty { return .null }
        if let x = Double(s), s.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) ?? false {
            guard x.isFinite || s.lowercased().hasSuffix("inf") || s.lowercased().hasSuffix("infinity") else {
                throw EngineError.io("\(name): line \(line): the number \(s) is beyond what Tickets can hold (±1.8e308)")
            }
            return .number(x)
        }
        if s == "nan" { return .number(.nan) }
        return .string(s)
    }

    /// Calls `row` with each record's fields and the line it starts on. Blank lines are
    /// skipped; Ctrl-C stops the reading.
    static func parseCSV(_ bytes: [UInt8], name: String, row onRow: ([String], Int) throws -> Void) throws {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var row: [String] = [], field: [UInt8] = [], quoted = false, atFieldStart = true
        var line = 1, rowLine = 1
        func endField() {
            row.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func endRow() throws {
            endField()
            if !(row.count == 1 && row[0].isEmpty) { try onRow(row, rowLine) }
            row.removeAll(keepingCapacity: true)
        }
        let n = bytes.count
        while i < n {
            if i & 0xFFFF == 0 { try Interrupt.check("reading \(name), at line \(line)") }
            let c = bytes[i]
            if quoted {
                if c == quote {
                    if i + 1 < n && bytes[i + 1] == quote { field.append(quote); i += 1 } else { quoted = false }
                } else if c == cr && i + 1 < n && bytes[i + 1] == newline {
                    // \r\n inside a quoted field is a line end, kept as \n
                } else {
                    if c == newline { line += 1 }
                    field.append(c)
                }
            } else if c == quote && atFieldStart {
                quoted = true
            } else if c == comma {
                endField(); atFieldStart = true; i += 1; continue
            } else if c == newline || (c == cr && i + 1 < n && bytes[i + 1] == newline) {
                if c == cr { i += 1 }
                try endRow()
                line += 1; rowLine = line; atFieldStart = true; i += 1; continue
            } else {
                field.append(c)
            }
            atFieldStart = false
            i += 1
        }
        if quoted { throw EngineError.io("\(name): a quoted field is not closed (it opens before line \(line))") }
        if !field.isEmpty || !row.isEmpty { try endRow() }
    }
}
