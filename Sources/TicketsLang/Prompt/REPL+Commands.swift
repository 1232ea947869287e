import Foundation
import TicketsEngine

/// The meta-commands: lines that start with `:` and speak to the prompt, not to the
/// language. Each reports a mistake (a missing file, an unknown command) in one line
/// and the session goes on.
extension REPL {
    static let commandHelp = """
    :help             this list                 ?name            help(name); ?plots a topic
    :vars             your variables: type, size
    :load FILE.tks    run a script into the session (its definitions stay)
    :save FILE.md     the session as a Markdown handout (plots as SVG files beside it)
    :save FILE.html   the session as one web page (plots inline; no script, no network)
    :reset            forget your variables    :time <code>     run and time code
    :tokens <code>    show the tokens          :ast <code>      show the syntax tree
    :quit (or Ctrl-D) leave                    ans              the last value shown
    Blocks (if/for/while/fn) continue on the next lines until their `end`. Tab completes
    names, keyword arguments, members after a dot and file names in strings.
    """

    /// A `:command`. Returns false to leave.
    func command(_ line: String) -> Bool {
        let (name, rest) = line.firstIndex(of: " ").map { (String(line[..<$0]), String(line[$0...]).trimmingCharacters(in: .whitespaces)) } ?? (line, "")
        switch name {
        case ":quit", ":q", ":exit":
            return false
        case ":help", ":h":
            out(REPL.commandHelp)
        case ":vars":
            out(interp.variablesTable())
        case ":reset":
            interp.reset()
            out("(your variables are gone; builtins and library functions stay)")
        case ":load":
            load(rest, entry: line)
        case ":save":
            save(rest)
        case ":time" where rest.isEmpty:
            err(":time needs code to time: :time train(net, data, epochs=1)")
        case ":time":
            let t = DispatchTime.now().uptimeNanoseconds
            evaluate(rest)
            out(String(format: "%.3f s", Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9))
        case ":tokens", ":ast":
            do {
                out(name == ":ast" ? try Parser.parse(rest, file: "<repl>").map(\.dump).joined(separator: "\n")
                                   : try Lexer.tokenize(rest, file: "<repl>").map(\.description).joined(separator: "  "))
            } catch var e as TicketsError {
                let lines = rest.components(separatedBy: "\n")
                e.sourceLine = e.loc.map { lines[max(0, min($0.line - 1, lines.count - 1))] }
                err(e.render(color: color))
            } catch {}
        default:
            err("unknown command \(name); :help lists them")
        }
        return true
    }

    /// `:load lesson.tks`: runs a script in this session, as `tks lesson.tks` would
    /// (stopping at its first error), so its variables and functions stay defined.
    func load(_ path: String, entry: String) {
        guard !path.isEmpty else { err(":load needs a script: :load lesson.tks"); return }
        let source: String
        switch readScript(path) {
        case .success(let text): source = text
        case .failure(let e): err(":load: \(e.message)"); return
        }
        let recorder = CellRecorder(interp.display)
        do {
            try interp.run(source, file: path)
        } catch {
            report(error, recorder)
        }
        notebook.cells.append(.code(source: entry, outputs: recorder.finish()))
    }

    /// `:save session.md` or `:save session.html`: the session so far as a handout.
    func save(_ path: String) {
        guard !path.isEmpty else { err(":save needs a file: :save session.md (Markdown) or :save session.html (one web page)"); return }
        do {
            let files = try notebook.write(to: path)
            let figures = files.count - 1
            let beside = figures > 0 ? " and \(figures) figure\(figures == 1 ? "" : "s") beside it" : ""
            out("saved \(notebook.codeCells) cell\(notebook.codeCells == 1 ? "" : "s") to \(path)\(beside)")
        } catch let e as EngineError {
            err(":save: \(e.message)")
        } catch {
            err(":save: \(TicketsError(wrapping: error).message)")
        }
    }
}

/// The text of a script file, or why it cannot be read, in one line.
public func readScript(_ path: String) -> Result<String, EngineError> {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return .failure(.io("cannot read \(path): no such file")) }
    guard !isDir.boolValue else { return .failure(.io("\(path) is a folder, not a script")) }
    guard let data = FileManager.default.contents(atPath: path) else { return .failure(.io("cannot read \(path): permission denied")) }
    guard let text = String(data: data, encoding: .utf8) else { return .failure(.io("\(path) is not UTF-8 text")) }
    return .success(text)
}
