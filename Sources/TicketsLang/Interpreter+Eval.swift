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
        case .interpolated(let parts, _):
            return .string(try parts.map { try eval($0, env).display }.joined())
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
            guard case .number(let n) = v else {
                throw TicketsError(.runtime, "cannot negate \(describeBrief(v))", at: loc)
            }
            return .number(-n)
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
            var positional: [(Value, SourceLoc)] = [], keywords: [(String, Value, SourceLoc)] = []
            for a in args {
                let v = try eval(a.value, env)
                if let n = a.name { keywords.append((n, v, a.loc)) } else { positional.append((v, a.loc)) }
            }
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

    func sized(_ s: String, at loc: SourceLoc) throws -> String {
        guard s.utf8.count <= Interpreter.maxItems else {
            throw TicketsError(.runtime, "the string would be longer than \(Interpreter.maxItems) characters", at: loc)
        }
        return s
    }

    /// Refuses a value nested deeper than `maxValueNesting` (freeing it would overflow
    /// the stack).
    func checkNesting(_ v: Value, at loc: SourceLoc) throws -> Value {
        guard v.nesting <= maxValueNesting else {
            throw TicketsError(.runtime, "values may nest at most \(maxValueNesting) deep (lists in lists, records in records)", at: loc)
        }
        return v
    }

    func unknownName(_ n: String, _ env: Environment, at loc: SourceLoc) -> TicketsError {
        var names = Set(globals.vars.keys)
        var e: Environment? = env
        while let x = e { names.formUnion(x.vars.keys); e = x.parent }
        let close = names.filter { editDistance($0, n) <= max(1, n.count / 3) }.sorted()
        let hint = close.isEmpty ? "" : "; did you mean \(close.prefix(3).map { "'\($0)'" }.joined(separator: " or "))?"
        return TicketsError(.runtime, "unknown name '\(n)'\(hint)", at: loc)
    }

    // MARK: calls

    func callValue(_ f: Value, positional: [(Value, SourceLoc)], keywords: [(String, Value, SourceLoc)],
                   at loc: SourceLoc, calleeExpr: Expr? = nil) throws -> Value {
        switch f {
        case .builtin(let b):
            let args = try Args(builtin: b, ctx: self, callLoc: loc, positional: positional, keywords: keywords)
            let outer = activeCall
            activeCall = loc
            defer { activeCall = outer }
            do { return try b.fn(args) } catch var e as TicketsError {
                if e.loc == nil { e.loc = loc; if !e.message.hasPrefix(b.name + ":") { e.message = "\(b.name): \(e.message)" } }
                throw e
            } catch let e as EngineError {
                throw TicketsError(e.isIO ? .io : .runtime, "\(b.name): \(e.message)", at: loc)
            }
        case .function(let c):
            do {
                return try callClosure(c, positional: positional, keywords: keywords, at: loc)
            } catch var e as TicketsError {
                fill(&e)
                e.addCall(c.name, at: loc)
                throw e
            }
        default:
            let what = calleeExpr.map { if case .name(let n, _) = $0 { return "'\(n)' (\(describeBrief(f)))" }; return describeBrief(f) } ?? describeBrief(f)
            throw TicketsError(.runtime, "cannot call \(what); it is not a function", at: loc)
        }
    }

    func callClosure(_ c: Closure, positional: [(Value, SourceLoc)], keywords: [(String, Value, SourceLoc)],
                     at loc: SourceLoc) throws -> Value {
        let d = c.decl
        guard depth < Interpreter.maxDepth else {
            throw TicketsError(.runtime, "stack overflow: more than \(Interpreter.maxDepth) nested calls (in \(d.name))", at: loc)
        }
        if positional.count > d.params.count {
            throw TicketsError(.runtime, "\(d.name): takes at most \(d.params.count) argument\(d.params.count == 1 ? "" : "s"), got \(positional.count)", at: positional[d.params.count].1)
        }
        let env = Environment(parent: c.env)
        for (i, (v, _)) in positional.enumerated() { env.vars[d.params[i].name] = v }
        for (k, v, kloc) in keywords {
            guard let i = d.params.firstIndex(where: { $0.name == k }) else {
                throw TicketsError(.runtime, "\(d.name): unknown keyword argument '\(k)'; expected one of \(d.params.map(\.name).joined(separator: ", "))", at: kloc)
            }
            if i < positional.count {
                throw TicketsError(.runtime, "\(d.name): argument '\(k)' given twice", at: kloc)
            }
            env.vars[k] = v
        }
        depth += 1
        defer { depth -= 1 }
        for p in d.params where env.vars[p.name] == nil {
            guard let dv = p.defaultValue else {
                throw TicketsError(.runtime, "\(d.name): missing argument '\(p.name)'", at: loc)
            }
            env.vars[p.name] = try eval(dv, env)
        }
        try checkInterrupt(loc)
        do {
            // As in Julia, a function without `return` gives the value of its last
            // statement when that is an expression: `fn (x) x * 2 end`.
            if case .expr(let last)? = d.body.last {
                try execBlock(Array(d.body.dropLast()), env)
                return try eval(last, env)
            }
            try execBlock(d.body, env)
        } catch let cf as ControlFlow {
            if case .returnValue(let v) = cf.kind { return v }
            throw TicketsError(.syntax, "'\(cf.keyword)' outside of a loop", at: cf.loc)
        }
        return .null
    }

    // MARK: members and indexing

    func member(_ v: Value, _ name: String, at loc: SourceLoc) throws -> Value {
        switch v {
        case .record(let r):
            if let x = r[name] { return x }
            let known = r.keys.isEmpty ? "it has no fields" : "it has " + r.keys.joined(separator: ", ")
            throw TicketsError(.runtime, "the record has no field '\(name)'; \(known)", at: loc)
        case .object(let o):
            if let x = o.member(name) { return x }
            throw TicketsError(.runtime, "a \(o.typeName) has no member '\(name)'; it has \(o.memberNames.joined(separator: ", "))", at: loc)
        default:
            throw TicketsError(.runtime, "\(describeBrief(v)) has no member '\(name)'", at: loc)
        }
    }

    func listIndex(_ i: Value, count: Int, at loc: SourceLoc) throws -> Int {
        guard case .number(let x) = i, x == x.rounded(), abs(x) < 1e15 else {
            throw TicketsError(.runtime, "an index must be a whole number, got \(describeBrief(i))", at: loc)
        }
        var k = Int(x)
        if k < 0 { k += count }
        guard k >= 0, k < count else {
            throw TicketsError(.runtime, "index \(Int(x)) is out of range for length \(count)", at: loc)
        }
        return k
    }

    func index(_ v: Value, _ i: Value, at loc: SourceLoc, indexLoc: SourceLoc) throws -> Value {
        switch v {
        case .list(let l): return l.items[try listIndex(i, count: l.items.count, at: indexLoc)]
        case .string(let s):
            let chars = Array(s)
            return .string(String(chars[try listIndex(i, count: chars.count, at: indexLoc)]))
        case .range(let a, let b):
            return .int(a + (try listIndex(i, count: max(0, b - a + 1), at: indexLoc)))
        case .record(let r):
            guard case .string(let k) = i else {
                throw TicketsError(.runtime, "a record is indexed by a string key, got \(describeBrief(i))", at: indexLoc)
            }
            guard let x = r[k] else {
                throw TicketsError(.runtime, "the record has no field \(quoteString(k))", at: indexLoc)
            }
            return x
        case .object(let o):
            do {
                if let x = try o.index(i) { return x }
            } catch var e as TicketsError {
                if e.loc == nil { e.loc = indexLoc }
                throw e
            }
            throw TicketsError(.runtime, "a \(o.typeName) cannot be indexed", at: loc)
        default:
            throw TicketsError(.runtime, "\(describeBrief(v)) cannot be indexed", at: loc)
        }
    }

    // MARK: operators

    func arithmetic(_ op: String, _ a: Value, _ b: Value, at loc: SourceLoc) throws -> Value {
        switch (op, a, b) {
        case ("==", _, _): return .bool(valuesEqual(a, b))
        case ("!=", _, _): return .bool(!valuesEqual(a, b))
        case (_, .number(let x), .number(let y)):
            switch op {
            case "+": return .number(x + y)
            case "-": return .number(x - y)
            case "*": return .number(x * y)
            case "/": return .number(x / y)
            case "%":
                // Floored, as in Python: the result takes the divisor's sign.
                if y == 0 || x.isInfinite { return .number(.nan) }
                if y.isInfinite { return .number(x == 0 || (x < 0) == (y < 0) ? x : y) }
                return .number(x - y * (x / y).rounded(.down))
            case "^": return .number(Foundation.pow(x, y))
            case "<": return .bool(x < y)
            case "<=": return .bool(x <= y)
            case ">": return .bool(x > y)
            case ">=": return .bool(x >= y)
            default: break
            }
        case ("+", .string(let x), _): return .string(try sized(x + b.display, at: loc))
        case ("+", _, .string(let y)): return .string(try sized(a.display + y, at: loc))
        case ("+", .list(let x), .list(let y)):
            guard x.items.count + y.items.count <= Interpreter.maxItems else {
                throw TicketsError(.runtime, "the list would have more than \(Interpreter.maxItems) items", at: loc)
            }
            return .list(x.items + y.items)
        case ("*", .string(let s), .number(let n)):
            guard n >= 0, n == n.rounded(), n * Double(s.count) <= Double(Interpreter.maxItems) else {
                throw TicketsError(.runtime, "a string is repeated a whole number of times (≥ 0), up to \(Interpreter.maxItems) characters in all; got \(describeBrief(b))", at: loc)
            }
            return .string(String(repeating: s, count: Int(n)))
        case (_, .string(let x), .string(let y)):
            switch op {
            case "<": return .bool(x < y)
            case "<=": return .bool(x <= y)
            case ">": return .bool(x > y)
            case ">=": return .bool(x >= y)
            default: break
            }
        default: break
        }
        let verb: String
        switch op {
        case "+": verb = "add"
        case "-": verb = "subtract"
        case "*": verb = "multiply"
        case "/": verb = "divide"
        case "%": verb = "take the remainder of"
        case "^": verb = "raise"
        default: verb = "compare"
        }
        let join = op == "^" ? "to the power of" : "and"
        throw TicketsError(.runtime, "cannot \(verb) \(describeBrief(a)) \(join) \(describeBrief(b)) with '\(op)'", at: loc)
    }
}

/// Levenshtein distance, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var prev = Array(0...b.count)
    for i in 1...a.count {
        var cur = [i] + [Int](repeating: 0, count: b.count)
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        prev = cur
    }
    return prev[b.count]
}
