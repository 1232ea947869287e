/// The header of an `.npy` file: a Python dict literal with exactly three keys,
///
///     {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
///
/// read by a small parser for just that subset of Python: quoted strings ('…' or
/// "…"), True, False, and tuples of whole numbers (a trailing comma allowed, as in
/// `(3,)` and `()`; old Python 2 files may write `3L`). Anything else, such as the
/// list a structured dtype uses for descr, is reported as unsupported.
struct NPYHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    private enum Value {
        case string(String)
        case bool(Bool)
        case tuple([Int])
    }

    static func parse(_ text: String, name: String) throws -> NPYHeader {
        var parser = Parser(chars: Array(text.unicodeScalars), name: name)
        let dict = try parser.dictionary()
        var descr: String? = nil, fortran: Bool? = nil, shape: [Int]? = nil
        for (key, value) in dict {
            switch (key, value) {
            case ("descr", .string(let s)): descr = s
            case ("fortran_order", .bool(let b)): fortran = b
            case ("shape", .tuple(let t)): shape = t
            case ("descr", _), ("fortran_order", _), ("shape", _):
                throw EngineError.io("\(name): the .npy header's '\(key)' has the wrong kind of value")
            default:
                throw EngineError.io("\(name): the .npy header has an unexpected key '\(key)'")
            }
        }
        guard let descr, let fortran, let shape else {
            throw EngineError.io("\(name): the .npy header must give 'descr', 'fortran_order' and 'shape'")
        }
        return NPYHeader(descr: descr, fortranOrder: fortran, shape: shape)
    }

    private struct Parser {
        let chars: [Unicode.Scalar]
        let name: String
        var i = 0

        init(chars: [Unicode.Scalar], name: String) {
            self.chars = chars; self.name = name
        }

        func fail(_ reason: String) -> EngineError {
            EngineError.io("\(name): cannot read the .npy header: \(reason) at character \(i)")
        }

        var next: Unicode.Scalar? { i < chars.count ? chars[i] : nil }

        mutating func skipSpace() {
            while let c = next, c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1 }
        }

        mutating func expect(_ c: Unicode.Scalar) throws {
            skipSpace()
            guard next == c else { throw fail("expected '\(c)'") }
            i += 1
        }

        mutating func dictionary() throws -> [(String, Value)] {
            try expect("{")
            var items: [(String, Value)] = []
            while true {
                skipSpace()
                if next == "}" { i += 1; break }
                guard case .string(let key) = try value() else { throw fail("a key must be a quoted string") }
                guard !items.contains(where: { $0.0 == key }) else { throw fail("the key '\(key)' appears twice") }
                try expect(":")
                items.append((key, try value()))
                skipSpace()
                if next == "," { i += 1; continue }
                try expect("}")
                break
            }
            skipSpace()
            guard i == chars.count else { throw fail("unexpected text after the dict") }
            return items
        }

        mutating func value() throws -> Value {
            skipSpace()
            guard let c = next else { throw fail("the header ends where a value should start") }
            switch c {
            case "'", "\"": return .string(try string())
            case "(": return .tuple(try tuple())
            case "[", "{": throw fail("structured arrays (a list or dict as descr) are not supported")
            default:
                if word("True") { return .bool(true) }
                if word("False") { return .bool(false) }
                throw fail("unexpected character '\(c)'")
            }
        }

        mutating func word(_ w: String) -> Bool {
            let scalars = Array(w.unicodeScalars)
            guard i + scalars.count <= chars.count, Array(chars[i..<(i + scalars.count)]) == scalars else { return false }
            i += scalars.count
            return true
        }

        mutating func string() throws -> String {
            guard let quote = next else { throw fail("expected a string") }
            i += 1
            var out = String.UnicodeScalarView()
            while let c = next, c != quote {
                // The dtype strings NumPy writes need no escapes; refuse them rather than guess.
                guard c != "\\" else { throw fail("escapes in strings are not supported") }
                out.append(c)
                i += 1
            }
            guard next == quote else { throw fail("a string is not closed") }
            i += 1
            return String(out)
        }

        mutating func tuple() throws -> [Int] {
            try expect("(")
            var items: [Int] = []
            while true {
                skipSpace()
                if next == ")" { i += 1; return items }
                items.append(try integer())
                skipSpace()
                if next == "," { i += 1; continue }
                try expect(")")
                return items
            }
        }

        mutating func integer() throws -> Int {
            var digits = ""
            while let c = next, c.properties.numericType == .decimal, c.isASCII {
                digits.unicodeScalars.append(c)
                i += 1
            }
            if next == "L" { i += 1 }          // Python 2 long
            guard !digits.isEmpty else { throw fail("a shape must hold whole numbers ≥ 0") }
            guard let n = Int(digits) else { throw fail("the dimension \(digits) is impossibly large") }
            return n
        }
    }
}
