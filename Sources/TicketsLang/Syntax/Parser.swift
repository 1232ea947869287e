import Foundation

/// Recursive-descent parser: tokens → statements. A parse that runs out of input where
/// more is needed (an open block, bracket or string) throws an `.incomplete` error, so
/// the REPL can ask for the next line instead of reporting it.
///
/// A syntax error does not stop it: the statement is recorded as broken, the parser
/// skips to where the next one can start (see `synchronize`) and goes on, so one run
/// reports every mistake it can (see `parse`).
public struct Parser {
    var tokens: [Token]
    var p = 0
    /// How deeply statements and expressions nest now; bounded so that no input can
    /// exhaust the stack of the parser or of the evaluator.
    var nesting = 0
    static let maxNesting = 100
    /// Functions and loops around the current statement, so `return` outside a
    /// function and `break` outside a loop are syntax errors.
    var fnDepth = 0, loopDepth = 0
    /// Blocks (`if`, `while`, `for`, `fn`) whose keyword is read and whose `end` is not yet.
    var openBlocks = 0
    /// The mistakes met so far: the lexer's, then the parser's as it meets them.
    var errors: [TicketsError] = []
    /// The parse gives up after this many errors.
    static let maxErrors = 100
    /// Set when a broken statement was left inside an unclosed bracket: the lexer drops
    /// newlines until that bracket closes, so until the next newline a line break ends a
    /// statement.
    var linesEndStatements = false
    let file: String
    let sourceLines: [Substring]

