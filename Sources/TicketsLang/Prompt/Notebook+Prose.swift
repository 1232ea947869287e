/// A handout's prose (a script's comment paragraphs) as HTML, reading the little
/// Markdown such comments use: `code`, **strong**, *emphasis* (or _emphasis_) and
/// [links](https://...). Lines of one paragraph flow together, as in Markdown; a line
/// that starts a list item ("- ", "* ", "1. ") or is indented starts a new line.
func proseHTML(_ text: String) -> String {
    var out = ""
    for (i, line) in text.components(separatedBy: "\n").enumerated() {
        if i > 0 {
            let startsLine = line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix(" ")
                || line.prefix(while: \.isNumber).count > 0 && line.drop(while: \.isNumber).hasPrefix(". ")
            out += startsLine ? "<br/>" : " "
        }
        out += markdownInline(line)
    }
    return out
}

/// One line's inline Markdown as HTML; everything else is escaped as text.
func markdownInline(_ line: String) -> String {
    let chars = Array(line)
    var out = "", i = 0
    /// The index of the next `close` at or after `from` on the line, with text before it.
    func find(_ close: String, from: Int) -> Int? {
        let c = Array(close)
        var j = from + 1
        while j + c.count <= chars.count {
            if Array(chars[j..<(j + c.count)]) == c { return j }
            j += 1
        }
        return nil
    }
    func isWordChar(_ k: Int) -> Bool { k >= 0 && k < chars.count && (chars[k].isLetter || chars[k].isNumber) }
    while i < chars.count {
        let ch = chars[i]
        if ch == "`", let end = find("`", from: i) {
            out += "<code>" + htmlEscaped(String(chars[(i + 1)..<end])) + "</code>"
            i = end + 1
        } else if ch == "*", i + 1 < chars.count, chars[i + 1] == "*", i + 2 < chars.count, chars[i + 2] != " ",
                  let end = find("**", from: i + 1), end > i + 2 {
            out += "<strong>" + markdownInline(String(chars[(i + 2)..<end])) + "</strong>"
            i = end + 2
        } else if (ch == "*" || ch == "_"), !isWordChar(i - 1), i + 1 < chars.count, chars[i + 1] != " ", chars[i + 1] != ch,
                  let end = find(String(ch), from: i), chars[end - 1] != " ", !isWordChar(end + 1) {
            out += "<em>" + markdownInline(String(chars[(i + 1)..<end])) + "</em>"
            i = end + 1
        } else if ch == "[", let mid = find("](", from: i), let end = find(")", from: mid + 1) {
            let url = String(chars[(mid + 2)..<end])
            if url.hasPrefix("http://") || url.hasPrefix("https://") || !url.contains(":") {
                out += "<a href=\"\(htmlEscaped(url))\">" + markdownInline(String(chars[(i + 1)..<mid])) + "</a>"
                i = end + 1
            } else {
                out += htmlEscaped(String(ch)); i += 1
            }
        } else {
            out += htmlEscaped(String(ch)); i += 1
        }
    }
    return out
}
