import Foundation

/// Turns source text into tokens. Newlines are tokens (they end statements) except
/// inside (), [] and {}. A string with `{expr}` keeps the expression's source for the
/// parser, with its position, so errors inside it point at the right column.
///
/// A mistake is recorded in `errors` and lexing goes on past it (a bad character is
/// skipped, a string broken at the end of its line ends there), so one run finds them
/// all. Only a string still open at the end of the input stops it.
public struct Lexer {
    let chars: [Character]
    let file: String
    var i = 0
    var line: Int
    var col: Int
    var depth = 0   // open brackets
    /// The bracket depth of each block (`fn`, `if`, `for`, `while`) opened inside
    /// brackets and not yet closed by its `end`: inside such a block newlines end
    /// statements again, so a multi-line `fn ... end` can be an argument.
    var blocks: [Int] = []
    /// The mistakes met so far, in source order; at most `maxErrors` are kept.
    var errors: [TicketsError] = []
    static let maxErrors = 100

    public init(_ source: String, file: String, line: Int = 1, col: Int = 1) {
        // Windows line ends: Swift sees "\r\n" as one Character, which is no newline.
        chars = Array(source.replacingOccurrences(of: "\r\n", with: "\n"))
        self.file = file; self.line = line; self.col = col
    }

    /// All the tokens, or the first error.
    public static func tokenize(_ source: String, file: String, line: Int = 1, col: Int = 1) throws -> [Token] {
        var lx = Lexer(source, file: file, line: line, col: col)
        let tokens = lx.tokenizeAll()
        if let first = lx.errors.first { throw first }
        return tokens
    }

    /// All the tokens, ending with `.eof`, with every mistake recorded in `errors`. A
    /// string open at the end of the input is the last error (`.incomplete`).
    mutating func tokenizeAll() -> [Token] {
        var out: [Token] = []
        while true {
            do {
                let t = try next()
                out.append(t)
                if case .eof = t.kind { return out }
            } catch {
                // An open string at the end of the input: nothing follows it.
                if let e = error as? TicketsError { errors.append(e) }
                out.append(Token(kind: .eof, line: line, col: col))
                return out
            }
        }
    }

    func peek(_ k: Int = 0) -> Character? { i + k < chars.count ? chars[i + k] : nil }

    mutating func advance() -> Character {
        let c = chars[i]
        i += 1
        if c == "\n" { line += 1; col = 1 } else { col += 1 }
        return c
    }

    func error(_ msg: String, line: Int, col: Int, incomplete: Bool = false) -> TicketsError {
        TicketsError(incomplete ? .incomplete : .syntax, msg, at: SourceLoc(file: file, line: line, col: col))
    }

    /// Notes a mistake lexing can go on after.
    mutating func record(_ msg: String, line: Int, col: Int) {
        if errors.count < Lexer.maxErrors { errors.append(error(msg, line: line, col: col)) }
    }

    /// The next token, skipping (and recording) characters that start none. Throws only
    /// for a string still open at the end of the input.
    mutating func next() throws -> Token {
        while true {
            if let t = try scan() { return t }
        }
    }

    /// The next token, or nil after recording and skipping a character that starts none.
    mutating func scan() throws -> Token? {
        // Skip spaces, comments, and newlines inside brackets.
        while let c = peek() {
            if c == " " || c == "\t" || c == "\r" { _ = advance() }
            else if c == "#" { while let d = peek(), d != "\n" { _ = advance() } }
            else if c == "\\" && peek(1) == "\n" { _ = advance(); _ = advance() }   // line continuation
            else if c == "\n" && depth > 0 && blocks.last != depth { _ = advance() }
            else { break }
        }
        let l = line, cl = col
        guard let c = peek() else { return Token(kind: .eof, line: l, col: cl) }
        func tok(_ k: Token.Kind) -> Token { Token(kind: k, line: l, col: cl) }

        if c == "\n" { _ = advance(); return tok(.newline) }
        if c.isNumber { return tok(.number(number())) }
        if c.isLetter || c == "_" {
            var s = ""
            while let d = peek(), d.isLetter || d.isNumber || d == "_" { s.append(advance()) }
            if depth > 0 {
                if ["fn", "if", "for", "while"].contains(s) { blocks.append(depth) }
                if s == "end", blocks.last == depth { blocks.removeLast() }
            }
            return tok(keywords.contains(s) ? .keyword(s) : .name(s))
        }
        if c == "\"" || c == "'" { return tok(.string(try string(quote: c))) }

        _ = advance()
        switch c {
        case "(", "[", "{": depth += 1; return tok(.op(String(c)))
        case ")", "]", "}":
            depth = max(0, depth - 1)
            while let b = blocks.last, b > depth { blocks.removeLast() }
            return tok(.op(String(c)))
        case ",", ":", ";", "%", "^", "&", "|", "~": return tok(.op(String(c)))
        case ".":
            if peek() == "." {
                _ = advance()
                if peek() == "." { _ = advance(); return tok(.op("...")) }   // a record spread into keywords
                return tok(.op(".."))
            }
            return tok(.op("."))
        case "+", "-", "*", "/", "=", "<", ">", "!":
            if peek() == "=" { _ = advance(); return tok(.op(String(c) + "=")) }
            if c == "*" && peek() == "*" { _ = advance(); return tok(.op("^")) }
            if c == "!" {
                record("unexpected '!'; write 'not x' for negation or '!=' for inequality", line: l, col: cl)
                return nil
            }
            return tok(.op(String(c)))
        default:
            record("unexpected character '\(c)'", line: l, col: cl)
            return nil
        }
    }

