import Foundation

/// Turns source text into tokens. Newlines are tokens (they end statements) except
/// inside (), [] and {}. A string with `{expr}` keeps the expression's source for the
/// parser, with its position, so errors inside it point at the right column.
public struct Lexer {
    let chars: [Character]
    let file: String
    var i = 0
    var line: Int
    var col: Int
    var depth = 0   // open brackets

    public init(_ source: String, file: String, line: Int = 1, col: Int = 1) {
        // Windows line ends: Swift sees "\r\n" as one Character, which is no newline.
        chars = Array(source.replacingOccurrences(of: "\r\n", with: "\n"))
        self.file = file; self.line = line; self.col = col
    }

    public static func tokenize(_ source: String, file: String, line: Int = 1, col: Int = 1) throws -> [Token] {
        var lx = Lexer(source, file: file, line: line, col: col)
        var out: [Token] = []
        while true {
            let t = try lx.next()
            out.append(t)
            if case .eof = t.kind { return out }
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

    mutating func next() throws -> Token {
        // Skip spaces, comments, and newlines inside brackets.
        while let c = peek() {
            if c == " " || c == "\t" || c == "\r" { _ = advance() }
            else if c == "#" { while let d = peek(), d != "\n" { _ = advance() } }
            else if c == "\\" && peek(1) == "\n" { _ = advance(); _ = advance() }   // line continuation
            else if c == "\n" && depth > 0 { _ = advance() }
            else { break }
        }
        let l = line, cl = col
        guard let c = peek() else { return Token(kind: .eof, line: l, col: cl) }
        func tok(_ k: Token.Kind) -> Token { Token(kind: k, line: l, col: cl) }

        if c == "\n" { _ = advance(); return tok(.newline) }
        if c.isNumber { return tok(.number(try number())) }
        if c.isLetter || c == "_" {
            var s = ""
            while let d = peek(), d.isLetter || d.isNumber || d == "_" { s.append(advance()) }
            return tok(keywords.contains(s) ? .keyword(s) : .name(s))
        }
        if c == "\"" || c == "'" { return tok(.string(try string(quote: c))) }

        _ = advance()
        switch c {
        case "(", "[", "{": depth += 1; return tok(.op(String(c)))
        case ")", "]", "}": depth = max(0, depth - 1); return tok(.op(String(c)))
        case ",", ":", ";", "%", "^": return tok(.op(String(c)))
        case ".":
            if peek() == "." { _ = advance(); return tok(.op("..")) }
            return tok(.op("."))
        case "+", "-", "*", "/", "=", "<", ">", "!":
            if peek() == "=" { _ = advance(); return tok(.op(String(c) + "=")) }
            if c == "*" && peek() == "*" { _ = advance(); return tok(.op("^")) }
            if c == "!" { throw error("unexpected '!'; write 'not x' for negation or '!=' for inequality", line: l, col: cl) }
            return tok(.op(String(c)))
        default:
            throw error("unexpected character '\(c)'", line: l, col: cl)
        }
    }

    mutating func number() throws -> Double {
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
            throw error("malformed number '\(s)\(d)'", line: l, col: cl)
        }
        guard let x = Double(s) else { throw error("malformed number '\(s)'", line: l, col: cl) }
        return x
    }

    mutating func string(quote: Character) throws -> [StringPart] {
        let l = line, cl = col
        _ = advance()
        var parts: [StringPart] = []
        var text = ""
        while true {
            guard let c = peek() else {
                throw error("unterminated string", line: l, col: cl, incomplete: true)
            }
            if c == quote { _ = advance(); break }
            if c == "\n" && quote == "'" { throw error("unterminated string", line: l, col: cl) }
            if c == "\\" {
                _ = advance()
                guard let e = peek() else { throw error("unterminated string", line: l, col: cl, incomplete: true) }
                let el = line, ec = col - 1
                _ = advance()
                switch e {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "\\", "\"", "'", "{", "}": text.append(e)
                default: throw error("unknown escape '\\\(e)' in a string", line: el, col: ec)
                }
                continue
            }
            if c == "{" {
                if !text.isEmpty { parts.append(.text(text)); text = "" }
                _ = advance()
                let sl = line, sc = col
                var code = "", nest = 0
                while true {
                    guard let d = peek() else { throw error("unterminated string", line: l, col: cl, incomplete: true) }
                    if d == "}" && nest == 0 { _ = advance(); break }
                    if d == "{" { nest += 1 }
                    if d == "}" { nest -= 1 }
                    if d == "\n" { throw error("missing '}' in string interpolation", line: sl, col: sc - 1) }
                    if d == "\"" || d == "'" {
                        // A string inside the expression: copy it whole, escapes included.
                        code.append(advance())
                        while let e = peek(), e != d, e != "\n" {
                            if e == "\\" { code.append(advance()); if peek() == nil { break } }
                            code.append(advance())
                        }
                        guard peek() == d else { throw error("unterminated string", line: l, col: cl, incomplete: peek() == nil) }
                    }
                    code.append(advance())
                }
                if code.trimmingCharacters(in: .whitespaces).isEmpty {
                    throw error("empty {} in a string; write \\{ for a brace", line: sl, col: sc - 1)
                }
                parts.append(.code(code, line: sl, col: sc))
                continue
            }
            text.append(advance())
        }
        if !text.isEmpty || parts.isEmpty { parts.append(.text(text)) }
        return parts
    }
}
