import Foundation

/// Error recovery: after a syntax error the parser records it and skips to a safe
/// point (the next statement, or past the block the broken statement opened), so one
/// run reports every mistake it can, one message per mistake.
extension Parser {
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
}

/// Thrown when a parse has met `Parser.maxErrors` errors: it stops there.
struct TooManyErrors: Error {}