    /// The lexer's errors start `errors`; its tokens stop at a string left open at the
    /// end of the input.
    public init(_ source: String, file: String, line: Int = 1, col: Int = 1) {
        var lexer = Lexer(source, file: file, line: line, col: col)
        tokens = lexer.tokenizeAll()
        errors = lexer.errors
        self.file = file
        sourceLines = source.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Parses a whole program. With mistakes, throws the first one met, carrying the
    /// others in its `more` (see `combinedError`).
    public static func parse(_ source: String, file: String) throws -> [Stmt] {
        var parser = Parser(source, file: file)
        var program: [Stmt] = []
        do {
            program = try parser.program()
        } catch {
            // The input ended inside a block or bracket, or there were too many errors.
            if let e = error as? TicketsError { parser.errors.append(e) }
        }
        if let error = parser.combinedError() { throw error }
        return program
    }

    /// All the errors as one: the first syntax error in the source, carrying the others
    /// in source order. One mistake often upsets the rest of its line, so only the first
    /// error of each line is kept. An `.incomplete` error (the input ended inside a
    /// block, bracket or string) is met last, and only the first is kept (a string open
    /// at the end leaves the parser at the end of the input too); when it is the only
    /// error it is thrown alone, so the REPL reads on.
    func combinedError() -> TicketsError? {
        let incomplete = errors.first { $0.kind == .incomplete }
        var kept: [TicketsError] = []
        var lines: Set<Int> = []
        for e in inSourceOrder(errors.filter { $0.kind == .syntax }) {
            let line = e.loc?.line ?? 0
            if !lines.contains(line) { kept.append(e); lines.insert(line) }
        }
        guard var first = kept.first else { return incomplete }
        first.more = inSourceOrder(Array(kept.dropFirst()) + (incomplete.map { [$0] } ?? []))
        return first
    }

    /// Sorted by line and column; errors at the same place keep their order.
    func inSourceOrder(_ list: [TicketsError]) -> [TicketsError] {
        let keys = list.indices.map { i in (line: list[i].loc?.line ?? 0, col: list[i].loc?.col ?? 0, index: i) }
        return keys.sorted { ($0.line, $0.col, $0.index) < ($1.line, $1.col, $1.index) }.map { list[$0.index] }
    }

    public mutating func program() throws -> [Stmt] {
        let body = try block(until: [])
        guard case .eof = peek.kind else { throw unexpected(peek, "expected a statement") }
        return body
    }

    // MARK: tokens

    var peek: Token { tokens[p] }
    func loc(_ t: Token) -> SourceLoc { SourceLoc(file: file, line: t.line, col: t.col) }

    mutating func advance() -> Token {
        let t = tokens[p]
        if p < tokens.count - 1 { p += 1 }
        return t
    }

    /// Reads the keyword that opens a block (`if`, `while`, `for`, `fn`).
    mutating func openBlock() -> Token {
        openBlocks += 1
        return advance()
    }

    /// Reads the `end` that closes a block.
    mutating func closeBlock() {
        openBlocks -= 1
        _ = advance()
    }

    func isOp(_ s: String) -> Bool { if case .op(s) = peek.kind { return true }; return false }
    func isKeyword(_ s: String) -> Bool { if case .keyword(s) = peek.kind { return true }; return false }
    var atEOF: Bool { if case .eof = peek.kind { return true }; return false }

    mutating func skipSeparators() {
        while true {
            if case .newline = peek.kind { linesEndStatements = false; _ = advance(); continue }
            if isOp(";") { _ = advance(); continue }
            return
        }
    }

    func unexpected(_ t: Token, _ what: String) -> TicketsError {
        if case .eof = t.kind {
            return TicketsError(.incomplete, "\(what), got end of input", at: loc(t))
        }
        return TicketsError(.syntax, "\(what), got \(t.shown)", at: loc(t))
    }

    mutating func expectOp(_ s: String, _ context: String) throws -> Token {
        guard isOp(s) else { throw unexpected(peek, "expected '\(s)' \(context)") }
        return advance()
    }

    mutating func expectName(_ context: String) throws -> (String, Token) {
        let t = peek
        guard case .name(let n) = t.kind else {
            if case .keyword(let k) = t.kind {
                throw TicketsError(.syntax, "'\(k)' is a reserved word and cannot be used as \(context)", at: loc(t))
            }
            throw unexpected(t, "expected \(context)")
        }
        _ = advance()
        return (n, t)
    }

    // MARK: statements

    /// Statements up to (not including) one of the terminating keywords or EOF. A
    /// statement with a syntax error is recorded and skipped (see `synchronize`).
    mutating func block(until terminators: Set<String>) throws -> [Stmt] {
        var out: [Stmt] = []
        skipSeparators()
        statements: while !atEOF {
            if case .keyword(let k) = peek.kind, terminators.contains(k) { break }
            if case .keyword(let k) = peek.kind, ["end", "elif", "else"].contains(k) {
                try record(TicketsError(.syntax, "'\(k)' without an open block", at: loc(peek)))
                _ = advance()
                // A stray `elif` or `else` starts a branch: skip it up to its `end`.
                synchronize(statementStart: p, opened: k == "end" ? 0 : 1)
                skipSeparators()
                continue
            }
            let start = p
            let saved = (nesting: nesting, fnDepth: fnDepth, loopDepth: loopDepth, openBlocks: openBlocks)
            do {
                out.append(try statement())
                // A statement ends at a newline, ';', the end of input, or the block's end.
                if case .keyword(let k) = peek.kind, terminators.contains(k) { break statements }
                if atEOF { break statements }
                if case .newline = peek.kind {} else if !isOp(";") && !(linesEndStatements && beginsLine(p)) {
                    throw unexpected(peek, "expected the end of the statement")
                }
            } catch let e as TicketsError where e.kind == .syntax {
                try record(e)
                let opened = openBlocks - saved.openBlocks
                (nesting, fnDepth, loopDepth, openBlocks) = saved
                synchronize(statementStart: start, opened: opened)
                if p == start { _ = advance() }   // always move on
            }
            skipSeparators()
        }
        return out
    }

    /// Notes a syntax error; throws `TooManyErrors` when there are enough.
    mutating func record(_ e: TicketsError) throws {
        errors.append(e)
        if errors.count >= Parser.maxErrors { throw TooManyErrors() }
    }

    /// After a syntax error in the statement starting at token `start`, moves to where the
    /// next statement can start: the next newline (or `;` outside brackets), or the
    /// `end`, `elif` or `else` of the block being read, which is left for it.
    ///
    /// A block the broken statement opened (`opened` are open at the error; more may open
    /// while skipping) is skipped whole, up to its `end`, so that its body is not read as
    /// statements of this block and its `end` does not close this block. Two guards against
    /// skipping too far: a line indented less than the broken statement belongs to an
    /// enclosing block and stops the skip; and if the input ends before the `end`, the
    /// opener was likely a slip, so the skip starts again and stops at the end of the line.
    mutating func synchronize(statementStart start: Int, opened: Int) {
        let errorAt = p
        if !skip(statementStart: start, blocks: opened, countBlocks: true) {
            p = errorAt
            _ = skip(statementStart: start, blocks: 0, countBlocks: false)
        }
    }

    /// Advances to a stopping point as `synchronize` describes. False if the input
    /// ended with a block still open.
    mutating func skip(statementStart start: Int, blocks open: Int, countBlocks: Bool) -> Bool {
        var blocks = open
        var brackets = 0   // open in the statement, for ';'
        for t in tokens[start..<p] { brackets = max(0, brackets + bracketChange(t)) }
        // The broken statement's indentation, when it begins its line.
        let indent = beginsLine(start) ? tokens[start].col : nil
        defer { if brackets > 0 && !atEOF { linesEndStatements = true } }
        while !atEOF {
            let t = peek
            // Inside a bracket left open (newlines are not tokens there), a line indented
            // no more than the broken statement starts the next one.
            if let indent, blocks == 0, brackets > 0, p > start, beginsLine(p), t.col <= indent { return true }
            switch t.kind {
            case .newline:   // a newline comes only where all brackets are closed
                if blocks == 0 { return true }
                let next = tokens[p + 1]
                if let indent, next.kind != .eof, next.col < indent { return true }
            case .op(";"):
                if blocks == 0 && brackets == 0 { return true }
            case .keyword("end"):
                if blocks == 0 { return true }
                blocks -= 1
            case .keyword("elif"), .keyword("else"):
                if blocks == 0 { return true }
            case .keyword("if"), .keyword("while"), .keyword("for"):
                if countBlocks { blocks += 1 }
            case .keyword("fn"):
                if countBlocks && opensFunction() { blocks += 1 }
            default:
                brackets = max(0, brackets + bracketChange(t))
            }
            _ = advance()
        }
        return blocks == 0
    }

    /// Whether token `i` is the first on its line.
    func beginsLine(_ i: Int) -> Bool {
        i == 0 || tokens[i].line > tokens[i - 1].line
    }

    /// Whether the `fn` at the cursor starts a function (`fn name` or `fn (`), rather
    /// than being some other slip.
    func opensFunction() -> Bool {
        switch tokens[p + 1].kind {
        case .name, .op("("): return true
        default: return false
        }
    }

    /// +1 for an opening bracket, -1 for a closing one, else 0.
    func bracketChange(_ t: Token) -> Int {
        switch t.kind {
        case .op("("), .op("["), .op("{"): return 1
        case .op(")"), .op("]"), .op("}"): return -1
        default: return 0
        }
    }

    /// Reads a block and its closing `end`, naming the opener if it is missing.
    mutating func body(of opener: String, at start: Token, until more: Set<String> = []) throws -> [Stmt] {
        let stmts = try block(until: more.union(["end"]))
        if atEOF {
            throw TicketsError(.incomplete, "this '\(opener)' has no matching 'end'", at: loc(start))
        }
        return stmts
    }

    mutating func enter() throws {
        nesting += 1
        if nesting > Parser.maxNesting {
            throw TicketsError(.syntax, "nested too deeply (more than \(Parser.maxNesting) levels)", at: loc(peek))
        }
    }

    mutating func statement() throws -> Stmt {
        try enter()
        defer { nesting -= 1 }
        let t = peek
        if case .keyword(let k) = t.kind {
            switch k {
            case "if": return try ifStatement()
            case "while":
                _ = openBlock()
                let cond = try expression()
                loopDepth += 1
                defer { loopDepth -= 1 }
                let b = try body(of: "while", at: t)
                closeBlock()
                return .whileLoop(cond, b, loc(t))
            case "for":
                _ = openBlock()
                let (name, _) = try expectName("a loop variable name")
                guard isKeyword("in") else { throw unexpected(peek, "expected 'in' after 'for \(name)'") }
                _ = advance()
                let iter = try expression()
                loopDepth += 1
                defer { loopDepth -= 1 }
                let b = try body(of: "for", at: t)
                closeBlock()
                return .forLoop(name, iter, b, loc(t))
            case "fn":
                if case .name = tokens[p + 1].kind { return .function(try function()) }
            case "return":
                guard fnDepth > 0 else { throw TicketsError(.syntax, "'return' outside of a function", at: loc(t)) }
                _ = advance()
                if case .newline = peek.kind { return .returnStmt(nil, loc(t)) }
                if atEOF || isOp(";") || isKeyword("end") || isKeyword("else") || isKeyword("elif") {
                    return .returnStmt(nil, loc(t))
                }
                return .returnStmt(try expression(), loc(t))
            case "break", "continue":
                guard loopDepth > 0 else { throw TicketsError(.syntax, "'\(k)' outside of a loop", at: loc(t)) }
                _ = advance()
                return k == "break" ? .breakStmt(loc(t)) : .continueStmt(loc(t))
            default: break
            }
        }
        let e = try expression()
        if case .op(let op) = peek.kind, ["=", "+=", "-=", "*=", "/="].contains(op) {
            let opTok = advance()
            switch e {
            case .name, .member, .index: break
            default:
                throw TicketsError(.syntax, "cannot assign to this expression; the left of '\(op)' must be a name, x.field or x[i]", at: loc(opTok))
            }
            let value = try expression()
            return .assign(e, op, value, loc(opTok))
        }
        return .expr(e)
    }

    mutating func ifStatement() throws -> Stmt {
        let start = openBlock()
        var branches: [(Expr, [Stmt])] = []
        var otherwise: [Stmt]? = nil
        let cond = try expression()
        branches.append((cond, try body(of: "if", at: start, until: ["elif", "else"])))
        while isKeyword("elif") {
            _ = advance()
            let c = try expression()
            branches.append((c, try body(of: "if", at: start, until: ["elif", "else"])))
        }
        if isKeyword("else") {
            _ = advance()
            otherwise = try body(of: "if", at: start)
        }
        closeBlock()
        return .ifElse(branches, otherwise, loc(start))
    }

    /// `fn name(a, b=2) ... end` (a name) or `fn (a) ... end` (an expression).
    mutating func function() throws -> FunctionDecl {
        let start = openBlock()
        var name = "<anonymous>"
        if case .name(let n) = peek.kind { name = n; _ = advance() }
        _ = try expectOp("(", "after 'fn \(name == "<anonymous>" ? "" : name)'")
        var params: [(name: String, defaultValue: Expr?)] = []
        while !isOp(")") {
            let (pn, pt) = try expectName("a parameter name")
            if params.contains(where: { $0.name == pn }) {
                throw TicketsError(.syntax, "parameter '\(pn)' appears twice", at: loc(pt))
            }
            var d: Expr? = nil
            if isOp("=") { _ = advance(); d = try expression() }
            else if params.contains(where: { $0.defaultValue != nil }) {
                throw TicketsError(.syntax, "parameter '\(pn)' needs a default value, since an earlier one has one", at: loc(pt))
            }
            params.append((pn, d))
            if !isOp(")") { _ = try expectOp(",", "between parameters") }
        }
        _ = advance()
        let outerLoops = loopDepth
        fnDepth += 1; loopDepth = 0
        defer { fnDepth -= 1; loopDepth = outerLoops }
        let b = try body(of: "fn", at: start)
        closeBlock()
        return FunctionDecl(name: name, params: params, body: b, doc: docComment(above: start.line), loc: loc(start))
    }

    /// The `#` comment lines directly above a line, without the `#`.
    func docComment(above line: Int) -> String? {
        var lines: [String] = []
        var l = line - 2   // index of the line above
        while l >= 0 && l < sourceLines.count {
            let s = sourceLines[l].trimmingCharacters(in: .whitespaces)
            guard s.hasPrefix("#") else { break }
            lines.insert(String(s.dropFirst()).trimmingCharacters(in: .whitespaces), at: 0)
            l -= 1
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

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
        return try comparison()
    }

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
        if isOp("-") || isOp("+") {
            try enter()
            defer { nesting -= 1 }
            let t = advance()
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
            if case .name(let n) = peek.kind, case .op("=") = tokens[p + 1].kind {
                let nt = advance(); _ = advance()
                if args.contains(where: { $0.name == n }) {
                    throw TicketsError(.syntax, "keyword argument '\(n)' given twice", at: loc(nt))
                }
                let v = try expression()
                args.append(Argument(name: n, value: v, loc: v.loc))
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

/// Thrown when a parse has met `Parser.maxErrors` errors: it stops there.
struct TooManyErrors: Error {}
