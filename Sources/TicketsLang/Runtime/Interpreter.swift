import Dispatch
import Foundation
import TicketsEngine

/// A user function: its declaration and the scope it was made in.
public final class Closure {
    public let decl: FunctionDecl
    /// Replaced only while the closure is freed (see `releaseIteratively`).
    private(set) var env: Environment
    init(decl: FunctionDecl, env: Environment) { self.decl = decl; self.env = env }
    /// Gives up its scope to the caller, which frees it, leaving an empty one.
    func detachEnvironment() -> Environment {
        defer { env = Environment(parent: nil) }
        return env
    }
    public var name: String { decl.name }
    public var doc: String? { decl.doc }
    /// A library function's declared arguments (`libraryDeclarations`): checked before
    /// each call, shown by help. nil for the user's own functions.
    public internal(set) var declared: Builtin?
    public var signature: String {
        if let declared { return declared.signature }
        return "\(decl.name)(" + decl.params.map { p in p.defaultValue.map { "\(p.name)=\($0.dump)" } ?? p.name }.joined(separator: ", ") + ")"
    }
}

/// Variables of one scope. Function calls make a new one; blocks do not.
final class Environment {
    var vars: [String: Value] = [:]
    let parent: Environment?
    init(parent: Environment?) { self.parent = parent }
    deinit { releaseIteratively(&vars) }

    func lookup(_ name: String) -> Value? {
        var e: Environment? = self
        while let env = e {
            if let v = env.vars[name] { return v }
            e = env.parent
        }
        return nil
    }
}

/// Runs Tickets programs. One interpreter is one session: its globals live as long as
/// it does, and no error ends it.
public final class Interpreter: BuiltinContext {
    let globals = Environment(parent: nil)
    /// The text of every file and REPL entry run so far, for the caret display.
    var sources: [String: [String]] = [:]
    let output: (String) -> Void
    let progressOutput: (String) -> Void
    public let isTerminal: Bool
    /// User-function calls under way (0 at top level).
    var depth = 0
    /// The user-function calls under way, innermost last, each with the parameters
    /// that took their defaults (what `missing` reads).
    var frames: [(decl: FunctionDecl, leftOut: Set<String>, partial: (value: Value, noun: String)?)] = []
    /// What a run stopped by Ctrl-C finished (a history's epochs, imp's levels), with
    /// a phrase for it ("the 2 finished epochs"): set where the run stops, replaced by
    /// each library function it came up through that keeps a result of its own
    /// (`keep_partial`), and bound to a name by the top-level statement (`keepPartial`).
    var partialResult: (value: Value, what: String)?
    static let maxDepth = 200
    /// Set when a builtin announced a result during the current entry.
    var announced = false
    /// The call that is a whole top-level statement (`m = prune(...)` or `prune(...)`):
    /// only it may announce, so `print(mlp(...).parameters)` stays quiet.
    var statementCall: SourceLoc?
    /// The builtin call running now.
    var activeCall: SourceLoc?
    /// A redrawn progress line is on screen and must be ended before other output.
    var progressOpen = false
    /// Whether to stop: Ctrl-C by default; tests give an interpreter its own.
    public var shouldStop: () -> Bool = { Interrupt.requested }
    /// Stop any run that takes longer than this many seconds (nil: no limit).
    public var timeLimit: Double? {
        didSet { deadline = timeLimit.map { DispatchTime.now().uptimeNanoseconds + UInt64($0 * 1e9) } }
    }
    var deadline: UInt64?
    /// false: save and other builtins that write files refuse to (the fuzzer runs so).
    public var writesFiles = true

    /// The builtins by domain, in the order help() lists their groups.
    public let builtinGroups: [BuiltinGroup] = dataBuiltins() + netBuiltins() + trainingBuiltins() + maskBuiltins()
        + statisticsBuiltins() + maskStudyBuiltins() + plotBuiltins() + tableBuiltins() + fileBuiltins() + settingBuiltins()
        + showBuiltins() + languageBuiltins() + collectionBuiltins() + mathBuiltins() + tensorBuiltins() + checkBuiltins() + sweepBuiltins()
    /// The `name=value` settings of this run (`tks lesson.tks levels=2`).
    public let settings: ScriptSettings
    /// Where values are shown (plots sized to the terminal), and the notebook's tap.
    public let display = Display()
    /// Each stdlib file's help group: the title on its first line (`# Experiments: ...`).
    var stdlibTitles: [String: String] = [:]

