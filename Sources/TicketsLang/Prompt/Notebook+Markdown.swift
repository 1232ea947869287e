/// A notebook as Markdown: the title, prose as paragraphs, each input in a ```tks code
/// block with what it printed in a plain block below it, and each plot as an image
/// linked to an SVG file beside the Markdown file.
extension Notebook {
    /// `figureFiles[i]` is the file name the i-th plot is linked as.
    public func markdown(figureFiles: [String]) -> String {
        var out = ["# \(title)", ""]
        var figure = 0
        for cell in cells {
            switch cell {
            case .prose(let text):
                out += [text, ""]
            case .code(let source, let outputs):
                out += fenced(source, language: "tks")
                var text: [String] = []
                func flush() {
                    if !text.isEmpty { out += fenced(text.joined(separator: "\n"), language: "text") }
                    text = []
                }
                for output in outputs {
                    switch output {
                    case .text(let t), .error(let t):
                        text.append(t)
                    case .figure(let f):
                        flush()
                        let name = figure < figureFiles.count ? figureFiles[figure] : "figure-\(figure + 1).svg"
                        figure += 1
                        let alt = f.title.isEmpty ? "figure \(figure)" : f.title
                        out += ["![\(markdownEscaped(alt))](\(name))", ""]
                    }
                }
                flush()
            }
        }
        return out.joined(separator: "\n")
    }
}

/// A fenced block, its fence longer than any run of backticks inside it.
func fenced(_ text: String, language: String) -> [String] {
    var longest = 0, run = 0
    for ch in text {
        run = ch == "`" ? run + 1 : 0
        longest = max(longest, run)
    }
    let fence = String(repeating: "`", count: max(3, longest + 1))
    return [fence + language, text, fence, ""]
}

/// Text safe inside an image's alt text: brackets and backslashes escaped.
func markdownEscaped(_ s: String) -> String {
    var out = ""
    for ch in s {
        if "[]\\".contains(ch) { out.append("\\") }
        out.append(ch)
    }
    return out
}
