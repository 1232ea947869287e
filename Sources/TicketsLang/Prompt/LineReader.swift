import Foundation

/// Where the REPL's lines come from: libedit at a terminal, plain standard input
/// otherwise (and a scripted list in tests).
public protocol LineReader: AnyObject {
    /// The next line without its newline, or nil at the end of input (Ctrl-D).
    /// `LineInterrupted.marker` means Ctrl-C was pressed at the prompt.
    func readLine(prompt: String) -> String?
    func addHistory(_ entry: String)
}

/// What a reader returns when Ctrl-C ends the line being typed: the REPL drops the
/// unfinished entry and prompts again.
public enum LineInterrupted {
    public static let marker = "\u{03}"
}

/// Lines from standard input, with the prompt printed as plain text (tks -i on a pipe),
/// so a transcript reads like a session.
public final class PlainLineReader: LineReader {
    public init() {}
    public func readLine(prompt: String) -> String? {
        FileHandle.standardOutput.write(prompt.data(using: .utf8)!)
        guard let line = Swift.readLine(strippingNewline: true) else {
            FileHandle.standardOutput.write("\n".data(using: .utf8)!)
            return nil
        }
        return line
    }
    public func addHistory(_ entry: String) {}
}

/// Lines from a list (tests drive the REPL with it); records what the prompts were.
public final class ScriptedLineReader: LineReader {
    var lines: [String]
    public private(set) var prompts: [String] = []
    public private(set) var history: [String] = []
    public init(_ lines: [String]) { self.lines = lines }
    public func readLine(prompt: String) -> String? {
        prompts.append(prompt)
        return lines.isEmpty ? nil : lines.removeFirst()
    }
    public func addHistory(_ entry: String) { history.append(entry) }
}
