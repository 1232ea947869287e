@preconcurrency import CEditLine
@preconcurrency import Foundation
import TicketsEngine
import TicketsLang

/// libedit: line editing and a history file kept across sessions.
final class EditLineReader: LineReader {
    let historyFile: String

    init() {
        historyFile = ProcessInfo.processInfo.environment["TKS_HISTORY"]
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".tks_history")
        _ = read_history(historyFile)
    }

    func readLine(prompt: String) -> String? {
        guard let p = readline(prompt) else {
            // libedit gives up the line on Ctrl-C; that is not the end of input.
            if Interrupt.requested { Interrupt.clear(); print(""); return LineInterrupted.marker }
            return nil
        }
        defer { free(p) }
        return String(cString: p)
    }

    func addHistory(_ entry: String) {
        guard !entry.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        add_history(entry)
        _ = write_history(historyFile)
    }
}

