@preconcurrency import CEditLine
@preconcurrency import Foundation
import TicketsEngine
import TicketsLang

/// libedit at the terminal: line editing, a history file kept across sessions, Tab
/// completion (`Completion` in TicketsLang decides what; this class only edits the
/// line and lists the candidates), and bracketed paste: the terminal marks pasted text,
/// which is taken whole (its tabs are not completions, its newlines not Enter keys) and
/// handed to the REPL as one multi-line text.
final class EditLineReader: LineReader {
    let historyFile: String
    let editor: OpaquePointer
    let history: OpaquePointer
    /// What Tab offers for (line, cursor in characters).
    let complete: (String, Int) -> Completions
    /// The prompt libedit shows, kept alive as a C string.
    var prompt: UnsafeMutablePointer<CChar>?
    /// A multi-line paste to return instead of the edited line.
    var pasted: String?
    let bracketedPaste = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["TERM"] != "dumb"

    init(complete: @escaping (String, Int) -> Completions) {
        self.complete = complete
        historyFile = ProcessInfo.processInfo.environment["TKS_HISTORY"]
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".tks_history")
        setlocale(LC_CTYPE, "")   // UTF-8 input (names and strings with accents, "×")
        editor = el_init("tks", stdin, stdout, stderr)
        history = tks_history_init(1000)
        _ = tks_history_load(history, historyFile)
        _ = tks_el_set_editor(editor, "emacs")
        _ = tks_el_set_signal(editor, 1)   // restore the terminal on Ctrl-C and resize
        _ = tks_el_set_history(editor, history)
        _ = tks_el_set_client(editor, Unmanaged.passUnretained(self).toOpaque())
        _ = tks_el_set_prompt(editor) { el in EditLineReader.of(el)?.prompt }
        _ = tks_el_add_function(editor, "tks-complete", "complete the name, argument, member or path") { el, _ in
            EditLineReader.of(el)?.completeAtCursor() ?? UInt8(CC_ERROR)
        }
        _ = tks_el_bind(editor, "^I", "tks-complete")
        _ = tks_el_add_function(editor, "tks-paste", "take a bracketed paste whole") { el, _ in
            EditLineReader.of(el)?.takePaste() ?? UInt8(CC_ERROR)
        }
        _ = tks_el_bind(editor, "\\e[200~", "tks-paste")
        // Ctrl-L clears the screen and redraws the line, whatever the terminal's entry
        // in the terminfo database says (libedit's own ed-clear-screen relies on it).
        _ = tks_el_add_function(editor, "tks-clear", "clear the screen") { _, _ in
            FileHandle.standardOutput.write(Data("\u{1B}[H\u{1B}[2J".utf8))
            return UInt8(CC_REDISPLAY)
        }
        _ = tks_el_bind(editor, "^L", "tks-clear")
        _ = el_source(editor, nil)   // the user's ~/.editrc, if any
    }

    deinit {
        el_end(editor)
        history_end(history)
        free(prompt)
    }

    /// The reader an EditLine belongs to (its client data).
    static func of(_ el: OpaquePointer?) -> EditLineReader? {
        guard let el, let data = tks_el_client(el) else { return nil }
        return Unmanaged<EditLineReader>.fromOpaque(data).takeUnretainedValue()
    }

    func readLine(prompt text: String) -> String? {
        free(prompt)
        prompt = strdup(text)
        pasted = nil
        // Ask the terminal to mark pastes only while the prompt waits.
        if bracketedPaste { writeOut("\u{1B}[?2004h") }
        var count: Int32 = 0
        let line = el_gets(editor, &count)
        if bracketedPaste { writeOut("\u{1B}[?2004l") }
        if let whole = pasted {
            // The pasted lines show as the REPL will read them, as if typed.
            let lines = REPL.inputLines(whole).map { $0.replacingOccurrences(of: "\t", with: "    ") }
            writeOut("\r\u{1B}[K" + lines.enumerated().map { ($0.offset == 0 ? text : "...> ") + $0.element + "\n" }.joined())
            return whole
        }
        guard let line, count > 0 else {
            // libedit gives up the line on Ctrl-C; that is not the end of input.
            if Interrupt.requested { Interrupt.clear(); print(""); return LineInterrupted.marker }
            return nil
        }
        var s = String(cString: line)
        if s.hasSuffix("\n") { s.removeLast() }
        return s
    }

    func addHistory(_ entry: String) {
        guard !entry.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        _ = tks_history_enter(history, entry)
        _ = tks_history_save(history, historyFile)
    }

    /// The line being edited and the cursor's place in it, in characters.
    func currentLine() -> (text: String, cursor: Int) {
        guard let info = el_line(editor)?.pointee, let start = info.buffer else { return ("", 0) }
        let bytes = UnsafeRawBufferPointer(start: start, count: info.lastchar - start)
        let text = String(decoding: bytes, as: UTF8.self)
        let before = String(decoding: UnsafeRawBufferPointer(start: start, count: info.cursor - start), as: UTF8.self)
        return (text, before.count)
    }

    /// Tab: inserts what all candidates share; lists them when that adds nothing.
    func completeAtCursor() -> UInt8 {
        let (text, cursor) = currentLine()
        let c = complete(text, cursor)
        guard !c.candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        let typed = String(Array(text)[min(c.start, cursor)..<cursor])
        let common = c.commonPrefix
        if common.count > typed.count, common.hasPrefix(typed) {
            _ = el_insertstr(editor, String(common.dropFirst(typed.count)))
            return UInt8(CC_REFRESH)
        }
        guard c.candidates.count > 1 else { return UInt8(CC_REFRESH) }
        writeOut("\n" + columns(c.candidates, width: terminalSize()?.columns ?? 80) + "\n")
        return UInt8(CC_REDISPLAY)
    }

    /// ESC [200~: reads the pasted text up to ESC [201~. One line is inserted where the
    /// cursor is; several lines end the edit and go to the REPL whole, after the text
    /// typed before them.
    func takePaste() -> UInt8 {
        var scalars: [Unicode.Scalar] = []
        let end = Array("\u{1B}[201~".unicodeScalars)
        var ch: wchar_t = 0
        while el_wgetc(editor, &ch) == 1 {
            guard let s = Unicode.Scalar(UInt32(bitPattern: ch)) else { continue }
            scalars.append(s)
            if scalars.count >= end.count && Array(scalars.suffix(end.count)) == end {
                scalars.removeLast(end.count)
                break
            }
        }
        var text = String(String.UnicodeScalarView(scalars)).replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\r", with: "\n")
        guard text.contains("\n") else {
            _ = el_insertstr(editor, text.replacingOccurrences(of: "\t", with: "    "))
            return UInt8(CC_REFRESH)
        }
        if text.hasSuffix("\n") { text.removeLast() }
        let (line, cursor) = currentLine()
        let chars = Array(line)
        let whole = String(chars[..<cursor]) + text + String(chars[cursor...])
        pasted = whole   // readLine shows it
        return UInt8(CC_NEWLINE)
    }

    func writeOut(_ s: String) {
        fputs(s, stdout)
        fflush(stdout)
    }
}

/// Candidates in columns across a terminal `width` wide, in order down each column.
func columns(_ items: [String], width: Int) -> String {
    let cell = (items.map(\.count).max() ?? 0) + 2
    let perRow = max(1, width / max(cell, 1))
    let rows = (items.count + perRow - 1) / perRow
    return (0..<rows).map { r in
        stride(from: r, to: items.count, by: rows).map { items[$0].padding(toLength: cell, withPad: " ", startingAt: 0) }
            .joined().trimmingCharacters(in: .whitespaces)
    }.joined(separator: "\n")
}
