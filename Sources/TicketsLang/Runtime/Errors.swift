import Foundation
import TicketsEngine

/// A position in a source text: 1-based line and column.
public struct SourceLoc: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var col: Int
    public init(file: String, line: Int, col: Int) {
        self.file = file; self.line = line; self.col = col
    }
    public var description: String { "\(file):\(line):\(col)" }
}

/// Every mistake a user can make ends here: one sentence, a kind (which picks the exit
/// code), and where it happened. Builtins throw it without a location; the
/// interpreter fills in the location of the call or of the argument at fault.
public struct TicketsError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        case syntax      // exit 65
        case runtime     // exit 70
        case io          // exit 74
        case usage       // exit 64
        /// A syntax error that ends at the end of the input: the REPL shows a
        /// continuation prompt instead of reporting it.
        case incomplete
    }
    public var kind: Kind
    public var message: String
    public var loc: SourceLoc?
    /// The text of the line `loc` points into, for the caret display.
    public var sourceLine: String?
    /// The calls the error came up through, innermost first: (function, call site).
    public var trace: [(function: String, at: SourceLoc)] = []
    /// Where inside the standard library the error happened, innermost first
    /// ("in imp, stdlib/lth.tks:230"), once it is shown at the user's call.
    public var libraryTrace: [String] = []
    /// Calls left out of `trace` (deep recursion keeps the innermost and outermost few).
    public var elided = 0
    /// The further syntax errors of the same parse, in source order; `render` shows them
    /// after this one.
    public var more: [TicketsError] = []
    /// How many errors `render` shows at most; the rest are counted.
    public static let maxShown = 20

    /// Notes that the error came up through a call of `function` at `loc`.
    public mutating func addCall(_ function: String, at loc: SourceLoc) {
        trace.append((function, loc))
        if trace.count > 8 { trace.remove(at: 4); elided += 1 }
    }

    /// Whether a location is in the standard library's code (stdlib/*.tks).
    static func inLibrary(_ loc: SourceLoc) -> Bool { loc.file.hasPrefix("stdlib/") }

    /// An error raised inside the standard library, reaching the user's call of a
    /// library function at `loc`: it is shown at the user's line (the library's
    /// lines become a short trace), since that is the line the user can change.
    public mutating func placeAtLibraryCall(_ function: String, at loc: SourceLoc, sourceLine: String?) {
        guard let inner = self.loc, TicketsError.inLibrary(inner), !TicketsError.inLibrary(loc), loc.file != "<builtin>" else {
            addCall(function, at: loc)
            return
        }
        // trace[i].at lies inside trace[i + 1].function; the innermost place, inside
        // trace[0].function (or `function` when the trace is empty).
        var places = [inner] + trace.map(\.at)
        var functions = trace.map(\.function) + [function]
        if places.count > functions.count { places.removeLast(places.count - functions.count) }
        if functions.count > places.count { functions.removeLast(functions.count - places.count) }
        libraryTrace = zip(functions, places).map { f, p in "\(f), \(p.file):\(p.line)" }
        trace = []
        elided = 0
        self.loc = loc
        self.sourceLine = sourceLine
    }

    public init(_ kind: Kind, _ message: String, at loc: SourceLoc? = nil, sourceLine: String? = nil) {
        self.kind = kind; self.message = message; self.loc = loc; self.sourceLine = sourceLine
    }
    public static func runtime(_ message: String) -> TicketsError { TicketsError(.runtime, message) }
    public static func io(_ message: String) -> TicketsError { TicketsError(.io, message) }

    public var exitCode: Int32 {
        switch kind {
        case .syntax, .incomplete: return 65
        case .runtime: return 70
        case .io: return 74
        case .usage: return 64
        }
    }

    public var description: String { render(color: false) }

    /// `file.tks:12:7: error: message`, then the source line and a caret under the column;
    /// then each of `more` the same way, up to `maxShown` errors in all.
    public func render(color: Bool) -> String {
        var out = renderOne(color: color)
        for e in more.prefix(TicketsError.maxShown - 1) { out += "\n" + e.renderOne(color: color) }
        let left = more.count - (TicketsError.maxShown - 1)
        if left > 0 { out += "\n... and \(left) more error\(left == 1 ? "" : "s")" }
        return out
    }

    /// This error alone, without `more`.
    func renderOne(color: Bool) -> String {
        let red = color ? "\u{1B}[1;31m" : "", bold = color ? "\u{1B}[1m" : "", reset = color ? "\u{1B}[0m" : ""
        var out = ""
        if let loc { out += "\(bold)\(loc):\(reset) " }
        out += "\(red)error:\(reset) \(message)"
        if let loc, let line = sourceLine, loc.col >= 1 {
            // A long line shows as a window around the column.
            var chars = Array(line.replacingOccurrences(of: "\t", with: " "))
            var col = min(loc.col, chars.count + 1)
            if chars.count > 100 {
                let lo = max(0, col - 1 - 50), hi = min(chars.count, lo + 100)
                chars = (lo > 0 ? Array("...") : []) + Array(chars[lo..<hi]) + (hi < chars.count ? Array("...") : [])
                col = col - lo + (lo > 0 ? 3 : 0)
            }
            out += "\n    \(String(chars))\n    " + String(repeating: " ", count: col - 1) + "\(red)^\(reset)"
        }
        for t in libraryTrace { out += "\n  in \(t)" }
        for (i, t) in trace.enumerated() {
            if i == 4 && elided > 0 { out += "\n  ... \(elided) more calls" }
            out += "\n  in \(t.function), called at \(t.at)"
        }
        return out
    }
}

extension TicketsError {
    /// An engine error raised by a builtin (its body or its argument checks): a runtime
    /// error, or an I/O error for files, named for the builtin and located at its call.
    /// The only conversion of engine errors into language errors.
    public init(_ e: EngineError, from builtin: String, at loc: SourceLoc) {
        self.init(e.isIO ? .io : .runtime, "\(builtin): \(e.message)", at: loc)
    }
}

/// The last resort of the REPL and the command: an error that is not a TicketsError
/// (none should reach them; builtins' engine errors are converted where the builtin is
/// called, in `Interpreter.callValue`).
extension TicketsError {
    public init(wrapping error: Error) {
        if let e = error as? TicketsError { self = e; return }
        self.init(.runtime, "internal error: \(error)")
    }
}

/// Runs `body`, placing an error it throws without a location at `loc`.
func placed<T>(at loc: SourceLoc, _ body: () throws -> T) throws -> T {
    do { return try body() } catch var e as TicketsError {
        if e.loc == nil { e.loc = loc }
        throw e
    }
}