    public init(output: @escaping (String) -> Void = { print($0) },
                progressOutput: @escaping (String) -> Void = { FileHandle.standardError.write($0.data(using: .utf8)!) },
                isTerminal: Bool = false, loadStdlib: Bool = true, settings: ScriptSettings = ScriptSettings()) throws {
        self.output = output
        self.progressOutput = progressOutput
        self.isTerminal = isTerminal
        self.settings = settings
        for g in builtinGroups {
            for b in g.builtins { globals.vars[b.name] = .builtin(b) }
        }
        if loadStdlib {
            for (name, text) in stdlibSources {
                if let first = text.split(separator: "\n").first, first.hasPrefix("# "), let colon = first.firstIndex(of: ":") {
                    stdlibTitles[name] = String(first[first.index(first.startIndex, offsetBy: 2)..<colon])
                }
                try run(text, file: name)
            }
            try declareLibrary()
        }
        // The standard library calls these by name: they stay what they are.
        protectedNames = Set(globals.vars.keys)
    }

    /// Names of builtins and of the standard library's globals.
    var protectedNames: Set<String> = []

    /// "builtin" or "library function" (or "library name") when `name` may not be
    /// rebound at top level; nil when it may.
    func protectedKind(_ name: String) -> String? {
        guard protectedNames.contains(name), let v = globals.vars[name] else { return nil }
        switch v {
        case .builtin: return "builtin"
        case .function: return "library function"
        default: return "library name"
        }
    }

    /// Forgets every global, builtins included: a function defined at top level holds
    /// the global scope that holds it, and this cycle keeps a session's values alive
    /// until it is broken. For an interpreter that is done (the fuzzer makes one per
    /// input); it cannot run code afterwards.
    public func tearDown() {
        globals.vars.removeAll()
        frames.removeAll()
    }

    /// Defines (or replaces) a global.
    public func define(_ name: String, _ value: Value) { globals.vars[name] = value }

    // MARK: entry points

    /// Script mode: parses everything, then runs it, stopping at the first error.
    public func run(_ source: String, file: String) throws {
        let program = try parse(source, file: file)
        try located {
            for s in program { try execTop(s) }
        }
    }

    /// One REPL entry (one or more statements). Returns the value of a final expression
    /// statement to echo, or nil (a statement, a nil value, or a builtin announced).
    public func evalEntry(_ source: String, file: String) throws -> Value? {
        let program = try parse(source, file: file)
        announced = false
        var last: Value? = nil
        try located {
            for s in program {
                last = nil
                // Only the last statement's own summary replaces its value: a figure
                // after `net2 = mlp(...)` in the same entry still shows.
                announced = false
                if case .expr(let e) = s {
                    try startStatement(s)
                    do { last = try eval(e, globals) } catch var err as TicketsError {
                        keepPartial(of: s, in: &err)
                        throw err
                    }
                } else {
                    try execTop(s)
                }
            }
        }
        // `ans` holds the value of the entry's last expression (as in Julia and MATLAB).
        if let last, !last.isNull { globals.vars["ans"] = last }
        if announced { return nil }
        if case .null? = last { return nil }
        return last
    }

    /// Runs each top-level statement of a script and reports errors through `report`
    /// instead of stopping (the REPL's behaviour over a whole file; the golden tests use it).
    public func runContinuing(_ source: String, file: String, report: (TicketsError) -> Void) throws {
        let program = try parse(source, file: file)
        for s in program {
            do { try located { try execTop(s) } } catch let e as TicketsError { report(e) }
        }
    }

    /// True when the source stops inside an open block, bracket or string.
    public static func isIncomplete(_ source: String) -> Bool {
        do { _ = try Parser.parse(source, file: "<repl>"); return false } catch let e as TicketsError {
            return e.kind == .incomplete
        } catch { return false }
    }

    func parse(_ source: String, file: String) throws -> [Stmt] {
        sources[file] = source.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        do { return try Parser.parse(source, file: file) } catch var e as TicketsError {
            fill(&e)
            throw e
        }
    }

    /// Fills in a thrown error's source line, and wraps engine errors.
    func located(_ body: () throws -> Void) throws {
        do { try body() } catch var e as TicketsError {
            fill(&e)
            throw e
        } catch let e as ControlFlow {
            throw TicketsError(.syntax, "'\(e.keyword)' outside of \(e.keyword == "return" ? "a function" : "a loop")", at: e.loc)
        }
    }

    func fill(_ e: inout TicketsError) {
        if e.sourceLine == nil, let loc = e.loc, let lines = sources[loc.file], loc.line >= 1, loc.line <= lines.count {
            e.sourceLine = lines[loc.line - 1]
        }
        for i in e.more.indices { fill(&e.more[i]) }
    }

