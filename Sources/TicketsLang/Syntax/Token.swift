/// The tokens of Tickets. `line`/`col` are 1-based and point at the token's first character.
public struct Token: Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case number(Double)
        /// A string literal, split at `{expr}` interpolations.
        case string([StringPart])
        case name(String)
        case keyword(String)
        case op(String)
        case newline
        case eof
    }
    public var kind: Kind
    public var line: Int
    public var col: Int

    public var description: String {
        switch kind {
        case .number(let x): return "number \(formatNumber(x))"
        case .string(let parts):
            return "string " + quoteString(parts.map { p in
                switch p { case .text(let t): return t; case .code(let c, _, _): return "{\(c)}" }
            }.joined())
        case .name(let n): return "name \(n)"
        case .keyword(let k): return "keyword \(k)"
        case .op(let o): return "'\(o)'"
        case .newline: return "newline"
        case .eof: return "end of input"
        }
    }

    /// How the token is named in "unexpected ..." messages.
    var shown: String {
        switch kind {
        case .number(let x): return formatNumber(x)
        case .string: return "a string"
        case .name(let n): return "'\(n)'"
        case .keyword(let k): return "'\(k)'"
        case .op(let o): return "'\(o)'"
        case .newline: return "end of line"
        case .eof: return "end of input"
        }
    }
}

public enum StringPart: Sendable, Equatable {
    case text(String)
    /// The source of an interpolated expression and where it starts.
    case code(String, line: Int, col: Int)
}

let keywords: Set<String> = ["if", "elif", "else", "end", "for", "in", "while", "fn", "return",
                             "break", "continue", "and", "or", "not", "true", "false", "nil"]
