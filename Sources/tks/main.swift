@preconcurrency import Foundation
import TicketsEngine
import TicketsLang

// tks: the Tickets command. Exit codes follow sysexits: 64 usage, 65 syntax error,
// 70 runtime error, 74 I/O error.

let usage = """
usage: tks                      the REPL (or run standard input as a script when it is not a terminal)
       tks FILE.tks [k=v ...]   run a script; k=v pairs are read by setting("k", default)
       tks -e CODE              run a snippet
       tks -i                   the REPL even when standard input is not a terminal
       tks --reference          print the builtin reference (docs/builtins.md)
       tks sweep FILE.tks ...   run a script's sweeps with options (--slurm, --workers N, ...)
       tks collect FOLDER       print a sweep's merged table (-o OUT.csv to save it)
       tks --help | --version
"""

/// The k=v settings given after a script.
nonisolated(unsafe) let settings = ScriptSettings()   // written once, before any script runs

/// A k=v setting the script never read is most likely a typo: say so.
func warnUnusedSettings() {
    for name in settings.unread {
        FileHandle.standardError.write("tks: warning: the script never reads the setting \(name)=...; check its spelling\n".data(using: .utf8)!)
    }
}

func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write((message + "\n").data(using: .utf8)!)
    exit(code)
}

let stderrIsTTY = isatty(STDERR_FILENO) != 0
let color = stderrIsTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    && ProcessInfo.processInfo.environment["TERM"] != "dumb"

func makeInterpreter() -> Interpreter {
    do {
        return try Interpreter(output: { print($0); fflush(stdout) }, isTerminal: stderrIsTTY, settings: settings)
    } catch {
        fail("tks: the standard library failed to load: \(error)", code: 70)
    }
}

/// Runs a whole source as a script and exits with its status.
func runScript(_ source: String, file: String) -> Never {
    let interp = makeInterpreter()
    do {
        try interp.run(source, file: file)
        warnUnusedSettings()
        exit(0)
    } catch let e as TicketsError {
        fflush(stdout)
        interp.endProgressLine()
        warnUnusedSettings()
        fail(e.render(color: color), code: e.exitCode)
    } catch {
        fail(TicketsError(wrapping: error).render(color: color), code: 70)
    }
}

// Ctrl-C asks the running code to stop at its next step; it never kills the session.
// (A parent may have started tks with SIGINT blocked, as test runners do: unblock it.)
signal(SIGINT) { _ in Interrupt.request() }
var interruptSignal = sigset_t()
sigemptyset(&interruptSignal)
sigaddset(&interruptSignal, SIGINT)
sigprocmask(SIG_UNBLOCK, &interruptSignal, nil)

var args = Array(CommandLine.arguments.dropFirst())
var interactive = false
if args.first == "-i" { interactive = true; args.removeFirst() }

switch args.first {
case "--help", "-h":
    print(usage)
case "--version":
    print("Tickets 0.1")
case "--reference":
    print(makeInterpreter().builtinReference())
case "--sweep-worker":
    runSweepWorker(args)
case "sweep" where args.count >= 2 && !FileManager.default.fileExists(atPath: "sweep"):
    runSweepCommand(args)
case "collect" where !FileManager.default.fileExists(atPath: "collect"):
    runCollectCommand(args)
case "-e":
    guard args.count == 2 else { fail("tks: -e takes one argument, the code to run\n" + usage, code: 64) }
    runScript(args[1], file: "<-e>")
case let file? where !file.hasPrefix("-"):
    for kv in args.dropFirst() {
        guard let eq = kv.firstIndex(of: "="), eq != kv.startIndex else {
            fail("tks: after the script, give settings as name=value, got '\(kv)'", code: 64)
        }
        settings.values[String(kv[..<eq])] = String(kv[kv.index(after: eq)...])
    }
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: file, isDirectory: &isDir) else { fail("tks: cannot read \(file): no such file", code: 74) }
    guard !isDir.boolValue else { fail("tks: \(file) is a folder, not a script", code: 74) }
    guard let handle = FileHandle(forReadingAtPath: file) else { fail("tks: cannot read \(file): permission denied", code: 74) }
    let data = handle.readDataToEndOfFile()
    guard let source = String(data: data, encoding: .utf8) else { fail("tks: \(file) is not UTF-8 text", code: 74) }
    runScript(source, file: file)
case nil:
    if interactive || isatty(STDIN_FILENO) != 0 {
        let reader: LineReader = isatty(STDIN_FILENO) != 0 ? EditLineReader() : PlainLineReader()
        let interp = makeInterpreter()
        REPL(interp: interp, reader: reader, color: color,
             out: { print($0); fflush(stdout) },
             err: { fflush(stdout); FileHandle.standardError.write(($0 + "\n").data(using: .utf8)!) }).run()
    } else {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        runScript(String(decoding: data, as: UTF8.self), file: "<stdin>")
    }
case let flag?:
    fail("tks: unknown option \(flag)\n" + usage, code: 64)
}
