/// A function's code in one canonical form, for naming the runs of an experiment: the
/// parsed function written back out with every number at full precision, so that two
/// texts of the same code (other comments, other spacing) give the same form, and any
/// change to the code (a default, a number, a name) gives another.
///
///     fn exp(lr=0.1) return train_once(lr) end   →   (fn exp ((lr 0.1)) ((return (call train_once lr))))
///
/// The form covers the function itself, not the functions it calls.
extension FunctionDecl {
    public var canonicalCode: String { CanonicalCode.function(self) }
}

enum CanonicalCode {
    static func function(_ f: FunctionDecl) -> String {
        let params = f.params.map { p in p.defaultValue.map { "(\(p.name) \(expr($0)))" } ?? p.name }
        return "(fn \(f.name) (\(params.joined(separator: " "))) \(block(f.body)))"
    }

    static func block(_ b: [Stmt]) -> String { "(" + b.map(stmt).joined(separator: " ") + ")" }

    static func stmt(_ s: Stmt) -> String {
        switch s {
        case .expr(let e): return expr(e)
        case .assign(let target, let op, let value, _): return "(\(op) \(expr(target)) \(expr(value)))"
        case .ifElse(let branches, let otherwise, _):
            let parts = branches.map { "(\(expr($0.0)) \(block($0.1)))" }
            return "(if " + parts.joined(separator: " ") + (otherwise.map { " (else \(block($0)))" } ?? "") + ")"
        case .whileLoop(let c, let body, _): return "(while \(expr(c)) \(block(body)))"
        case .forLoop(let name, let iter, let body, _): return "(for \(name) \(expr(iter)) \(block(body)))"
        case .function(let f): return function(f)
        case .returnStmt(let e, _): return "(return" + (e.map { " " + expr($0) } ?? "") + ")"
        case .breakStmt: return "(break)"
        case .continueStmt: return "(continue)"
        }
    }

    static func expr(_ e: Expr) -> String {
        switch e {
        case .number(let x, _): return number(x)
        case .string(let s, _): return quoteString(s)
        case .interpolated(let parts, _): return "(str " + parts.map(expr).joined(separator: " ") + ")"
        case .bool(let b, _): return b ? "true" : "false"
        case .null: return "nil"
        case .list(let items, _): return "(list " + items.map(expr).joined(separator: " ") + ")"
        case .record(let fields, _): return "(record " + fields.map { "(\(recordKey($0.0)) \(expr($0.1)))" }.joined(separator: " ") + ")"
        case .name(let n, _): return n
        case .unary(let op, let a, _): return "(\(op) \(expr(a)))"
        case .binary(let op, let a, let b, _), .logical(let op, let a, let b, _): return "(\(op) \(expr(a)) \(expr(b)))"
        case .range(let a, let b, _): return "(.. \(expr(a)) \(expr(b)))"
        case .call(let f, let args, _):
            return "(call \(expr(f))" + args.map { " " + ($0.name.map { "\($0)=" } ?? "") + expr($0.value) }.joined() + ")"
        case .member(let a, let n, _): return "(. \(expr(a)) \(n))"
        case .index(let a, let i, _): return "([] \(expr(a)) \(expr(i)))"
        case .function(let f): return function(f)
        }
    }

    /// Every digit that tells the number apart: 0.1, 1e-07, 3.
    static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}
