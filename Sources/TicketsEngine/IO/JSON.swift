/// A small strict JSON reader and a string quoter, for the safetensors header.
///
/// Foundation's JSONSerialization forgets key order, silently keeps one of two
/// duplicate keys and turns large integers into Doubles; a header needs all three
/// right, and errors that give the byte offset. This reader follows RFC 8259, keeps
/// objects as ordered key/value lists, keeps numbers as their text, rejects
/// duplicate keys, and limits nesting so a hostile file cannot exhaust the stack.
public indirect enum JSONValue {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// The number's text as written ("24", "-1.5e3").
    case number(String)
    case bool(Bool)
    case null

    /// A short name of the value's kind for error messages.
    public var kind: String {
        switch self {
        case .object: return "an object"
        case .array: return "a list"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "true/false"
        case .null: return "null"
        }
    }

    /// The value as a whole number ≥ 0 written without sign, fraction or exponent
    /// (how safetensors writes shapes and offsets), or nil.
    var nonNegativeInt: Int? {
        guard case .number(let text) = self, !text.isEmpty,
              text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)   // nil above Int.max
    }
}

public struct JSONReader {
    private let bytes: [UInt8]
    private let name: String
    /// The file offset of `bytes[0]`, so errors point into the file.
    private let base: Int
    private var i = 0
    /// Values read so far (Ctrl-C is checked every 65,536).
    private var values = 0
    private var depth = 0
    static let maxDepth = 64

    /// Parses one JSON value filling `bytes` (whitespace around it allowed).
    public static func parse(_ bytes: [UInt8], name: String, fileOffset: Int = 0, what: String = "the header") throws -> JSONValue {
        var reader = JSONReader(bytes: bytes, name: name, base: fileOffset, what: what)
        reader.skipSpace()
        let value = try reader.value()
        reader.skipSpace()
        guard reader.i == bytes.count else { throw reader.fail("unexpected text after the end of the JSON value") }
        return value
    }

    private let what: String

    private init(bytes: [UInt8], name: String, base: Int, what: String) {
        self.bytes = bytes; self.name = name; self.base = base; self.what = what
    }

    private func fail(_ reason: String) -> EngineError {
        EngineError.io("\(name): \(what) is not valid JSON: \(reason) at byte offset \(base + i)")
    }

    private mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
    }

    private var next: UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func value() throws -> JSONValue {
        values += 1
        if values & 0xFFFF == 0 { try Interrupt.check("reading \(name)") }
        guard let c = next else { throw fail("the text ends where a value should start") }
        switch c {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("unexpected character '\(Character(Unicode.Scalar(c)))'")
        }
    }

    private mutating func expect(_ c: Character) throws {
        guard next == c.asciiValue else { throw fail("expected '\(c)'") }
        i += 1
    }

    private mutating func literal(_ word: String) throws {
        for b in word.utf8 {
            guard next == b else { throw fail("expected '\(word)'") }
            i += 1
        }
    }

    private mutating func enter() throws {
        depth += 1
        guard depth <= Self.maxDepth else { throw fail("nested more than \(Self.maxDepth) levels deep") }
    }

    private mutating func object() throws -> JSONValue {
        try enter()
        try expect("{")
        var members: [(key: String, value: JSONValue)] = []
        var seen = Set<String>()
        skipSpace()
        if next == UInt8(ascii: "}") { i += 1; depth -= 1; return .object(members) }
        while true {
            skipSpace()
            let keyOffset = i
            guard next == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
            let key = try string()
            guard seen.insert(key).inserted else {
                i = keyOffset
                throw fail("the key \"\(key)\" appears twice")
            }
            skipSpace()
            try expect(":")
            skipSpace()
            members.append((key, try value()))
            skipSpace()
            if next == UInt8(ascii: ",") { i += 1; continue }
            try expect("}")
            depth -= 1
            return .object(members)
        }
    }

    private mutating func array() throws -> JSONValue {
        try enter()
        try expect("[")
        var items: [JSONValue] = []
        skipSpace()
        if next == UInt8(ascii: "]") { i += 1; depth -= 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value())
            skipSpace()
            if next == UInt8(ascii: ",") { i += 1; continue }
            try expect("]")
            depth -= 1
            return .array(items)
        }
    }

    private mutating func digits() -> Int {
        let start = i
        while let c = next, c >= 0x30 && c <= 0x39 { i += 1 }
        return i - start
    }

    // number = [ "-" ] ( "0" / 1-9 *DIGIT ) [ "." 1*DIGIT ] [ ( "e" / "E" ) [ "+" / "-" ] 1*DIGIT ]
    private mutating func number() throws -> String {
        let start = i
        if next == UInt8(ascii: "-") { i += 1 }
        if next == UInt8(ascii: "0") { i += 1 } else if digits() == 0 { throw fail("a number needs digits") }
        if next == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw fail("a number needs digits after '.'") }
        }
        if next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            i += 1
            if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw fail("a number needs digits in its exponent") }
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    private mutating func hex4() throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let c = next, let d = Character(Unicode.Scalar(c)).hexDigitValue else {
                throw fail("\\u needs four hexadecimal digits")
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    private mutating func string() throws -> String {
        try expect("\"")
        var out = [UInt8]()
        while true {
            guard let c = next else { throw fail("a string is not closed") }
            i += 1
            switch c {
            case UInt8(ascii: "\""):
                // The caller has checked that the whole header is UTF-8.
                return String(decoding: out, as: UTF8.self)
            case 0..<0x20:
                i -= 1
                throw fail("a control character inside a string")
            case UInt8(ascii: "\\"):
                guard let e = next else { throw fail("a string is not closed") }
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        // A high surrogate must be followed by \u and a low surrogate.
                        guard next == UInt8(ascii: "\\") else { throw fail("a lone UTF-16 surrogate") }
                        i += 1
                        guard next == UInt8(ascii: "u") else { throw fail("a lone UTF-16 surrogate") }
                        i += 1
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("a lone UTF-16 surrogate") }
                        code = 0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw fail("a lone UTF-16 surrogate") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    i -= 1
                    throw fail("unknown escape '\\\(Character(Unicode.Scalar(e)))'")
                }
            default:
                out.append(c)
            }
        }
    }
}

/// `text` as a JSON string literal, quotes included.
public func jsonQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
