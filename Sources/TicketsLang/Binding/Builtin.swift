import Foundation
import TicketsEngine

/// A function written in Swift and bound to a name. Its parameters are declared once
/// (see `Param`): the declaration fixes the order of positional arguments and the
/// keywords it accepts, checks and converts every argument before the body runs, and
/// gives `help(name)` its signature and argument list.
public struct Builtin {
    public let name: String
    public let params: [Param]
    /// Accepts any number of positional arguments (then `params` are keywords only).
    public let variadic: Bool
    public let doc: String
    /// Checks that involve several arguments, or an engine rule, run after each
    /// argument's own check and before the body (and by `check_args`).
    public let validate: ((Args) throws -> Void)?
    public let fn: (Args) throws -> Value
    private let customSignature: String?

    public init(_ name: String, _ params: [Param] = [], variadic: Bool = false, signature: String? = nil,
                doc: String, validate: ((Args) throws -> Void)? = nil, fn: @escaping (Args) throws -> Value) {
        self.name = name; self.params = params; self.variadic = variadic
        self.customSignature = signature
        self.doc = doc; self.validate = validate; self.fn = fn
    }

    /// "train(net, data, epochs=1, lr=0.1, ...)"
    public var signature: String {
        if let s = customSignature { return s }
        let parts = params.map(\.signaturePart) + (variadic ? ["values..."] : [])
        return "\(name)(\(parts.joined(separator: ", ")))"
    }

    public func param(_ name: String) -> Param? { params.first { $0.name == name } }
}

/// What a builtin may ask of the interpreter running it.
public protocol BuiltinContext: AnyObject {
    /// Writes a line (print's output goes here, so tests can capture it).
    func write(_ text: String)
    /// Writes progress to the terminal (standard error); `redraw` replaces the line.
    func progress(_ text: String, redraw: Bool, done: Bool)
    /// True once Ctrl-C was pressed; long-running builtins stop at the next step.
    var interrupted: Bool { get }
    /// Calls a function value (a closure or a builtin) with positional arguments.
    func call(_ f: Value, _ args: [Value]) throws -> Value
    /// Whether the running user function's argument `name` took its default (the
    /// caller left it out); throws outside a function or for a name it lacks.
    func leftOut(_ name: String) throws -> Bool
    /// Looks a global name up (help uses it).
    func lookup(_ name: String) -> Value?
    /// All global names, for help().
    var globalNames: [String] { get }
    /// A one-line summary of what a builtin just did (`mlp 784-300-100-10 ...`).
    /// Written only when the call comes from top-level code (not from inside a
    /// function, so `imp` stays quiet), and then the REPL does not also echo the
    /// statement's value.
    func announce(_ text: String)
    /// Whether standard output is a terminal (colours, redrawn progress lines).
    var isTerminal: Bool { get }
    /// Whether builtins may write files (the fuzzer turns it off).
    var writesFiles: Bool { get }
    /// The `name=value` settings given after a script on the command line.
    var settings: ScriptSettings { get }
    /// A long run was interrupted: `value` is what it finished (`what`: "the 2
    /// finished epochs"); the statement binds it to a name and the error says which.
    func interruptedWith(_ value: Value, _ what: String)
    /// The running library function's result so far, kept for its caller if it is
    /// interrupted (imp's table of finished levels); `noun` names one row ("level").
    func keepOnInterrupt(_ value: Value, noun: String) throws
    /// The names help() lists, by group, in order.
    var helpGroups: [(title: String, names: [String])] { get }
    /// Where values are shown: the terminal's size for plots, braille or ASCII.
    var display: Display { get }
}

/// The arguments of one builtin call, matched to the declared parameters and checked
/// against their declarations before the body runs. The typed getters then only
/// convert; an error names the builtin and the argument and points at it.
public final class Args {
    public let builtin: Builtin
    public let ctx: BuiltinContext
    public let callLoc: SourceLoc
    /// Values by parameter name (positional ones mapped in declaration order).
    public private(set) var values: [String: Value] = [:]
    public private(set) var locs: [String: SourceLoc] = [:]
    /// All positional arguments (for variadic builtins such as print).
    public let positional: [Value]
    public let positionalLocs: [SourceLoc]