    /// A number; a malformed one (`12abc`) is recorded and read as its leading digits.
    mutating func number() -> Double {
        let l = line, cl = col
        var s = ""
        while let d = peek(), d.isNumber || d == "_" { let ch = advance(); if ch != "_" { s.append(ch) } }
        // A fraction, but not the start of a range `1..3`.
        if peek() == ".", let d = peek(1), d.isNumber {
            s.append(advance())
            while let d = peek(), d.isNumber || d == "_" { let ch = advance(); if ch != "_" { s.append(ch) } }
        }
        if let e = peek(), e == "e" || e == "E",
           let d = peek(1), d.isNumber || ((d == "-" || d == "+") && (peek(2)?.isNumber ?? false)) {
            s.append(advance()); s.append(advance())
            while let d = peek(), d.isNumber { s.append(advance()) }
        }
        if let d = peek(), d.isLetter || d == "_" {
            record("malformed number '\(s)\(d)'", line: l, col: cl)
            while let d = peek(), d.isLetter || d.isNumber || d == "_" { _ = advance() }
        }
        guard let x = Double(s) else { record("malformed number '\(s)'", line: l, col: cl); return 0 }
        return x
    }

    /// A string literal, split at its `{expr}` parts. One broken at the end of its line
    /// (a `'` string, or a `{` without its `}`) is recorded and ends there; so does the
    /// statement it is in, as if its brackets were closed, so the next line starts afresh.
    mutating func string(quote: Character) throws -> [StringPart] {
        let l = line, cl = col
        _ = advance()
        var parts: [StringPart] = []
        var text = ""
        func endOfInput() -> TicketsError { error("unterminated string", line: l, col: cl, incomplete: true) }
        scanning: while true {
            guard let c = peek() else { throw endOfInput() }
            if c == quote { _ = advance(); break }
            if c == "\n" && quote == "'" {
                record("unterminated string", line: l, col: cl)
                depth = 0; blocks = []
                break
            }
            if c == "\\" {
                _ = advance()
                guard let e = peek() else { throw endOfInput() }
                let el = line, ec = col - 1
                _ = advance()
                switch e {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "\\", "\"", "'", "{", "}": text.append(e)
                default:
                    record("unknown escape '\\\(e)' in a string", line: el, col: ec)
                    text.append(e)
                }
                continue
            }
            if c == "{" {
                if !text.isEmpty { parts.append(.text(text)); text = "" }
                _ = advance()
                let sl = line, sc = col
                var code = "", nest = 0
                while true {
                    guard let d = peek() else { throw endOfInput() }
                    if d == "}" && nest == 0 { _ = advance(); break }
                    if d == "{" { nest += 1 }
                    if d == "}" { nest -= 1 }
                    if d == "\n" {
                        record("missing '}' in string interpolation", line: sl, col: sc - 1)
                        depth = 0; blocks = []
                        break scanning
                    }
                    if d == "\"" || d == "'" {
                        // A string inside the expression: copy it whole, escapes included.
                        code.append(advance())
                        while let e = peek(), e != d, e != "\n" {
                            if e == "\\" { code.append(advance()); if peek() == nil { break } }
                            code.append(advance())
                        }
                        guard peek() != nil else { throw endOfInput() }
                        guard peek() == d else {
                            record("unterminated string", line: l, col: cl)
                            depth = 0; blocks = []
                            break scanning
                        }
                    }
                    code.append(advance())
                }
                if code.trimmingCharacters(in: .whitespaces).isEmpty {
                    record("empty {} in a string; write \\{ for a brace", line: sl, col: sc - 1)
                } else {
                    parts.append(.code(code, line: sl, col: sc))
                }
                continue
            }
            text.append(advance())
        }
        if !text.isEmpty || parts.isEmpty { parts.append(.text(text)) }
        return parts
    }
}
