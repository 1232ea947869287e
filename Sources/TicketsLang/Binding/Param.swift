/// One parameter of a builtin, declared once: its name, what it accepts, its default
/// and one line of documentation. The declaration drives everything about it:
/// checking and conversion of the argument, the error messages, the signature and the
/// argument list of `help(name)`, docs/builtins.md and keyword completion.
public struct Param {
    public let name: String
    public let kind: Kind
    /// nil: the argument is required. `.null` is a documented "nil" default.
    public let defaultValue: Value?
    public let doc: String

    public enum Kind {
        case number(Bounds)
        /// A whole number (up to 2^53), at least `min` and at most `max` when given.
        case int(min: Int?, max: Int?)
        case string
        case bool
        /// One of these strings.
        case choice([String])
        /// A list; `what` says what it holds ("a list of layer sizes").
        case list(what: String)
        /// A record; `what` says what it holds ("a record like {fc3: 0.1}").
        case record(what: String)
        case function
        /// An engine object of one type (`typeName` as `type(x)` says it).
        case object(typeName: String, what: String)
        /// A mask, or a net (whose current mask is meant).
        case maskOrNet
        /// Anything; the builtin checks it. `what` describes what it accepts.
        case any(what: String)
    }

    public init(_ name: String, _ kind: Kind, default d: Value? = nil, _ doc: String) {
        self.name = name; self.kind = kind; self.defaultValue = d; self.doc = doc
    }

    // MARK: declarations, as builtins write them

    /// A required number.
    public static func number(_ name: String, in bounds: Bounds = .any, _ doc: String) -> Param {
        Param(name, .number(bounds), doc)
    }
    public static func number(_ name: String, _ d: Double, _ doc: String) -> Param {
        Param(name, .number(.any), default: .number(d), doc)
    }
    public static func number(_ name: String, _ d: Double, _ bounds: Bounds, _ doc: String) -> Param {
        Param(name, .number(bounds), default: .number(d), doc)
    }
    /// A required whole number.
    public static func int(_ name: String, min: Int? = nil, max: Int? = nil, _ doc: String) -> Param {
        Param(name, .int(min: min, max: max), doc)
    }
    public static func int(_ name: String, _ d: Int, min: Int? = nil, max: Int? = nil, _ doc: String) -> Param {
        Param(name, .int(min: min, max: max), default: .int(d), doc)
    }
    /// A whole number that may be left out (nil).
    public static func optionalInt(_ name: String, min: Int? = nil, max: Int? = nil, _ doc: String) -> Param {
        Param(name, .int(min: min, max: max), default: .null, doc)
    }
    /// A seed: a whole number ≥ 0, 0 unless said otherwise.
    public static func seed(_ name: String, default d: UInt64 = 0, _ doc: String) -> Param {
        Param(name, .int(min: 0, max: nil), default: .int(Int(d)), doc)
    }
    /// A required string.
    public static func string(_ name: String, _ doc: String) -> Param { Param(name, .string, doc) }
    public static func string(_ name: String, _ d: String, _ doc: String) -> Param {
        Param(name, .string, default: .string(d), doc)
    }
    public static func optionalString(_ name: String, _ doc: String) -> Param {
        Param(name, .string, default: .null, doc)
    }
    public static func bool(_ name: String, _ d: Bool, _ doc: String) -> Param {
        Param(name, .bool, default: .bool(d), doc)
    }
    /// One of an enumeration's raw values; the default is one of its cases.
    public static func choice<E: CaseIterable & RawRepresentable>(_ name: String, _ type: E.Type, _ d: E?, _ doc: String) -> Param where E.RawValue == String {
        Param(name, .choice(E.allCases.map(\.rawValue)), default: d.map { .string($0.rawValue) }, doc)
    }
    public static func choice(_ name: String, _ options: [String], _ d: String?, _ doc: String) -> Param {
        Param(name, .choice(options), default: d.map(Value.string), doc)
    }
    public static func record(_ name: String, what: String = "a record", optional: Bool = true, _ doc: String) -> Param {
        Param(name, .record(what: what), default: optional ? .null : nil, doc)
    }
    public static func list(_ name: String, what: String = "a list", _ doc: String) -> Param {
        Param(name, .list(what: what), doc)
    }
    public static func object(_ name: String, _ typeName: String, what: String, optional: Bool = false, _ doc: String) -> Param {
        Param(name, .object(typeName: typeName, what: what), default: optional ? .null : nil, doc)
    }
    public static func net(_ name: String = "net", _ doc: String = "a net (from mlp)") -> Param {
        object(name, "net", what: "a net (made by mlp)", doc)
    }
    public static func dataset(_ name: String = "data", _ doc: String = "a data set (from dataset)") -> Param {
        object(name, "dataset", what: "a data set (from dataset)", doc)
    }
    public static func mask(_ name: String, _ doc: String) -> Param { Param(name, .maskOrNet, doc) }
    /// The settings of a paper's experiment (`preset("lth-lenet")`); the arguments the
    /// call leaves out are taken from it.
    public static var preset: Param {
        record("preset", what: "a record of settings such as preset(\"lth-lenet\")", "settings to take the arguments from (explicit ones win)")
    }
    public static func any(_ name: String, what: String, default d: Value? = nil, _ doc: String) -> Param {
        Param(name, .any(what: what), default: d, doc)
    }

