import Foundation
import TicketsEngine

/// The read-eval-print loop. Every entry goes through one catch-and-report point, so
/// no error ends the session; a block is read over several lines until it is complete.
/// Each entry and what it showed is kept in `notebook`, which `:save` writes as a
/// handout. A pasted block (the reader returns it as one text with newlines) runs
/// line by line as if typed; a transcript's `tks>` and `...>` prompts are dropped.
public final class REPL {
    let interp: Interpreter
    let reader: LineReader
    let out: (String) -> Void
    let err: (String) -> Void
    let color: Bool
    /// The session so far: each entry with what it printed, plots as figures.
    public internal(set) var notebook = Notebook(title: "A Tickets session")

    public init(interp: Interpreter, reader: LineReader, color: Bool,
         out: @escaping (String) -> Void, err: @escaping (String) -> Void) {
        self.interp = interp; self.reader = reader; self.color = color; self.out = out; self.err = err
    }

    public static let banner = "Tickets 0.1 — type help() or :help, :quit to leave"

    public func run() {
        out(REPL.banner)
        var buffer = ""
        while true {
            guard let text = reader.readLine(prompt: buffer.isEmpty ? "tks> " : "...> ") else {
                if !buffer.isEmpty { evaluate(buffer) }   // input ended inside a block: say so
                return
            }
            if text == LineInterrupted.marker { buffer = ""; continue }
            Interrupt.clear()   // a Ctrl-C while typing must not stop the entry
            for line in REPL.inputLines(text) {
                guard enter(line, &buffer) else { return }
            }
        }
    }

    /// One line of input, added to the entry being read (or a meta-command, or `?name`).
    /// Returns false to leave.
    func enter(_ line: String, _ buffer: inout String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if buffer.isEmpty, trimmed.hasPrefix(":") {
            reader.addHistory(line)
            return command(trimmed)
        }
        if buffer.isEmpty, trimmed.hasPrefix("?"), trimmed.count > 1 {
            reader.addHistory(line)
            help(String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces), entry: trimmed)
            return true
        }
        buffer += buffer.isEmpty ? line : "\n" + line
        if buffer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { buffer = ""; return true }
        if Interpreter.isIncomplete(buffer) { return true }
        reader.addHistory(buffer)
        evaluate(buffer)
        buffer = ""
        return true
    }

    /// The lines of what the reader returned: one typed line, or the lines of a paste.
    /// A line copied from a transcript or a handout runs without its `tks>` or `...>`
    /// prompt; in a pasted transcript the lines without a prompt are output, not input.
    public static func inputLines(_ text: String) -> [String] {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        guard lines.count > 1 else { return [withoutPrompt(lines[0]) ?? lines[0]] }
        if lines.contains(where: { withoutPrompt($0) != nil }) { return lines.compactMap(withoutPrompt) }
        return lines
    }

    /// The line after a leading `tks>` or `...>` prompt; nil when it has none.
    static func withoutPrompt(_ line: String) -> String? {
        let start = line.drop(while: { $0 == " " })
        for prompt in ["tks>", "...>"] where start.hasPrefix(prompt) {
            let rest = start.dropFirst(prompt.count)
            if rest.isEmpty { return "" }
            if rest.first == " " { return String(rest.dropFirst()) }
        }
        return nil
    }

    /// Runs one entry, shows its value or its error, and keeps both in the notebook.
    func evaluate(_ source: String, cell: String? = nil) {
        let recorder = CellRecorder(interp.display)
        do {
            if let v = try interp.evalEntry(source, file: "<repl>") { show(try v.checkedRepr(), recorder) }
        } catch {
            report(error, recorder)
        }
        notebook.cells.append(.code(source: cell ?? source, outputs: recorder.finish()))
    }

    /// Shows a text and records it in the current cell.
    func show(_ text: String, _ recorder: CellRecorder?) {
        recorder?.add(text)
        out(text)
    }

    /// Reports an error (in colour on a terminal) and records it (without).
    func report(_ error: Error, _ recorder: CellRecorder?) {
        interp.endProgressLine()
        let e = TicketsError(wrapping: error)
        recorder?.addError(e.render(color: false))
        err(e.render(color: color))
    }

    /// `?name`: help for a name, a topic (`?plots`), or an expression (`?t.add`).
    func help(_ what: String, entry: String) {
        let isName = what.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        let call = isName && interp.lookup(what) == nil ? "help(\(quoteString(what)))" : "help(\(what))"
        evaluate(call, cell: entry)
    }
}