    /// Matches positional and keyword arguments to the parameters, then checks each
    /// against its declaration and runs the builtin's `validate`. Unknown keywords,
    /// duplicates, too many positionals and missing required arguments are errors.
    public init(builtin: Builtin, ctx: BuiltinContext, callLoc: SourceLoc,
                positional: [(Value, SourceLoc)], keywords: [(String, Value, SourceLoc)]) throws {
        self.builtin = builtin; self.ctx = ctx; self.callLoc = callLoc
        self.positional = positional.map(\.0); self.positionalLocs = positional.map(\.1)
        let names = builtin.params.map(\.name)
        if !builtin.variadic {
            if positional.count > names.count {
                let n = names.count
                throw TicketsError(.runtime, "\(builtin.name): takes at most \(n) positional argument\(n == 1 ? "" : "s"), got \(positional.count)",
                                   at: positional[n].1)
            }
            for (i, (v, loc)) in positional.enumerated() {
                values[names[i]] = v; locs[names[i]] = loc
            }
        }
        for (k, v, loc) in keywords {
            guard names.contains(k) else { throw TicketsError(.runtime, unknownKeyword(k, of: builtin.name, params: names), at: loc) }
            if values[k] != nil {
                throw TicketsError(.runtime, "\(builtin.name): argument '\(k)' given twice", at: loc)
            }
            values[k] = v; locs[k] = loc
        }
        // A preset (a record of settings, e.g. preset("lth-lenet")) fills in the
        // arguments it names that the call did not give; fields for other builtins
        // are left alone.
        if builtin.param("preset") != nil, case .record(let preset)? = values["preset"] {
            for (k, v) in preset.fields where k != "preset" && builtin.param(k) != nil && values[k] == nil {
                values[k] = v; locs[k] = locs["preset"]
            }
        }
        for p in builtin.params {
            guard let v = values[p.name] else {
                if p.defaultValue == nil { throw fail("missing argument '\(p.name)'") }
                continue
            }
            if case .null = v, p.defaultValue != nil { continue }   // nil: the default
            try check(p)
        }
        do { try builtin.validate?(self) } catch let e as EngineError {
            throw TicketsError(e, from: builtin.name, at: callLoc)
        }
    }

    /// Whether the argument was given (and is not nil).
    public func has(_ name: String) -> Bool {
        if let v = values[name], case .null = v { return false }
        return values[name] != nil
    }

    /// An error about one argument, located at it (or at the call when it is missing).
    public func fail(_ name: String, _ message: String) -> TicketsError {
        TicketsError(.runtime, "\(builtin.name): \(name) \(message)", at: locs[name] ?? callLoc)
    }
    /// An error about the call as a whole.
    public func fail(_ message: String) -> TicketsError {
        TicketsError(.runtime, "\(builtin.name): \(message)", at: callLoc)
    }

    // MARK: checking against the declaration

    func check(_ p: Param) throws {
        let v = values[p.name]!
        switch p.kind {
        case .number(let bounds):
            guard case .number(let x) = v else { throw fail(p.name, "must be a number, got \(describeBrief(v))") }
            guard x.isFinite else { throw fail(p.name, "must be finite, got \(formatNumber(x))") }
            guard bounds.contains(x) else { throw fail(p.name, "must be \(bounds.phrase), got \(formatNumber(x))") }
        case .int(let lo, let hi):
            guard case .number(let x) = v else { throw fail(p.name, "must be a whole number, got \(describeBrief(v))") }
            guard x.isFinite, x == x.rounded() else { throw fail(p.name, "must be a whole number, got \(formatNumber(x))") }
            guard abs(x) <= 9_007_199_254_740_992 else { throw fail(p.name, "is too large (the limit is 2^53), got \(formatNumber(x))") }
            if let lo, Int(x) < lo { throw fail(p.name, "must be a whole number\(Param.intRange(lo, hi)), got \(formatNumber(x))") }
            if let hi, Int(x) > hi { throw fail(p.name, "must be a whole number\(Param.intRange(lo, hi)), got \(formatNumber(x))") }
        case .string:
            guard case .string = v else { throw fail(p.name, "must be a string, got \(describeBrief(v))") }
        case .bool:
            guard case .bool = v else { throw fail(p.name, "must be true or false, got \(describeBrief(v))") }
        case .choice(let options):
            guard case .string(let s) = v, options.contains(s) else {
                throw fail(p.name, "must be \(Param.choiceList(options)), got \(v.typeName == "string" ? v.repr : describeBrief(v))")
            }
        case .list(let what):
            guard case .list = v else { throw fail(p.name, "must be \(what), got \(describeBrief(v))") }
        case .record(let what):
            guard case .record = v else { throw fail(p.name, "must be \(what), got \(describeBrief(v))") }
        case .function:
            switch v { case .function, .builtin: break; default: throw fail(p.name, "must be a function, got \(describeBrief(v))") }
        case .object(let typeName, let what):
            guard case .object(let o) = v, o.typeName == typeName else { throw fail(p.name, "must be \(what), got \(describeBrief(v))") }
        case .maskOrNet:
            guard case .object(let o) = v, o is MaskObject || o is NetObject else {
                throw fail(p.name, "must be a mask (from prune or random_mask) or a net, got \(describeBrief(v))")
            }
        case .any:
            break
        }
    }

