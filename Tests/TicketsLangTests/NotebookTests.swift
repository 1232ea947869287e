import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import TicketsLang

/// Handouts: a script cut into cells, the Markdown and the HTML written from them, and
/// plots saved as SVG files, each checked as well-formed XML with the parts expected.
struct NotebookTests {
    static let lesson = """
    # A small lesson: tables and a plot.
    # Each paragraph is a cell.

    t = table(["kept", "acc"])
    t.add({kept: 1, acc: 0.9})
    t.add({kept: 0.5, acc: 0.92})

    # A paragraph of comments alone is prose.

    for row in t
      print(row.kept)

      print(row.acc)
    end

    plot(t, x="kept", y="acc", logx=true, title="a & b < c")

    print(nope)
    len(t)
    """

    static func run(_ source: String) throws -> (Notebook, [TicketsError]) {
        let interp = try Interpreter(output: { _ in }, progressOutput: { _ in })
        var errors: [TicketsError] = []
        let notebook = Notebook.run(script: source, file: "lesson.tks", in: interp) { errors.append($0) }
        return (notebook, errors)
    }

    /// The elements of an XML document by name, or the parser's error.
    final class Elements: NSObject, XMLParserDelegate {
        var names: [String] = []
        var attributes: [[String: String]] = []
        var error: Error?
        init(_ text: String) {
            super.init()
            let parser = XMLParser(data: Data(text.utf8))
            parser.delegate = self
            if !parser.parse() { error = parser.parserError ?? CocoaError(.fileReadCorruptFile) }
        }
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            names.append(name)
            self.attributes.append(attributes)
        }
        func count(_ name: String, class wanted: String? = nil) -> Int {
            zip(names, attributes).filter { $0.0 == name && (wanted == nil || ($0.1["class"] ?? "").split(separator: " ").contains(Substring(wanted!))) }.count
        }
    }

    @Test func aScriptIsCutIntoCellsAtBlankLinesOutsideBlocks() throws {
        let (notebook, errors) = try Self.run(Self.lesson)
        #expect(notebook.title == "A small lesson: tables and a plot.")
        guard notebook.cells.count == 6, case .prose(let intro) = notebook.cells[0], case .prose(let middle) = notebook.cells[2],
              case .code(let loop, let loopOut) = notebook.cells[3], case .code(let plot, let plotOut) = notebook.cells[4],
              case .code(let last, let lastOut) = notebook.cells[5] else {
            Issue.record("unexpected cells: \(notebook.cells)")
            return
        }
        #expect(intro == "Each paragraph is a cell.")
        #expect(middle == "A paragraph of comments alone is prose.")
        #expect(loop.hasPrefix("for row in t") && loop.hasSuffix("end") && loop.contains("\n\n"))   // the blank line inside the block stays
        guard case .text(let printed) = loopOut.first else { Issue.record("no output"); return }
        #expect(printed == "1\n0.9\n0.5\n0.92")
        // The cell's last value, a plot, is a figure.
        #expect(plot.hasPrefix("plot("))
        guard plotOut.count == 1, case .figure(let f) = plotOut[0] else { Issue.record("unexpected outputs: \(plotOut)"); return }
        #expect(f.title == "a & b < c")
        // An error is shown with the file's own line number and stops its cell (as an
        // entry at the prompt), not the cells after it.
        let line = Self.lesson.components(separatedBy: "\n").firstIndex(of: "print(nope)")! + 1
        #expect(last.hasPrefix("print(nope)"))
        guard lastOut.count == 1, case .error(let e) = lastOut[0] else { Issue.record("unexpected outputs: \(lastOut)"); return }
        #expect(e.hasPrefix("lesson.tks:\(line):7: error: unknown name 'nope'"))
        #expect(errors.count == 1 && errors[0].loc?.line == line)
        #expect(notebook.codeCells == 4 && notebook.figures.count == 1)
    }

    @Test func theHTMLPageIsSelfContainedWellFormedAndCountsItsCellsAndFigures() throws {
        let (notebook, _) = try Self.run(Self.lesson)
        let html = notebook.html()
        let doc = Elements(html)
        #expect(doc.error == nil, "\(String(describing: doc.error))")
        #expect(doc.count("pre", class: "input") == 4)
        #expect(doc.count("figure", class: "plot") == 1 && doc.count("svg") == 1)
        #expect(doc.count("pre", class: "error") == 1)
        #expect(doc.count("p", class: "prose") == 2)
        #expect(doc.count("script") == 0 && doc.count("link") == 0 && doc.count("img") == 0)
        // Nothing is fetched: the only URLs are XML namespaces.
        let urls = html.matches(of: /https?:\/\/[^"\s<]+/).map { String($0.output) }
        #expect(Set(urls).isSubset(of: ["http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg"]), "\(urls)")
        #expect(html.contains("a &amp; b &lt; c"))
        #expect(html.contains("font: 22px"))   // large type for a projector
    }

    @Test func theMarkdownLinksEachFigureToAnSVGFileBesideIt() throws {
        let (notebook, _) = try Self.run(Self.lesson)
        let dir = NSTemporaryDirectory() + "tickets-notebook-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = try notebook.write(to: dir + "/lesson.md")
        #expect(files == [dir + "/lesson.md", dir + "/lesson-1.svg"])
        let md = try String(contentsOfFile: dir + "/lesson.md", encoding: .utf8)
        #expect(md.hasPrefix("# A small lesson: tables and a plot.\n\nEach paragraph is a cell.\n\n```tks\nt = table("))
        #expect(md.contains("![a & b < c](lesson-1.svg)"))
        let svg = Elements(try String(contentsOfFile: dir + "/lesson-1.svg", encoding: .utf8))
        #expect(svg.error == nil && svg.names.first == "svg")
        #expect(throws: (any Error).self) { try notebook.write(to: dir + "/missing/lesson.md") }
        #expect(!FileManager.default.fileExists(atPath: dir + "/missing"))
    }

    @Test func fencesOutgrowTheBackticksInside() {
        #expect(fenced("a ``` b", language: "text") == ["````text", "a ``` b", "````", ""])
        #expect(withoutANSI("\u{1B}[1;31merror:\u{1B}[0m x") == "error: x")
        #expect(htmlEscaped("<a href=\"x\">&</a>\u{1B}") == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;")
    }

    @Test func savingAPlotWritesAWellFormedSVGAtomically() throws {
        let path = NSTemporaryDirectory() + "tickets-plot-\(UUID().uuidString).svg"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let interp = try Interpreter(output: { _ in }, progressOutput: { _ in })
        try interp.run("""
        t = table(["kept", "acc", "random_acc"], formats={kept: "%"})
        t.add({kept: 1, acc: 0.97, random_acc: 0.97})
        t.add({kept: 0.2, acc: 0.98, random_acc: 0.95})
        t.add({kept: 0.05, acc: 0.96, random_acc: 0.90})
        save(plot(t, x="kept", y=["acc", "random_acc"], logx=true, title="LTH"), "\(path)")
        """, file: "t")
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        let doc = Elements(svg)
        #expect(doc.error == nil)
        #expect(doc.names.first == "svg" && doc.count("path") >= 2)
        // Percent ticks on the kept axis, decreasing to the right: 100% left of 10%.
        let hundred = try #require(svg.range(of: ">100%<")), ten = try #require(svg.range(of: ">10%<"))
        #expect(hundred.lowerBound < ten.lowerBound)
        let folder = (path as NSString).deletingLastPathComponent
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains((path as NSString).lastPathComponent + ".tmp") }
        #expect(leftovers.isEmpty)
    }

    /// A cell whose last value is a plot shows the figure even when an earlier statement
    /// of the cell announced a summary; a statement that announced shows only that.
    @Test func theLastValueShowsUnlessItsOwnStatementAnnounced() throws {
        let (notebook, errors) = try Self.run("""
        t = table(["kept", "acc"]); t.add({kept: 1, acc: 0.9}); t.add({kept: 0.5, acc: 0.8})

        net2 = mlp([784, 30, 10], seed=1)
        plot(t, x="kept", y="acc", logx=true)

        plot(t, x="kept", y="acc")
        net3 = mlp([4, 2], seed=1)
        """)
        #expect(errors.isEmpty)
        #expect(notebook.figures.count == 1)
        guard notebook.cells.count == 3, case .code(_, let second) = notebook.cells[1], case .code(_, let third) = notebook.cells[2] else {
            Issue.record("unexpected cells: \(notebook.cells)"); return
        }
        #expect(second.count == 2)
        guard case .text(let summary) = third.last, third.count == 1 else { Issue.record("unexpected outputs: \(third)"); return }
        #expect(summary.hasPrefix("mlp 4-2"))
    }

    /// Prose reads Markdown's inline marks; outputs keep their columns (no wrapping).
    @Test func proseRendersMarkdownAndOutputsKeepTheirColumns() throws {
        let (notebook, _) = try Self.run("""
        # Title

        # A ticket is *stable* when **two** runs agree; see `lmc` and
        # [the paper](https://arxiv.org/abs/1912.05671). Keep a_b_c and 2 * 3 * 4 as they are.
        # - a list item starts a line

        help(pct)
        """)
        let html = notebook.html()
        #expect(Elements(html).error == nil)
        #expect(html.contains("A ticket is <em>stable</em> when <strong>two</strong> runs agree; see <code>lmc</code> and <a href=\"https://arxiv.org/abs/1912.05671\">the paper</a>. Keep a_b_c and 2 * 3 * 4 as they are.<br/>- a list item starts a line"))
        #expect(html.contains("pre.output { background: #ffffff; border-left: 6px solid #c8c8c8; white-space: pre;"))
    }

    /// imp's line per level is kept in its cell (it goes to standard error, not to the
    /// cell's output, at the prompt).
    @Test func impLeavesItsLevelsInTheHandout() throws {
        let tiny = GoldenTests.root.appendingPathComponent("Tests/golden/data/tiny").path
        let (notebook, errors) = try Self.run("""
        d = dataset("idx", "\(tiny)")
        t = imp(mlp([64, 16, 3], seed=0), d, levels=2, rate=0.5, epochs=1, batch=10)
        """)
        #expect(errors.isEmpty)
        guard case .code(_, let outputs)? = notebook.cells.last else { Issue.record("no cell"); return }
        let text = outputs.compactMap { if case .text(let t) = $0 { return t } else { return nil } }.joined(separator: "\n")
        for level in 0...2 { #expect(text.contains("level \(level)/2  "), "\(text)") }
    }
}
