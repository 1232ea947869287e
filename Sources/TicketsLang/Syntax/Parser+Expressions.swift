import Foundation

extension Parser {
    // MARK: expressions, lowest precedence first

    public mutating func expression() throws -> Expr {
        try enter()
        defer { nesting -= 1 }
        return try orExpr()
    }

    // A chain `a + b + c ...` builds a tree as deep as it is long, and evaluating it
    // recurses that deep: each link counts against the nesting limit.

    /// The operator at the cursor if it is one of `ops` (an operator or a keyword).
    func chainOperator(_ ops: Set<String>) -> String? {
        switch peek.kind {
        case .op(let o) where ops.contains(o): return o
        case .keyword(let k) where ops.contains(k): return k
        default: return nil
        }
    }

    /// operand (op operand)*, left-associative.
    mutating func leftChain(_ ops: Set<String>, _ operand: (inout Parser) throws -> Expr) throws -> Expr {
        let saved = nesting
        defer { nesting = saved }
        var e = try operand(&self)
        while let op = chainOperator(ops) {
            try enter()
            let l = loc(advance())
            let rhs = try operand(&self)
            e = op == "and" || op == "or" ? .logical(op, e, rhs, l) : .binary(op, e, rhs, l)
        }
        return e
    }

    mutating func orExpr() throws -> Expr { try leftChain(["or"]) { try $0.andExpr() } }
    mutating func andExpr() throws -> Expr { try leftChain(["and"]) { try $0.notExpr() } }

    mutating func notExpr() throws -> Expr {
        if isKeyword("not") {
            try enter()
            defer { nesting -= 1 }
            let t = advance()
            return .unary("not", try notExpr(), loc(t))
        }
        return try elementOr()
    }

    // `|` and `&` combine boolean tensors and masks value by value; they bind less
    // tightly than comparisons, so `w > 0 & g < 0` reads as it would be meant.
    mutating func elementOr() throws -> Expr { try leftChain(["|"]) { try $0.elementAnd() } }
    mutating func elementAnd() throws -> Expr { try leftChain(["&"]) { try $0.comparison() } }

    mutating func comparison() throws -> Expr {
        try leftChain(["==", "!=", "<", "<=", ">", ">="]) { try $0.rangeExpr() }
    }

    mutating func rangeExpr() throws -> Expr {
        let e = try additive()
        if isOp("..") { let t = advance(); return .range(e, try additive(), loc(t)) }
        return e
    }

    mutating func additive() throws -> Expr { try leftChain(["+", "-"]) { try $0.multiplicative() } }
    mutating func multiplicative() throws -> Expr { try leftChain(["*", "/", "%"]) { try $0.unary() } }

    mutating func unary() throws -> Expr {
        if isOp("-") || isOp("+") || isOp("~") {
            try enter()
            defer { nesting -= 1 }
            let t = advance()
            if t.kind == .op("~") { return .unary("~", try unary(), loc(t)) }
            return t.kind == .op("-") ? .unary("-", try unary(), loc(t)) : try unary()
        }
        return try power()
    }

    mutating func power() throws -> Expr {
        let base = try postfix()
        if isOp("^") {
            try enter()
            defer { nesting -= 1 }
            let t = advance()
            return .binary("^", base, try unary(), loc(t))
        }
        return base
    }

    mutating func postfix() throws -> Expr {
        let saved = nesting
        defer { nesting = saved }
        var e = try primary()
        while true {
            if isOp("(") || isOp(".") || isOp("[") { try enter() }
            if isOp("(") {
                _ = advance()
                e = .call(e, try arguments(), e.loc)
            } else if isOp(".") {
                _ = advance()
                let (n, nt) = try expectName("a field name after '.'")
                e = .member(e, n, loc(nt))
            } else if isOp("[") {
                let t = advance()
                let i = try expression()
                _ = try expectOp("]", "to close the index")
                e = .index(e, i, loc(t))
            } else {
                return e
            }
        }
    }