    // MARK: typed getters (the argument was checked; these only convert)

    /// The argument, or its declared default.
    public func value(_ name: String) throws -> Value {
        if has(name) { return values[name]! }
        guard let p = builtin.param(name) else { throw internalError("has no parameter '\(name)'") }
        return p.defaultValue ?? .null   // a required argument given as nil (its check let it through)
    }

    func internalError(_ what: String) -> TicketsError {
        TicketsError(.runtime, "internal error: builtin \(builtin.name) \(what)", at: callLoc)
    }

    public func number(_ name: String) throws -> Double {
        guard case .number(let x) = try value(name) else { throw internalError("read '\(name)' as a number") }
        return x
    }
    public func int(_ name: String) throws -> Int { Int(try number(name)) }
    /// nil when the argument was left out (its default is nil).
    public func optionalInt(_ name: String) throws -> Int? { has(name) ? try int(name) : nil }
    public func seed(_ name: String = "seed") throws -> UInt64 { UInt64(try int(name)) }
    public func string(_ name: String) throws -> String {
        guard case .string(let s) = try value(name) else { throw internalError("read '\(name)' as a string") }
        return s
    }
    public func optionalString(_ name: String) throws -> String? { has(name) ? try string(name) : nil }
    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let b) = try value(name) else { throw internalError("read '\(name)' as true or false") }
        return b
    }
    /// A choice argument as its enumeration's case.
    public func choice<E: RawRepresentable>(_ name: String, _ type: E.Type) throws -> E where E.RawValue == String {
        guard let e = E(rawValue: try string(name)) else { throw internalError("declares choices '\(name)' that \(E.self) lacks") }
        return e
    }
    public func record(_ name: String) throws -> RecordRef? {
        guard case .record(let r) = try value(name) else { return nil }
        return r
    }
    public func list(_ name: String) throws -> ListRef {
        guard case .list(let l) = try value(name) else { throw internalError("read '\(name)' as a list") }
        return l
    }
    /// An engine object of one class (checked by its declaration).
    public func object<T: TicketsObject>(_ name: String, as type: T.Type) throws -> T {
        guard case .object(let o) = try value(name), let t = o as? T else { throw internalError("read '\(name)' as \(T.self)") }
        return t
    }
}

/// "train: unknown keyword argument 'epoch'; did you mean epochs?": the close
/// spellings it takes, else its keywords when they are few, else where to find them.
func unknownKeyword(_ k: String, of name: String, params: [String]) -> String {
    let close = params.filter { let d = editDistance($0, k); return d <= max(1, k.count / 3) && d < k.count }
        .sorted { (editDistance($0, k), $0) < (editDistance($1, k), $1) }
    let hint: String
    if !close.isEmpty { hint = "did you mean \(close.prefix(3).joined(separator: " or "))?" }
    else if params.isEmpty { hint = "it takes none" }
    else if params.count <= 8 { hint = "it takes " + params.joined(separator: ", ") }
    else { hint = "help(\(name)) lists the \(params.count) it takes" }
    return "\(name): unknown keyword argument '\(k)'; \(hint)"
}

/// "a number (3)", "a string", "a net": how an argument of the wrong kind is named.
public func describeBrief(_ v: Value) -> String {
    switch v {
    case .null: return "nil"
    case .number(let x): return "a number (\(formatNumber(x)))"
    case .string(let s): return s.count <= 20 ? "a string (\(quoteString(s)))" : "a string"
    case .bool(let b): return b ? "true" : "false"
    default:
        let t = v.typeName
        return ("aeiou".contains(t.first ?? "x") ? "an " : "a ") + t
    }
}

/// The builtins of one domain, under the title `help()` lists them with.
public struct BuiltinGroup {
    public let title: String
    public let builtins: [Builtin]
    public init(_ title: String, _ builtins: [Builtin]) { self.title = title; self.builtins = builtins }
}
