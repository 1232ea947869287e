/// A rectangle of character cells, each with an optional colour, written to a string
/// with or without ANSI escape codes.
///
/// Renderers place text and glyphs at (row, column); `render` joins the rows, drops
/// trailing blanks and, with colour on, wraps each run of equally coloured cells in
/// one escape sequence (xterm 256 colours) and resets at its end.
struct TextGrid {
    let width: Int
    let height: Int
    private var cells: [Character]
    private var foreground: [Int?]
    private var background: [Int?]

    init(width: Int, height: Int) {
        self.width = max(1, width)
        self.height = max(1, height)
        cells = [Character](repeating: " ", count: self.width * self.height)
        foreground = [Int?](repeating: nil, count: self.width * self.height)
        background = [Int?](repeating: nil, count: self.width * self.height)
    }

    /// Puts one character; positions outside the grid are ignored.
    mutating func put(_ character: Character, row: Int, column: Int, color: Int? = nil, background fill: Int? = nil) {
        guard row >= 0, row < height, column >= 0, column < width else { return }
        cells[row * width + column] = character
        foreground[row * width + column] = color
        background[row * width + column] = fill
    }

    /// Writes text from (row, column) to the right, cut at the grid's edge. Control
    /// characters in it (a newline or an escape in a user's label) become spaces, so
    /// they can neither break the layout nor send codes to the terminal.
    mutating func write(_ text: String, row: Int, column: Int, color: Int? = nil, background fill: Int? = nil) {
        for (offset, character) in text.enumerated() {
            let control = character.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
            put(control ? " " : character, row: row, column: column + offset, color: color, background: fill)
        }
    }

    /// The character at a cell.
    func character(row: Int, column: Int) -> Character {
        cells[row * width + column]
    }

    /// The grid as lines of text, trailing blanks removed, with ANSI colours if asked.
    func render(color: Bool) -> String {
        var lines: [String] = []
        for row in 0..<height {
            var last = width - 1
            while last >= 0 && cells[row * width + last] == " " && background[row * width + last] == nil { last -= 1 }
            var line = ""
            var current: (Int?, Int?) = (nil, nil)
            for column in 0..<(last + 1) {
                let i = row * width + column
                let style = color ? (foreground[i], background[i]) : (nil, nil)
                if style != current {
                    if current != (nil, nil) { line += "\u{1B}[0m" }
                    if let f = style.0 { line += "\u{1B}[38;5;\(f)m" }
                    if let b = style.1 { line += "\u{1B}[48;5;\(b)m" }
                    current = style
                }
                line.append(cells[i])
            }
            if current != (nil, nil) { line += "\u{1B}[0m" }
            lines.append(line)
        }
        while let tail = lines.last, tail.isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `text` cut to at most `width` characters, ending in "…" (or "..." in ASCII) when cut.
func truncate(_ text: String, to width: Int, ascii: Bool) -> String {
    guard text.count > width else { return text }
    let ellipsis = ascii ? "..." : "…"
    guard width > ellipsis.count else { return String(text.prefix(max(0, width))) }
    return String(text.prefix(width - ellipsis.count)) + ellipsis
}
