/// A notebook as one self-contained HTML page for a projector or a printout: large type,
/// dark text on white, each input in a shaded block with its output below, plots
/// inline as SVG. No script, no style sheet or font from elsewhere, no network. The page
/// is also well-formed XML (XHTML syntax), which the tests check.
extension Notebook {
    public func html() -> String {
        var body: [String] = ["<h1>\(htmlEscaped(title))</h1>"]
        for cell in cells {
            switch cell {
            case .prose(let text):
                body.append("<p class=\"prose\">\(proseHTML(text))</p>")
            case .code(let source, let outputs):
                var parts = ["<section class=\"cell\">", "<pre class=\"input\"><code>\(htmlEscaped(source))</code></pre>"]
                for output in outputs {
                    switch output {
                    case .text(let t):
                        parts.append("<pre class=\"output\">\(htmlEscaped(t))</pre>")
                    case .error(let t):
                        parts.append("<pre class=\"output error\">\(htmlEscaped(t))</pre>")
                    case .figure(let f):
                        parts.append("<figure class=\"plot\">\(inlineSVG(f.svg))</figure>")
                    }
                }
                body.append((parts + ["</section>"]).joined(separator: "\n"))
            }
        }
        return """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(htmlEscaped(title))</title>
        <style>
        \(Notebook.style)
        </style>
        </head>
        <body>
        <main>
        \(body.joined(separator: "\n"))
        </main>
        </body>
        </html>

        """
    }

    /// Type for the back of a room: 22-pixel text, 19-pixel code, strong contrast.
    static let style = """
    body { margin: 0; background: #ffffff; color: #111111; font: 22px/1.45 "DejaVu Sans", Helvetica, Arial, sans-serif; }
    main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 2rem 4rem; }
    h1 { font-size: 1.7em; margin: 0.5em 0 0.8em; }
    p.prose { margin: 1.2em 0 0.6em; }
    p.prose code { font: 19px "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #eef2f8; padding: 0 0.2em; }
    section.cell { margin: 0 0 1.4em; }
    pre { font: 19px/1.4 "DejaVu Sans Mono", Menlo, Consolas, monospace; margin: 0.3em 0; padding: 0.55em 0.9em; white-space: pre-wrap; overflow-wrap: anywhere; }
    pre.input { background: #eef2f8; border-left: 6px solid #0072b2; }
    pre.output { background: #ffffff; border-left: 6px solid #c8c8c8; white-space: pre; overflow-wrap: normal; overflow-x: auto; }
    pre.error { color: #a40018; background: #fff4f4; border-left-color: #a40018; }
    figure.plot { margin: 0.6em 0 1em; }
    figure.plot svg { display: block; width: 100%; max-width: 960px; height: auto; }
    """
}

/// An SVG document as an element to put inside HTML: without its XML declaration.
func inlineSVG(_ document: String) -> String {
    guard document.hasPrefix("<?xml"), let end = document.range(of: "?>") else { return document }
    return document[end.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Text safe in HTML (and XML) content and attributes.
func htmlEscaped(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.count)
    for ch in s {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default:
            // Control characters (an ANSI colour code) are not allowed in XML.
            if let ascii = ch.asciiValue, ascii < 32, ch != "\n", ch != "\t" { continue }
            out.append(ch)
        }
    }
    return out
}
