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
}
