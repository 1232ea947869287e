import CCPU
@preconcurrency import Foundation
import TicketsEngine
import TicketsLang

// tks: the Tickets command. Exit codes follow sysexits: 64 usage, 65 syntax error,
// 70 runtime error, 74 I/O error.

// The engine is built for AVX2 and FMA (Package.swift): on a CPU without them, one
// sentence instead of an illegal instruction. This check is compiled for the baseline
// x86-64 and runs before any engine code.
if let missing = tickets_cpu_missing_build_features() {
    fputs("tks: this CPU lacks \(String(cString: missing)), which this build of Tickets needs (x86-64 with AVX2 and FMA: Intel Haswell or AMD Excavator and later)\n", stderr)
    exit(69)
}

// OpenBLAS chooses its kernels before main, by CPU model; replace a choice narrower
// than the CPU's features allow (BLASCore.swift) before anything else happens.
if let core = BLASCore.relaunchCore() { BLASCore.relaunch(with: core) }
BLASCore.restoreEnvironment()

let usage = """
usage: tks                      the REPL (or run standard input as a script when it is not a terminal)
       tks FILE.tks [k=v ...]   run a script; k=v pairs are read by setting("k", default)
       tks -e CODE              run a snippet
       tks -i                   the REPL even when standard input is not a terminal
       tks --notebook FILE.tks OUT.md|OUT.html [k=v ...]
                                run a script as a notebook and write it as a handout
       tks --reference          print the builtin reference (docs/builtins.md)
       tks --floor [batch]      time an epoch's matrix products alone for LeNet-300-100 (a benchmark aid)
       tks --peak               measure the CPU's FP32 peak on the engine's threads, and a LeNet epoch's FLOPs
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

/// Plots in plain characters instead of braille (for terminals and fonts without it).
let asciiPlots = ["1", "true", "yes"].contains(ProcessInfo.processInfo.environment["TKS_ASCII"]?.lowercased() ?? "")

func makeInterpreter(output: @escaping (String) -> Void = { print($0); flushStandardOutput() }) -> Interpreter {
    do {
        let interp = try Interpreter(output: output, isTerminal: stderrIsTTY, settings: settings)
        interp.display.terminalSize = terminalSize
        interp.display.ascii = asciiPlots
        // Rehearsing a lesson: every data set cut to its first N training examples.
        if let n = ProcessInfo.processInfo.environment["TKS_DATASET_LIMIT"].flatMap(Int.init), n > 0 {
            interp.limitDatasets(train: n, test: max(1, n / 5))
        }
        interp.display.color = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
        return interp
    } catch {
        fail("tks: the standard library failed to load: \(error)", code: 70)
    }
}

/// The k=v settings after a script, or a usage error.
func readSettings(_ pairs: ArraySlice<String>) {
    for kv in pairs {
        guard let eq = kv.firstIndex(of: "="), eq != kv.startIndex else {
            fail("tks: after the script, give settings as name=value, got '\(kv)'", code: 64)
        }
        settings.values[String(kv[..<eq])] = String(kv[kv.index(after: eq)...])
    }
}

/// A script's text, or the reason it cannot be read (exit 74).
func readSource(_ file: String) -> String {
    switch readScript(file) {
    case .success(let text): return text
    case .failure(let e): fail("tks: \(e.message)", code: 74)
    }
}

/// tks --notebook lesson.tks out.html: runs the script cell by cell and writes the
/// handout. An error is shown in its cell and on standard error, and the rest runs;
/// the handout is written either way, and the exit status says whether a cell failed.
func runNotebook(_ file: String, to output: String) -> Never {
    let source = readSource(file)
    let interp = makeInterpreter(output: { _ in })
    interp.display.color = false
    var failed = 0
    let notebook = Notebook.run(script: source, file: file, in: interp) { e in
        failed += 1
        FileHandle.standardError.write((e.render(color: color) + "\n").data(using: .utf8)!)
    }
    warnUnusedSettings()
    do {
        let files = try notebook.write(to: output)
        let figures = files.count > 1 ? " and \(files.count - 1) SVG figure\(files.count == 2 ? "" : "s") beside it" : ""
        print("wrote \(output): \(notebook.codeCells) cells, \(notebook.figures.count) figure\(notebook.figures.count == 1 ? "" : "s")\(figures)")
    } catch let e as EngineError {
        fail("tks: \(e.message)", code: 74)
    } catch {
        fail("tks: \(error)", code: 74)
    }
    if failed > 0 {
        fail("tks: \(failed) cell\(failed == 1 ? "" : "s") of \(file) raised an error (shown in the handout)", code: 70)
    }
    exit(0)
}

/// Runs a whole source as a script and exits with its status.
func runScript(_ source: String, file: String) -> Never {
    let interp = makeInterpreter()
    do {
        try interp.run(source, file: file)
        warnUnusedSettings()
        exit(0)
    } catch let e as TicketsError {
        flushStandardOutput()
        interp.endProgressLine()
        warnUnusedSettings()
        fail(e.render(color: color), code: e.exitCode)
    } catch {
        fail(TicketsError(wrapping: error).render(color: color), code: 70)
    }
}

// Ctrl-C asks the running code to stop at its next step; it never kills the session.
// (A parent may have started tks with SIGINT blocked, which would silence Ctrl-C.)
signal(SIGINT) { _ in Interrupt.request() }
var interruptOnly = sigset_t()
sigemptyset(&interruptOnly)
sigaddset(&interruptOnly, SIGINT)
pthread_sigmask(SIG_UNBLOCK, &interruptOnly, nil)

var args = Array(CommandLine.arguments.dropFirst())
var interactive = false
if args.first == "-i" { interactive = true; args.removeFirst() }

switch args.first {
case "--help", "-h":
    print(usage)
case "--version":
    let cpu = CPUFeatures.current
    print("Tickets 0.1")
    print("CPU: \(cpu.model.isEmpty ? cpu.vendor : cpu.model), \(cpu.vectorBits)-bit vectors (\(cpu.vectorText))")
    print("matrix products: \(GemmLibrary.description)")
    print("convolutions: \(ConvAlgorithm.description) (\(GemmLibrary.oneDNNISA))")
case "--reference":
    print(makeInterpreter().builtinReference())
case "--floor":
    // The products of one Fashion-MNIST epoch of LeNet-300-100 (60,000 / batch steps).
    let batch = args.count > 1 ? Int(args[1]) ?? 60 : 60
    guard batch >= 1, batch <= 60_000 else { fail("tks: --floor takes a batch size from 1 to 60000", code: 64) }
    let steps = (60_000 + batch - 1) / batch
    print("floor \(String(format: "%.4f", Floor.mlpProducts(sizes: [784, 300, 100, 10], batch: batch, steps: steps)))")
case "--peak":
    // GFLOP/s of fused multiply-adds on the widest vectors, and a LeNet-300-100 epoch's work.
    let epoch = Peak.mlpStepFlops(sizes: [784, 300, 100, 10], batch: 60) * 1000
    print("peak \(String(format: "%.1f", Peak.fp32FlopsPerSecond() / 1e9)) GFLOP/s on \(TwoWay.shared.threads) threads, \(CPUFeatures.current.vectorBits)-bit FMA")
    print("lenet_epoch_gflop \(String(format: "%.2f", epoch / 1e9))")
case "--notebook":
    guard args.count >= 3 else { fail("tks: --notebook takes a script and the handout to write (.md or .html)\n" + usage, code: 64) }
    readSettings(args[3...])
    runNotebook(args[1], to: args[2])
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
    readSettings(args.dropFirst())
    runScript(readSource(file), file: file)
case nil:
    if interactive || isatty(STDIN_FILENO) != 0 {
        let interp = makeInterpreter()
        let reader: LineReader = isatty(STDIN_FILENO) != 0
            ? EditLineReader(complete: { line, cursor in Completion.complete(line, cursor: cursor, in: interp) })
            : PlainLineReader()
        REPL(interp: interp, reader: reader, color: color,
             out: { print($0); flushStandardOutput() },
             err: { flushStandardOutput(); FileHandle.standardError.write(($0 + "\n").data(using: .utf8)!) }).run()
    } else {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        runScript(String(decoding: data, as: UTF8.self), file: "<stdin>")
    }
case let flag?:
    fail("tks: unknown option \(flag)\n" + usage, code: 64)
}
