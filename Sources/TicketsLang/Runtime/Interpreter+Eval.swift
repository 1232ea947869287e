import Foundation
import TicketsEngine

extension Interpreter {
    // MARK: statements

    func exec(_ s: Stmt, _ env: Environment) throws {
        switch s {
        case .expr(let e):
            _ = try eval(e, env)
        case .assign(let target, let op, let valueExpr, let loc):
            var v = try eval(valueExpr, env)
            if op != "=" {
                let current = try eval(target, env)
                v = try arithmetic(String(op.dropLast()), current, v, at: loc)
            }
            try assign(target, v, env)
        case .ifElse(let branches, let otherwise, _):
            for (cond, body) in branches where try eval(cond, env).isTruthy {
                try execBlock(body, env)
                return
            }
            if let otherwise { try execBlock(otherwise, env) }
        case .whileLoop(let cond, let body, let loc):
            while try eval(cond, env).isTruthy {
                try checkInterrupt(loc)
                do { try execBlock(body, env) } catch let c as ControlFlow {
                    if case .breakLoop = c.kind { break }
                    if case .continueLoop = c.kind { continue }
                    throw c
                }
            }
        case .forLoop(let name, let iterExpr, let body, let loc):
            let seq = try eval(iterExpr, env)
            let items = try iterate(seq, at: iterExpr.loc)
            for i in 0..<items.count {
                try checkInterrupt(loc)
                env.vars[name] = try items.item(i)
                do { try execBlock(body, env) } catch let c as ControlFlow {
                    if case .breakLoop = c.kind { break }
                    if case .continueLoop = c.kind { continue }
                    throw c
                }
            }
        case .function(let decl):
            if env === globals, let kind = protectedKind(decl.name) {
                throw TicketsError(.runtime, "'\(decl.name)' is a \(kind) and cannot be redefined; choose another name", at: decl.loc)
            }
            env.vars[decl.name] = .function(Closure(decl: decl, env: env))
        case .returnStmt(let e, let loc):
            throw ControlFlow(kind: .returnValue(try e.map { try eval($0, env) } ?? .null), loc: loc)
        case .breakStmt(let loc):
            throw ControlFlow(kind: .breakLoop, loc: loc)
        case .continueStmt(let loc):
            throw ControlFlow(kind: .continueLoop, loc: loc)
        }
    }

    func execBlock(_ body: [Stmt], _ env: Environment) throws {
        for s in body { try exec(s, env) }
    }

    func checkInterrupt(_ loc: SourceLoc) throws {
        if shouldStop() { throw TicketsError(.runtime, "interrupted", at: loc) }
        if let d = deadline, DispatchTime.now().uptimeNanoseconds > d {
            throw TicketsError(.runtime, "stopped: the run took longer than its time limit of \(formatNumber(timeLimit ?? 0)) s", at: loc)
        }
    }

    /// The items a `for` loop walks, produced lazily for ranges.
    struct Items {
        let count: Int
        let item: (Int) throws -> Value
    }

    func iterate(_ v: Value, at loc: SourceLoc) throws -> Items {
        switch v {
        case .list(let l):
            let snapshot = l.items
            return Items(count: snapshot.count) { snapshot[$0] }
        case .range(let a, let b):
            return Items(count: max(0, b - a + 1)) { .int(a + $0) }
        case .string(let s):
            let chars = s.map { Value.string(String($0)) }
            return Items(count: chars.count) { chars[$0] }
        case .record(let r):
            let keys = r.keys
            return Items(count: keys.count) { .string(keys[$0]) }
        case .object(let o):
            if let n = o.length {
                return Items(count: n) { i in
                    guard let x = try o.index(.int(i)) else { throw TicketsError(.runtime, "cannot loop over a \(o.typeName)", at: loc) }
                    return x
                }
            }
        default: break
        }
        throw TicketsError(.runtime, "cannot loop over \(describeBrief(v)); a for loop takes a list, range, string, record or table", at: loc)
    }

    func assign(_ target: Expr, _ v: Value, _ env: Environment) throws {
        switch target {
        case .name(let n, let loc):
            if env === globals, let kind = protectedKind(n) {
                throw TicketsError(.runtime, "'\(n)' is a \(kind) and cannot be assigned to; choose another name", at: loc)
            }
            env.vars[n] = v
        case .member(let obj, let field, let loc):
            let o = try eval(obj, env)
            if case .object(let settable as SettableMembers) = o {
                do { try settable.setMember(field, v) } catch let e as EngineError { throw TicketsError(.runtime, e.message, at: loc) }
                return
            }
            guard case .record(let r) = o else {
                throw TicketsError(.runtime, "cannot set field '\(field)' of \(describeBrief(o)); only records have settable fields", at: loc)
            }
            r[field] = v
            _ = try checkNesting(o, at: loc)
        case .index(let obj, let idx, let loc):
            let o = try eval(obj, env), i = try eval(idx, env)
            switch o {
            case .list(let l):
                let k = try listIndex(i, count: l.items.count, at: idx.loc)
                l.items[k] = v
                l.depth = max(l.depth, v.nesting + 1)
                _ = try checkNesting(o, at: loc)
            case .record(let r):
                guard case .string(let key) = i else {
                    throw TicketsError(.runtime, "a record's key must be a string, got \(describeBrief(i))", at: idx.loc)
                }
                r[key] = v
                _ = try checkNesting(o, at: loc)
            default:
                throw TicketsError(.runtime, "cannot assign into \(describeBrief(o)) by index", at: loc)
            }
        default:
            throw TicketsError(.syntax, "cannot assign to this expression", at: target.loc)
        }
    }

