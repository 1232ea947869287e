import Testing
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import TicketsPlot

/// An SVG document parsed with Foundation's XMLParser: its elements in order, each
/// with its attributes and text, or the parser's error.
final class ParsedSVG: NSObject, XMLParserDelegate {
    struct Element {
        let name: String
        let attributes: [String: String]
        var text = ""
        var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }
    }

    private(set) var elements: [Element] = []
    private var open: [Int] = []
    private(set) var error: Error?

    init(_ svg: String) {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        if !parser.parse() { error = parser.parserError ?? CocoaError(.fileReadCorruptFile) }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append(Element(name: name, attributes: attributes))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        _ = open.popLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let current = open.last { elements[current].text += string }
    }

    func all(_ name: String, class wanted: String? = nil) -> [Element] {
        elements.filter { $0.name == name && (wanted == nil || $0.classes.contains(wanted ?? "")) }
    }
}

/// The SVG renderer: well-formed XML with the expected parts, and nothing unsafe.
struct SVGTests {
    @Test func lotteryTicketFigure() throws {
        let svg = try renderSVG(TerminalTests.tiny)
        let doc = ParsedSVG(svg)
        #expect(doc.error == nil, "\(String(describing: doc.error))")
        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\""))
        let root = try #require(doc.elements.first)
        #expect(root.name == "svg")
        #expect(root.attributes["viewBox"] == "0 0 640 420" && root.attributes["width"] == "640" && root.attributes["height"] == "420")
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        // A white background first.
        #expect(doc.all("rect").first?.attributes["fill"] == "#ffffff")
        // One path per series, in the Okabe–Ito blue and orange, a legend entry for each.
        let paths = doc.all("path", class: "series")
        #expect(paths.count == 2)
        #expect(paths.map { $0.attributes["stroke"] } == ["#0072b2", "#e69f00"])
        let legend = doc.all("g", class: "legend-entry")
        #expect(legend.count == 2)
        #expect(doc.all("text").filter { ["ticket", "random"].contains($0.text) }.count == 2)
        // A marker on each of the 8 points, and one in each legend entry.
        #expect(doc.elements.filter { $0.classes.contains("marker") }.count == 8 + 2)
        // Tick labels at readable values, decreasing to the right.
        let xTicks = doc.all("text", class: "x-tick")
        #expect(xTicks.map(\.text) == ["100%", "50%", "20%"])
        let xs = xTicks.compactMap { $0.attributes["x"].flatMap(Double.init) }
        #expect(xs == xs.sorted())
        // The y axis ends at a tick above the data (0.95), so the top carries a label.
        #expect(doc.all("text", class: "y-tick").map(\.text) == ["0.6", "0.7", "0.8", "0.9", "1.0"])
        #expect(doc.all("text", class: "title").map(\.text) == ["tiny"])
        #expect(doc.all("text", class: "axis-label").map(\.text) == ["remaining", "acc"])
        #expect(doc.all("line").count > 10)   // grid, axes, tick marks
    }

    @Test func typeIsLargeEnoughForAProjector() throws {
        let doc = ParsedSVG(try renderSVG(TerminalTests.tiny))
        let sizes = doc.all("text").compactMap { $0.attributes["font-size"].flatMap(Double.init) }
            + doc.all("g").compactMap { $0.attributes["font-size"].flatMap(Double.init) }
        #expect(!sizes.isEmpty && sizes.allSatisfy { $0 >= 12 })
    }

    @Test func textIsEscaped() throws {
        var figure = Figure.line([Series("a < b & \"c\"", ys: [1, 2, 3])], title: "R&D <script>alert(1)</script>", xLabel: "x'", yLabel: "y\u{1}")
        figure.xAxis.format = .plain
        let svg = try renderSVG(figure)
        let doc = ParsedSVG(svg)
        #expect(doc.error == nil, "\(String(describing: doc.error))")
        #expect(!svg.contains("<script"))
        #expect(doc.all("text", class: "title").first?.text == "R&D <script>alert(1)</script>")
        #expect(doc.all("text").contains { $0.text == "a < b & \"c\"" })
        #expect(doc.all("path", class: "series").first?.attributes["data-name"] == "a < b & \"c\"")
        #expect(doc.all("text", class: "axis-label").map(\.text) == ["x'", "y\u{FFFD}"])
    }

    @Test(arguments: TerminalTests.figures.indices)
    func standaloneAndSafe(_ i: Int) throws {
        let svg = try renderSVG(TerminalTests.figures[i], width: 500, height: 360)
        let doc = ParsedSVG(svg)
        #expect(doc.error == nil)
        #expect(doc.elements.first?.attributes["viewBox"] == "0 0 500 360")
        for forbidden in ["<script", "href", "<image", "<foreignObject", "url(", "@import", "on" + "load="] {
            #expect(!svg.contains(forbidden), "found \(forbidden)")
        }
        // Every number in a coordinate is finite.
        #expect(!svg.contains("nan") && !svg.contains("inf"))
        #expect(try renderSVG(TerminalTests.figures[i], width: 500, height: 360) == svg)   // the same every time
    }

    @Test func histogramBars() throws {
        let figure = Figure.histogram(.counts(edges: [0, 1, 2, 3, 4], counts: [1, 4, 0, 2]), xLabel: "score")
        let doc = ParsedSVG(try renderSVG(figure))
        let bars = doc.all("rect", class: "bar")
        #expect(bars.count == 3)   // empty bins draw nothing
        let heights = bars.compactMap { $0.attributes["height"].flatMap(Double.init) }
        #expect(heights.count == 3 && abs(heights[1] / heights[0] - 4) < 0.05 && abs(heights[2] / heights[0] - 2) < 0.05)
        #expect(doc.all("path", class: "series").isEmpty && doc.all("g", class: "legend").isEmpty)
    }

    @Test func scatterMarkers() throws {
        let figure = Figure.scatter([Series("kept", xs: [1, 2, 3], ys: [3, 1, 2]), Series("pruned", xs: [1.5, 2.5], ys: [2, 2])])
        let doc = ParsedSVG(try renderSVG(figure))
        let groups = doc.all("g", class: "series")
        #expect(groups.count == 2)
        #expect(doc.all("circle", class: "marker").count == 3 + 1)   // the circles, and the legend's
        #expect(doc.all("rect", class: "marker").count == 2 + 1)     // the squares, and the legend's
    }

    @Test func heatmapCells() throws {
        let figure = TerminalTests.figures[4]
        let doc = ParsedSVG(try renderSVG(figure))
        #expect(doc.error == nil)
        #expect(doc.all("rect", class: "cell").count == 9)
        #expect(doc.all("text", class: "cell-value").map(\.text) == ["1.00", "0.62", "0.31", "0.62", "1.00", "0.33", "0.31", "0.33", "1.00"])
        #expect(doc.all("text", class: "row-label").map(\.text) == ["seed 0", "seed 1", "random"])
        #expect(doc.all("text", class: "column-label").map(\.text) == ["seed 0", "seed 1", "random"])
        #expect(doc.all("text", class: "tick-label").map(\.text) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        // Dark text on the light (yellow) diagonal, white on the dark cells.
        let fills = doc.all("text", class: "cell-value").map { $0.attributes["fill"] ?? "" }
        #expect(fills[0] == "#000000" && fills[2] == "#ffffff")
    }

    @Test func bigHeatmapsAreAveraged() throws {
        let values = (0..<300).map { r in (0..<200).map { c in Double(r * c % 97) } }
        let doc = ParsedSVG(try renderSVG(Figure.heatmap(Heatmap(values))))
        #expect(doc.all("rect", class: "cell").count == 120 * 120)
        #expect(doc.all("desc").first?.text == "300 × 200 values averaged into 120 × 120 blocks")
    }

    @Test func linesStopAtTheLimits() throws {
        var figure = Figure.line([Series("a", xs: [0, 1, 2, 3], ys: [0, 10, 0, 10])])
        figure.yAxis.limits = 0...5
        let doc = ParsedSVG(try renderSVG(figure))
        let d = try #require(doc.all("path", class: "series").first?.attributes["d"])
        // The line leaves through the top edge at x = 0.5 and comes back at x = 1.5, then
        // runs down and up to the edge again: two pieces, each starting with a move.
        #expect(d.filter { $0 == "M" }.count == 2)
        #expect(d.filter { $0 == "L" }.count == 3)
    }
}
