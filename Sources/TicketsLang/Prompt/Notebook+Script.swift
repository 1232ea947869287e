import Foundation
import TicketsEngine

/// A script run as a notebook (`tks --notebook lesson.tks out.html`): it is cut into
/// cells at its blank lines (never inside a block), a paragraph of comment lines alone
/// becomes prose, and each cell runs as a prompt entry would: the value of its last
/// expression is shown, and an error is shown in the cell without stopping the rest.
extension Notebook {
    /// One paragraph of a script: where it starts (1-based) and its lines.
    struct Paragraph {
        let line: Int
        let lines: [String]
        var isProse: Bool { lines.allSatisfy { $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") } }
        /// The comment lines without their "#".
        var prose: [String] {
            lines.map { line in
                let text = line.trimmingCharacters(in: .whitespaces).dropFirst()
                return String(text.hasPrefix(" ") ? text.dropFirst() : text)
            }
        }
    }

    /// The script cut at blank lines where no block, bracket or string is open.
    static func paragraphs(_ source: String) -> [Paragraph] {
        var out: [Paragraph] = [], current: [String] = [], start = 1
        let lines = source.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        for (i, line) in lines.enumerated() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if current.isEmpty { continue }
                if !Interpreter.isIncomplete(current.joined(separator: "\n")) {
                    out.append(Paragraph(line: start, lines: current))
                    current = []
                    continue
                }
            }
            if current.isEmpty { start = i + 1 }
            current.append(line)
        }
        if !current.isEmpty { out.append(Paragraph(line: start, lines: current)) }
        return out
    }

    /// Runs `source` in `interp` cell by cell. The title is the script's first comment
    /// line, or its file name. `report` hears of each error (the cell shows it too).
    public static func run(script source: String, file: String, in interp: Interpreter,
                           report: (TicketsError) -> Void = { _ in }) -> Notebook {
        var paragraphs = paragraphs(source)
        var notebook = Notebook(title: (file as NSString).lastPathComponent)
        if let first = paragraphs.first, first.isProse {
            notebook.title = first.prose[0]
            var rest = Array(first.lines.dropFirst())
            // A title underlined in the comment ("# =====") loses its underline.
            if let rule = first.prose.dropFirst().first, !rule.isEmpty, rule.allSatisfy({ "=-".contains($0) }) { rest.removeFirst() }
            paragraphs[0] = Paragraph(line: first.line + first.lines.count - rest.count, lines: rest)
            if rest.isEmpty { paragraphs.removeFirst() }
        }
        for p in paragraphs {
            if p.isProse {
                let text = p.prose.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty { notebook.cells.append(.prose(text)) }
                continue
            }
            let code = p.lines.joined(separator: "\n")
            let recorder = CellRecorder(interp.display)
            do {
                // Blank lines before the cell keep its line numbers those of the file.
                let padded = String(repeating: "\n", count: p.line - 1) + code
                if let v = try interp.evalEntry(padded, file: file) { recorder.add(try v.checkedRepr()) }
            } catch {
                interp.endProgressLine()
                let e = TicketsError(wrapping: error)
                recorder.addError(e.render(color: false))
                report(e)
            }
            notebook.cells.append(.code(source: code, outputs: recorder.finish()))
        }
        return notebook
    }
}
