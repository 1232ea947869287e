/// The syntax tree. Every node keeps the location errors about it point at.
public indirect enum Expr {
    case number(Double, SourceLoc)
    case string(String, SourceLoc)
    /// A string with interpolations: text pieces and expressions, in order.
    case interpolated([Expr], SourceLoc)
    case bool(Bool, SourceLoc)
    case null(SourceLoc)
    case list([Expr], SourceLoc)
    case record([(String, Expr)], SourceLoc)
    case name(String, SourceLoc)
    case unary(String, Expr, SourceLoc)
    case binary(String, Expr, Expr, SourceLoc)
    /// `and` / `or`, which evaluate their right side only when needed.
    case logical(String, Expr, Expr, SourceLoc)
    case range(Expr, Expr, SourceLoc)
    case call(Expr, [Argument], SourceLoc)
    case member(Expr, String, SourceLoc)
    case index(Expr, Expr, SourceLoc)
    case function(FunctionDecl)

    public var loc: SourceLoc {
        switch self {
        case .number(_, let l), .string(_, let l), .interpolated(_, let l), .bool(_, let l), .null(let l),
             .list(_, let l), .record(_, let l), .name(_, let l), .unary(_, _, let l), .binary(_, _, _, let l),
             .logical(_, _, _, let l), .range(_, _, let l), .call(_, _, let l), .member(_, _, let l), .index(_, _, let l):
            return l
        case .function(let f): return f.loc
        }
    }
}

/// The name of a `...record` argument (no keyword can be spelled so).
let spreadMarker = "..."

public struct Argument {
    public var name: String?     // nil: positional
    public var value: Expr
    public var loc: SourceLoc    // of the value
    /// Where a keyword argument's name is (an unknown keyword is shown there).
    public var nameLoc: SourceLoc? = nil
}

public final class FunctionDecl {
    public let name: String
    public let params: [(name: String, defaultValue: Expr?)]
    public let body: [Stmt]
    public let doc: String?
    public let loc: SourceLoc
    init(name: String, params: [(name: String, defaultValue: Expr?)], body: [Stmt], doc: String?, loc: SourceLoc) {
        self.name = name; self.params = params; self.body = body; self.doc = doc; self.loc = loc
    }
}

public indirect enum Stmt {
    case expr(Expr)
    /// `target op= value`; op is "=" or "+=", "-=", "*=", "/=".
    case assign(Expr, String, Expr, SourceLoc)
    case ifElse([(Expr, [Stmt])], [Stmt]?, SourceLoc)
    case whileLoop(Expr, [Stmt], SourceLoc)
    case forLoop(String, Expr, [Stmt], SourceLoc)
    case function(FunctionDecl)
    case returnStmt(Expr?, SourceLoc)
    case breakStmt(SourceLoc)
    case continueStmt(SourceLoc)
}

extension Expr {
    /// A compact, readable dump for `:ast`.
    public var dump: String {
        switch self {
        case .number(let x, _): return formatNumber(x)
        case .string(let s, _): return quoteString(s)
        case .interpolated(let parts, _): return "(str " + parts.map(\.dump).joined(separator: " ") + ")"
        case .bool(let b, _): return b ? "true" : "false"
        case .null: return "nil"
        case .list(let xs, _): return "[" + xs.map(\.dump).joined(separator: ", ") + "]"
        case .record(let fs, _): return "{" + fs.map { "\($0.0): \($0.1.dump)" }.joined(separator: ", ") + "}"
        case .name(let n, _): return n
        case .unary(let op, let e, _): return "(\(op) \(e.dump))"
        case .binary(let op, let a, let b, _), .logical(let op, let a, let b, _): return "(\(op) \(a.dump) \(b.dump))"
        case .range(let a, let b, _): return "(.. \(a.dump) \(b.dump))"
        case .call(let f, let args, _):
            return "(call \(f.dump)" + args.map { " " + ($0.name.map { "\($0)=" } ?? "") + $0.value.dump }.joined() + ")"
        case .member(let e, let n, _): return "(. \(e.dump) \(n))"
        case .index(let e, let i, _): return "([] \(e.dump) \(i.dump))"
        case .function(let f): return "(fn \(f.name) (\(f.params.map(\.name).joined(separator: " "))) …)"
        }
    }
}

extension Stmt {
    public var dump: String {
        switch self {
        case .expr(let e): return e.dump
        case .assign(let t, let op, let v, _): return "(\(op) \(t.dump) \(v.dump))"
        case .ifElse(let branches, let other, _):
            return "(if " + branches.map { "\($0.0.dump) [\($0.1.map(\.dump).joined(separator: "; "))]" }.joined(separator: " elif ")
                + (other.map { " else [\($0.map(\.dump).joined(separator: "; "))]" } ?? "") + ")"
        case .whileLoop(let c, let b, _): return "(while \(c.dump) [\(b.map(\.dump).joined(separator: "; "))])"
        case .forLoop(let n, let it, let b, _): return "(for \(n) \(it.dump) [\(b.map(\.dump).joined(separator: "; "))])"
        case .function(let f): return "(fn \(f.name) (\(f.params.map(\.name).joined(separator: " "))) [\(f.body.map(\.dump).joined(separator: "; "))])"
        case .returnStmt(let e, _): return "(return\(e.map { " " + $0.dump } ?? ""))"
        case .breakStmt: return "break"
        case .continueStmt: return "continue"
        }
    }
}