    // MARK: expressions

    func eval(_ e: Expr, _ env: Environment) throws -> Value {
        switch e {
        case .number(let x, _): return .number(x)
        case .string(let s, _): return .string(s)
        case .interpolated(let parts, let loc):
            return .string(try parts.map { part in try placed(at: loc) { try eval(part, env).checkedDisplay() } }.joined())
        case .bool(let b, _): return .bool(b)
        case .null: return .null
        case .list(let items, let loc):
            return try checkNesting(.list(try items.map { try eval($0, env) }), at: loc)
        case .record(let fields, let loc):
            return try checkNesting(.record(RecordRef(try fields.map { ($0.0, try eval($0.1, env)) })), at: loc)
        case .name(let n, let loc):
            guard let v = env.lookup(n) else { throw unknownName(n, env, at: loc) }
            return v
        case .unary(let op, let x, let loc):
            let v = try eval(x, env)
            if op == "not" { return .bool(!v.isTruthy) }
            if op == "-", case .number(let n) = v { return .number(-n) }
            return try elementwiseUnary(op, v, at: loc)
        case .binary(let op, let a, let b, let loc):
            return try arithmetic(op, try eval(a, env), try eval(b, env), at: loc)
        case .logical(let op, let a, let b, _):
            let x = try eval(a, env)
            if op == "and" { return x.isTruthy ? try eval(b, env) : x }
            return x.isTruthy ? x : try eval(b, env)
        case .range(let a, let b, let loc):
            let x = try eval(a, env), y = try eval(b, env)
            guard case .number(let lo) = x, case .number(let hi) = y, lo == lo.rounded(), hi == hi.rounded() else {
                throw TicketsError(.runtime, "a range needs whole numbers on both sides, got \(describeBrief(x)) .. \(describeBrief(y))", at: loc)
            }
            guard abs(lo) <= 9e15, abs(hi) <= 9e15 else {
                throw TicketsError(.runtime, "a range's ends must lie within ±9e15, got \(formatNumber(lo)) .. \(formatNumber(hi))", at: loc)
            }
            return .range(Int(lo), Int(hi))
        case .call(let fe, let args, let loc):
            let f = try eval(fe, env)
            try checkKeywords(f, args)
            var positional: [(Value, SourceLoc)] = [], keywords: [(String, Value, SourceLoc)] = []
            var spreads: [(RecordRef, SourceLoc)] = []
            for a in args {
                let v = try eval(a.value, env)
                if a.name == spreadMarker {
                    guard case .record(let r) = v else {
                        throw TicketsError(.runtime, "'...' spreads a record into keyword arguments, got \(describeBrief(v))", at: a.loc)
                    }
                    spreads.append((r, a.loc))
                } else if let n = a.name { keywords.append((n, v, a.loc)) } else { positional.append((v, a.loc)) }
            }
            if !spreads.isEmpty { keywords += spreadKeywords(spreads, into: f, positional: positional.count, given: keywords.map(\.0)) }
            return try callValue(f, positional: positional, keywords: keywords, at: loc, calleeExpr: fe)
        case .member(let obj, let name, let loc):
            return try member(try eval(obj, env), name, at: loc)
        case .index(let obj, let idx, let loc):
            return try index(try eval(obj, env), try eval(idx, env), at: loc, indexLoc: idx.loc)
        case .function(let decl):
            return .function(Closure(decl: decl, env: env))
        }
    }

    /// Strings and lists stop growing at this size, long before memory runs out.
    static let maxItems = 100_000_000
    /// Lists and tables stop at this many items (a list item takes ~40 bytes).
    public static let maxListItems = 10_000_000

    func sized(_ s: String, at loc: SourceLoc) throws -> String {
        guard s.utf8.count <= Interpreter.maxItems else {
            throw TicketsError(.runtime, "the string would be longer than \(Interpreter.maxItems) characters", at: loc)
        }
        return s
    }

    /// Refuses a value nested deeper than `maxValueNesting`, as far as its containers'
    /// recorded depths tell (printing and comparing check again as they walk).
    func checkNesting(_ v: Value, at loc: SourceLoc) throws -> Value {
        guard v.nesting <= maxValueNesting else {
            throw TicketsError(.runtime, "values may nest at most \(maxValueNesting) deep (lists in lists, records in records)", at: loc)
        }
        return v
    }

    /// A keyword the function does not take, before any argument is computed: the
    /// caret on the keyword, and the close spellings it does take.
    func checkKeywords(_ f: Value, _ args: [Argument]) throws {
        let name: String, params: [String]
        switch f {
        case .builtin(let b): name = b.name; params = b.params.map(\.name)
        case .function(let c): name = c.name; params = c.decl.params.map(\.name)
        default: return
        }
        for a in args {
            guard let k = a.name, k != spreadMarker, !params.contains(k) else { continue }
            throw TicketsError(.runtime, unknownKeyword(k, of: name, params: params), at: a.nameLoc ?? a.loc)
        }
    }

    func unknownName(_ n: String, _ env: Environment, at loc: SourceLoc) -> TicketsError {
        var names = Set(globals.vars.keys)
        var e: Environment? = env
        while let x = e { names.formUnion(x.vars.keys); e = x.parent }
        let close = names.filter { editDistance($0, n) <= max(1, n.count / 3) }.sorted()
        let hint = close.isEmpty ? "" : "; did you mean \(close.prefix(3).map { "'\($0)'" }.joined(separator: " or "))?"
        return TicketsError(.runtime, "unknown name '\(n)'\(hint)", at: loc)
    }
}
