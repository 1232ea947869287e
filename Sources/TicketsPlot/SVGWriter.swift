/// Builds SVG text one element at a time, escaping everything that comes from the user.
///
///     var svg = SVGWriter()
///     svg.element("rect", ["x": 0, "y": 0, "width": 10, "height": 10, "fill": "#ffffff"])
///     svg.text("R&D < 1", ["x": 5, "y": 5])   // <text x="5" y="5">R&amp;D &lt; 1</text>
struct SVGWriter {
    private(set) var lines: [String] = []
    private var depth = 0

    /// An attribute value: a number (written with at most two decimals) or text.
    enum Value: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
        case text(String)
        case number(Double)

        init(stringLiteral value: String) { self = .text(value) }
        init(floatLiteral value: Double) { self = .number(value) }
        init(integerLiteral value: Int) { self = .number(Double(value)) }

        var written: String {
            switch self {
            case .text(let s): SVGWriter.escape(s)
            case .number(let v): SVGWriter.number(v)
            }
        }
    }

    /// A self-closing element: `<rect x="1" .../>`. Attributes are written in name order
    /// so the output is the same on every run.
    mutating func element(_ name: String, _ attributes: [String: Value]) {
        lines.append(indent + "<" + name + SVGWriter.attributes(attributes) + "/>")
    }

    /// A `<text>` element holding escaped text.
    mutating func text(_ content: String, _ attributes: [String: Value]) {
        lines.append(indent + "<text" + SVGWriter.attributes(attributes) + ">" + SVGWriter.escape(content) + "</text>")
    }

    /// An element with content of its own (text only, escaped), such as `<title>`.
    mutating func textElement(_ name: String, _ content: String) {
        lines.append(indent + "<" + name + ">" + SVGWriter.escape(content) + "</" + name + ">")
    }

    /// Opens a group (or any container); close it with `close`.
    mutating func open(_ name: String, _ attributes: [String: Value] = [:]) {
        lines.append(indent + "<" + name + SVGWriter.attributes(attributes) + ">")
        depth += 1
    }

    mutating func close(_ name: String) {
        depth = max(0, depth - 1)
        lines.append(indent + "</" + name + ">")
    }

    /// The finished document: XML declaration and the root `<svg>` around the body.
    func document(width: Int, height: Int) -> String {
        let head = [
            #"<?xml version="1.0" encoding="UTF-8" standalone="no"?>"#,
            #"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\#(width)" height="\#(height)" viewBox="0 0 \#(width) \#(height)" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">"#,
        ]
        return (head + lines.map { "  " + $0 } + ["</svg>"]).joined(separator: "\n") + "\n"
    }

    private var indent: String { String(repeating: "  ", count: depth) }

    private static func attributes(_ attributes: [String: Value]) -> String {
        attributes.keys.sorted().map { " \($0)=\"\(attributes[$0]?.written ?? "")\"" }.joined()
    }

    /// Text made safe inside an element or an attribute: the five XML specials become
    /// entities, and control characters XML 1.0 forbids become U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let forbidden = scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF
                out.unicodeScalars.append(forbidden ? "\u{FFFD}" : scalar)
            }
        }
        return out
    }

    /// A coordinate with at most two decimals and no trailing zeros: 12.5, 3, -0.25.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        var text = formatFixed(value, decimals: 2)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}

/// The width of `text` in pixels at `size`, estimated for DejaVu Sans (about 0.6 em a
/// character); used to make room for labels and to keep tick labels apart.
func textWidth(_ text: String, size: Double) -> Double {
    Double(text.count) * size * 0.6
}
