import Foundation
import TicketsEngine

/// The read-eval-print loop. Every entry goes through one catch-and-report point, so
/// no error ends the session; a block is read over several lines until it is complete.
public final class REPL {
    let interp: Interpreter
    let reader: LineReader
    let out: (String) -> Void
    let err: (String) -> Void
    let color: Bool

    public init(interp: Interpreter, reader: LineReader, color: Bool,
         out: @escaping (String) -> Void, err: @escaping (String) -> Void) {
        self.interp = interp; self.reader = reader; self.color = color; self.out = out; self.err = err
    }

    public static let banner = "Tickets 0.1 — type help() or :help, :quit to leave"

    public func run() {
        out(REPL.banner)
        var buffer = ""
        while true {
            guard let line = reader.readLine(prompt: buffer.isEmpty ? "tks> " : "...> ") else {
                if !buffer.isEmpty { evaluate(buffer) }   // input ended inside a block: say so
                return
            }
            if line == LineInterrupted.marker { buffer = ""; continue }
            Interrupt.clear()   // a Ctrl-C while typing must not stop the entry
            if buffer.isEmpty, line.trimmingCharacters(in: .whitespaces).hasPrefix(":") {
                reader.addHistory(line)
                if !command(line.trimmingCharacters(in: .whitespaces)) { return }
                continue
            }
            buffer += buffer.isEmpty ? line : "\n" + line
            if buffer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { buffer = ""; continue }
            if Interpreter.isIncomplete(buffer) { continue }
            reader.addHistory(buffer)
            evaluate(buffer)
            buffer = ""
        }
    }

    func evaluate(_ source: String) {
        do {
            if let v = try interp.evalEntry(source, file: "<repl>") { out(v.repr) }
        } catch let e as TicketsError {
            interp.endProgressLine()
            err(e.render(color: color))
        } catch {
            interp.endProgressLine()
            err(TicketsError(wrapping: error).render(color: color))
        }
    }

    /// A `:command`. Returns false to leave.
    func command(_ line: String) -> Bool {
        let (name, rest) = line.firstIndex(of: " ").map { (String(line[..<$0]), String(line[$0...]).trimmingCharacters(in: .whitespaces)) } ?? (line, "")
        switch name {
        case ":quit", ":q", ":exit":
            return false
        case ":help", ":h":
            out("""
            :help            this list            :quit (or Ctrl-D)   leave
            :time <code>     run and time code    :tokens <code>      show the tokens
            :ast <code>      show the syntax tree help()               the builtins
            Blocks (if/for/while/fn) continue on the next lines until their `end`.
            """)
        case ":time":
            let t = DispatchTime.now().uptimeNanoseconds
            evaluate(rest)
            out(String(format: "%.3f s", Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9))
        case ":tokens", ":ast":
            do {
                out(name == ":ast" ? try Parser.parse(rest, file: "<repl>").map(\.dump).joined(separator: "\n")
                                   : try Lexer.tokenize(rest, file: "<repl>").map(\.description).joined(separator: "  "))
            } catch var e as TicketsError {
                e.sourceLine = e.loc.map { rest.components(separatedBy: "\n")[max(0, min($0.line - 1, rest.components(separatedBy: "\n").count - 1))] }
                err(e.render(color: color))
            } catch {}
        default:
            err("unknown command \(name); :help lists them")
        }
        return true
    }
}
