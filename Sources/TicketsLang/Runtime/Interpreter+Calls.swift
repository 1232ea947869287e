import Foundation
import TicketsEngine

extension Interpreter {
    // MARK: calls

    func callValue(_ f: Value, positional: [(Value, SourceLoc)], keywords: [(String, Value, SourceLoc)],
                   at loc: SourceLoc, calleeExpr: Expr? = nil) throws -> Value {
        switch f {
        case .builtin(let b):
            let outer = activeCall
            activeCall = loc
            defer { activeCall = outer }
            // Where a builtin's errors, its own and the engine's, become errors located
            // at the call and named for the builtin.
            do {
                let args = try Args(builtin: b, ctx: self, callLoc: loc, positional: positional, keywords: keywords)
                return try b.fn(args)
            } catch var e as TicketsError {
                if e.loc == nil { e.loc = loc; if !e.message.hasPrefix(b.name + ":") { e.message = "\(b.name): \(e.message)" } }
                throw e
            } catch let e as EngineError {
                throw TicketsError(e, from: b.name, at: loc)
            }
        case .function(let c):
            // A library function's arguments are checked as a builtin's are, at the
            // user's line, before it runs.
            if let b = c.declared {
                _ = try Args(builtin: b, ctx: self, callLoc: loc, positional: positional, keywords: keywords)
            }
            do {
                return try callClosure(c, positional: positional, keywords: keywords, at: loc)
            } catch var e as TicketsError {
                fill(&e)
                let line = sources[loc.file].flatMap { loc.line >= 1 && loc.line <= $0.count ? $0[loc.line - 1] : nil }
                e.placeAtLibraryCall(c.name, at: loc, sourceLine: line)
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
                throw TicketsError(.runtime, unknownKeyword(k, of: d.name, params: d.params.map(\.name)), at: kloc)
            }
            if i < positional.count {
                throw TicketsError(.runtime, "\(d.name): argument '\(k)' given twice", at: kloc)
            }
            env.vars[k] = v
        }
        depth += 1
        defer { depth -= 1 }
        var leftOut: Set<String> = []
        for p in d.params where env.vars[p.name] == nil {
            guard let dv = p.defaultValue else {
                throw TicketsError(.runtime, "\(d.name): missing argument '\(p.name)'", at: loc)
            }
            env.vars[p.name] = try eval(dv, env)
            leftOut.insert(p.name)
        }
        frames.append((d, leftOut, nil))
        defer { frames.removeLast() }
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
        } catch {
            unwindInterrupted()
            throw error
        }
        return .null
    }
}