    mutating func arguments() throws -> [Argument] {
        var args: [Argument] = []
        var sawKeyword = false
        while !isOp(")") {
            if isOp("...") {
                // `...opts`: the record's fields become keyword arguments.
                _ = advance()
                let v = try expression()
                args.append(Argument(name: spreadMarker, value: v, loc: v.loc))
                sawKeyword = true
            } else if case .name(let n) = peek.kind, case .op("=") = tokens[p + 1].kind {
                let nt = advance(); _ = advance()
                if args.contains(where: { $0.name == n }) {
                    throw TicketsError(.syntax, "keyword argument '\(n)' given twice", at: loc(nt))
                }
                let v = try expression()
                args.append(Argument(name: n, value: v, loc: v.loc, nameLoc: loc(nt)))
                sawKeyword = true
            } else {
                let v = try expression()
                if sawKeyword {
                    throw TicketsError(.syntax, "a positional argument cannot follow keyword arguments", at: v.loc)
                }
                args.append(Argument(name: nil, value: v, loc: v.loc))
            }
            if !isOp(")") { _ = try expectOp(",", "or ')' in the argument list") }
        }
        _ = advance()
        return args
    }

    /// The expression inside a string's `{}`, parsed on its own. Its end is the end of
    /// the code, not of the input: running into it is a plain syntax error here.
    mutating func interpolation(_ code: String, line: Int, col: Int) throws -> Expr {
        do {
            var sub = Parser(code, file: file, line: line, col: col)
            defer {
                for var e in sub.errors {   // its lexer's, and any from blocks of an `fn` in it
                    e.kind = .syntax
                    errors.append(e)
                }
            }
            sub.nesting = nesting   // an interpolation nests inside this expression
            sub.fnDepth = fnDepth; sub.loopDepth = loopDepth
            let e = try sub.expression()
            guard sub.atEOF else {
                throw TicketsError(.syntax, "unexpected \(sub.peek.shown) in string interpolation", at: sub.loc(sub.peek))
            }
            return e
        } catch var e as TicketsError {
            if e.kind == .incomplete { e.kind = .syntax }
            throw e
        }
    }

    mutating func primary() throws -> Expr {
        let t = peek
        let l = loc(t)
        switch t.kind {
        case .number(let x): _ = advance(); return .number(x, l)
        case .string(let parts):
            _ = advance()
            if parts.count == 1, case .text(let s) = parts[0] { return .string(s, l) }
            return .interpolated(try parts.map { part in
                switch part {
                case .text(let s): return .string(s, l)
                case .code(let code, let line, let col): return try interpolation(code, line: line, col: col)
                }
            }, l)
        case .name(let n): _ = advance(); return .name(n, l)
        case .keyword("true"): _ = advance(); return .bool(true, l)
        case .keyword("false"): _ = advance(); return .bool(false, l)
        case .keyword("nil"): _ = advance(); return .null(l)
        case .keyword("fn"): return .function(try function())
        case .op("("):
            _ = advance()
            let e = try expression()
            _ = try expectOp(")", "to close '('")
            return e
        case .op("["):
            _ = advance()
            var items: [Expr] = []
            while !isOp("]") {
                items.append(try expression())
                if !isOp("]") { _ = try expectOp(",", "or ']' in the list") }
            }
            _ = advance()
            return .list(items, l)
        case .op("{"):
            _ = advance()
            var fields: [(String, Expr)] = []
            while !isOp("}") {
                let kt = peek
                let key: String
                switch kt.kind {
                case .name(let n): key = n
                case .keyword(let k): key = k
                case .string(let parts):
                    guard parts.count == 1, case .text(let s) = parts[0] else {
                        throw TicketsError(.syntax, "a record key cannot be an interpolated string", at: loc(kt))
                    }
                    key = s
                default: throw unexpected(kt, "expected a field name in the record")
                }
                _ = advance()
                _ = try expectOp(":", "after the field name '\(key)'")
                fields.append((key, try expression()))
                if !isOp("}") { _ = try expectOp(",", "or '}' in the record") }
            }
            _ = advance()
            return .record(fields, l)
        default:
            throw unexpected(t, "expected an expression")
        }
    }
}
