import Foundation

/// A function written in Swift and bound to a name. `params` fixes the order of
/// positional arguments and the keywords it accepts; `signature` and `doc` are what
/// `help(name)` prints.
public struct Builtin {
    public let name: String
    public let params: [String]
    /// Accepts any number of positional arguments (params then names only keywords).
    public let variadic: Bool
    public let signature: String
    public let doc: String
    public let fn: (Args) throws -> Value

    public init(_ name: String, params: [String], variadic: Bool = false,
                signature: String? = nil, doc: String, fn: @escaping (Args) throws -> Value) {
        self.name = name; self.params = params; self.variadic = variadic
        self.signature = signature ?? "\(name)(\(params.joined(separator: ", ")))"
        self.doc = doc; self.fn = fn
    }
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
}

/// The arguments of one builtin call, already matched to parameter names.
/// Typed getters throw `TicketsError`s that name the builtin and the argument, located
/// at the argument's expression.
public final class Args {
    public let builtin: Builtin
    public let ctx: BuiltinContext
    public let callLoc: SourceLoc
    /// Values by parameter name (positional ones mapped in `params` order).
    public private(set) var values: [String: Value] = [:]
    public private(set) var locs: [String: SourceLoc] = [:]
    /// All positional arguments (for variadic builtins such as print).
    public let positional: [Value]
    public let positionalLocs: [SourceLoc]

    /// Matches positional and keyword arguments to `builtin.params`; unknown keywords,
    /// duplicates and too many positionals are errors.
    public init(builtin: Builtin, ctx: BuiltinContext, callLoc: SourceLoc,
                positional: [(Value, SourceLoc)], keywords: [(String, Value, SourceLoc)]) throws {
        self.builtin = builtin; self.ctx = ctx; self.callLoc = callLoc
        self.positional = positional.map(\.0); self.positionalLocs = positional.map(\.1)
        if !builtin.variadic {
            if positional.count > builtin.params.count {
                let n = builtin.params.count
                throw TicketsError(.runtime, "\(builtin.name): takes at most \(n) positional argument\(n == 1 ? "" : "s"), got \(positional.count)",
                                   at: positional[n].1)
            }
            for (i, (v, loc)) in positional.enumerated() {
                values[builtin.params[i]] = v; locs[builtin.params[i]] = loc
            }
        }
        for (k, v, loc) in keywords {
            guard builtin.params.contains(k) else {
                let known = builtin.params.isEmpty ? "it takes none" : "expected one of " + builtin.params.joined(separator: ", ")
                throw TicketsError(.runtime, "\(builtin.name): unknown keyword argument '\(k)'; \(known)", at: loc)
            }
            if values[k] != nil {
                throw TicketsError(.runtime, "\(builtin.name): argument '\(k)' given twice", at: loc)
            }
            values[k] = v; locs[k] = loc
        }
    }

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

    /// The argument's value; nil only when it was given as nil.
    public func value(_ name: String) throws -> Value {
        guard let v = values[name] else { throw fail("missing argument '\(name)'") }
        return v
    }

    public func number(_ name: String, default d: Double? = nil) throws -> Double {
        guard has(name) else {
            if let d { return d }
            throw fail("missing argument '\(name)'")
        }
        guard case .number(let x) = values[name]! else {
            throw fail(name, "must be a number, got \(describeBrief(values[name]!))")
        }
        guard x.isFinite else { throw fail(name, "must be finite, got \(formatNumber(x))") }
        return x
    }

    public func int(_ name: String, default d: Int? = nil, min: Int? = nil) throws -> Int {
        let x = try number(name, default: d.map(Double.init))
        guard x == x.rounded() else { throw fail(name, "must be a whole number, got \(formatNumber(x))") }
        guard abs(x) <= 9_007_199_254_740_992 else { throw fail(name, "is too large (the limit is 2^53), got \(formatNumber(x))") }
        let i = Int(x)
        if let min, i < min { throw fail(name, "must be at least \(min), got \(i)") }
        return i
    }

    public func string(_ name: String, default d: String? = nil) throws -> String {
        guard has(name) else {
            if let d { return d }
            throw fail("missing argument '\(name)'")
        }
        guard case .string(let s) = values[name]! else {
            throw fail(name, "must be a string, got \(describeBrief(values[name]!))")
        }
        return s
    }

    public func bool(_ name: String, default d: Bool? = nil) throws -> Bool {
        guard has(name) else {
            if let d { return d }
            throw fail("missing argument '\(name)'")
        }
        guard case .bool(let b) = values[name]! else {
            throw fail(name, "must be true or false, got \(describeBrief(values[name]!))")
        }
        return b
    }

    /// An engine object of one class (`net`, `mask`, ...).
    public func object<T: TicketsObject>(_ name: String, as type: T.Type, what: String) throws -> T {
        let v = try value(name)
        guard case .object(let o) = v, let t = o as? T else {
            throw fail(name, "must be a \(what), got \(describeBrief(v))")
        }
        return t
    }

    public func record(_ name: String) throws -> RecordRef? {
        guard has(name) else { return nil }
        guard case .record(let r) = values[name]! else {
            throw fail(name, "must be a record like {fc3: 0.1}, got \(describeBrief(values[name]!))")
        }
        return r
    }
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