    func execTop(_ s: Stmt) throws {
        try startStatement(s)
        do { try exec(s, globals) } catch var e as TicketsError {
            keepPartial(of: s, in: &e)
            throw e
        }
    }

    /// An interrupted statement keeps what its run finished: `hs = train(...)` binds
    /// hs to the finished epochs, any other statement binds `ans`; the error says which.
    func keepPartial(of s: Stmt, in e: inout TicketsError) {
        guard let p = partialResult else { return }
        partialResult = nil
        var name = "ans"
        if case .assign(.name(let n, _), "=", _, _) = s, protectedKind(n) == nil { name = n }
        globals.vars[name] = p.value
        e.message += "; \(name) holds \(p.what) (marked partial)"
    }

    func startStatement(_ s: Stmt) throws {
        if shouldStop() { throw TicketsError(.runtime, "interrupted") }
        partialResult = nil
        endProgressLine()
        switch s {
        case .expr(.call(_, _, let loc)), .assign(_, "=", .call(_, _, let loc), _): statementCall = loc
        default: statementCall = nil
        }
    }

    // MARK: BuiltinContext

    public func write(_ text: String) {
        endProgressLine()
        output(text)
        display.tap?(text)
    }

    public func progress(_ text: String, redraw: Bool, done: Bool) {
        if isTerminal && redraw {
            if !done && !display.mayRedraw() { return }
            progressOutput("\r\u{1B}[2K" + text + (done ? "\n" : ""))
            progressOpen = !done
        } else if done || !redraw {
            endProgressLine()
            progressOutput(text + "\n")
        }
    }

    /// Ends a redrawn progress line, so what follows starts on a line of its own.
    public func endProgressLine() {
        if progressOpen { progressOutput("\n"); progressOpen = false }
    }

    /// Ctrl-C, or the run's time limit passed: long builtins stop at their next step.
    public var interrupted: Bool {
        shouldStop() || deadline.map { DispatchTime.now().uptimeNanoseconds > $0 } ?? false
    }

    public func call(_ f: Value, _ args: [Value]) throws -> Value {
        let loc = SourceLoc(file: "<builtin>", line: 0, col: 0)
        return try callValue(f, positional: args.map { ($0, loc) }, keywords: [], at: loc)
    }

    public func lookup(_ name: String) -> Value? { globals.vars[name] }

    public func leftOut(_ name: String) throws -> Bool {
        guard let f = frames.last else { throw TicketsError.runtime("missing: only a function can ask whether its caller left an argument out") }
        guard f.decl.params.contains(where: { $0.name == name }) else {
            throw TicketsError.runtime("missing: \(f.decl.name) has no parameter '\(name)' (it has \(f.decl.params.map(\.name).joined(separator: ", ")))")
        }
        return f.leftOut.contains(name)
    }
    public var globalNames: [String] { globals.vars.keys.sorted() }

    public func interruptedWith(_ value: Value, _ what: String) {
        partialResult = (markedPartial(value, what), what)
    }

    public func keepOnInterrupt(_ value: Value, noun: String) throws {
        guard !frames.isEmpty else { throw TicketsError.runtime("keep_partial: only a function can keep a partial result for its caller") }
        frames[frames.count - 1].partial = (value, noun)
    }

    /// Called as an interrupted function's frame unwinds: its kept result (if any)
    /// replaces the one of the run it called ("the 2 finished levels").
    func unwindInterrupted() {
        guard interrupted, let p = frames.last?.partial else { return }
        var n = 0
        switch p.value {
        case .object(let o): n = o.length ?? 0
        case .list(let l): n = l.items.count
        default: break
        }
        let what = "the \(grouped(n)) finished \(p.noun)\(n == 1 ? "" : "s")"
        partialResult = (markedPartial(p.value, what), what)
    }

    /// A table kept after an interruption says so below its rows.
    func markedPartial(_ v: Value, _ what: String) -> Value {
        if case .object(let o) = v, let t = o as? Table { t.note = "(partial: interrupted; \(what))" }
        return v
    }

    public func announce(_ text: String) {
        guard depth == 0, let call = activeCall, call == statementCall else { return }
        write(text)
        announced = true
    }
}

/// `break`, `continue` and `return` unwind as errors so a deep block can leave at
/// once; loops and calls catch them, and none escapes to the user.
struct ControlFlow: Error, @unchecked Sendable {   // never leaves the interpreter's thread
    enum Kind { case breakLoop, continueLoop, returnValue(Value) }
    let kind: Kind
    let loc: SourceLoc
    var keyword: String {
        switch kind { case .breakLoop: return "break"; case .continueLoop: return "continue"; case .returnValue: return "return" }
    }
}