    // MARK: reading the declaration

    /// How `help` shows what the parameter accepts: "whole number ≥ 1", "\"sgd\" or \"adam\"".
    public var accepts: String {
        switch kind {
        case .number(let b): return b == .any ? "number" : "number \(b.phrase)"
        case .int(let lo, let hi): return "whole number" + Param.intRange(lo, hi)
        case .string: return "string"
        case .bool: return "true or false"
        case .choice(let options): return Param.choiceList(options)
        case .list: return "list"
        case .record: return "record"
        case .function: return "function"
        case .object(let t, _): return t
        case .maskOrNet: return "mask or net"
        case .any(let what): return what
        }
    }

    static func intRange(_ lo: Int?, _ hi: Int?) -> String {
        switch (lo, hi) {
        case let (lo?, hi?): return " between \(lo) and \(hi)"
        case let (lo?, nil): return " ≥ \(lo)"
        case let (nil, hi?): return " ≤ \(hi)"
        default: return ""
        }
    }

    /// "\"a\" or \"b\"", or "one of \"a\", \"b\", \"c\"".
    static func choiceList(_ options: [String]) -> String {
        let q = options.map(quoteString)
        return q.count <= 2 ? q.joined(separator: " or ") : "one of " + q.joined(separator: ", ")
    }

    /// "epochs=1", "net"
    public var signaturePart: String {
        guard let d = defaultValue else { return name }
        return "\(name)=\(d.repr)"
    }
}

/// The allowed range of a number: each end open, closed or absent.
public struct Bounds: Equatable, Sendable {
    public var lower: Double?, lowerOpen = false
    public var upper: Double?, upperOpen = false

    public static let any = Bounds()
    /// > 0
    public static let positive = Bounds(lower: 0, lowerOpen: true)
    /// ≥ 0
    public static let nonNegative = Bounds(lower: 0)
    /// [0, 1): a rate of pruning or a momentum.
    public static let unitOpen = Bounds(lower: 0, upper: 1, upperOpen: true)
    /// [0, 1]: a density or a fraction.
    public static let unit = Bounds(lower: 0, upper: 1)
    /// (0, 1]
    public static let unitPositive = Bounds(lower: 0, lowerOpen: true, upper: 1)

    public func contains(_ x: Double) -> Bool {
        if let l = lower, lowerOpen ? !(x > l) : !(x >= l) { return false }
        if let u = upper, upperOpen ? !(x < u) : !(x <= u) { return false }
        return true
    }

    /// "in [0, 1)", "positive", "≥ 0"
    public var phrase: String {
        switch (lower, upper) {
        case let (l?, u?):
            return "in \(lowerOpen ? "(" : "[")\(formatNumber(l)), \(formatNumber(u))\(upperOpen ? ")" : "]")"
        case let (l?, nil):
            if l == 0 && lowerOpen { return "positive" }
            return "\(lowerOpen ? ">" : "≥") \(formatNumber(l))"
        case let (nil, u?):
            return "\(upperOpen ? "<" : "≤") \(formatNumber(u))"
        default:
            return "finite"
        }
    }
}
