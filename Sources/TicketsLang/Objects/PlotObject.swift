import TicketsEngine
import TicketsPlot

/// A plot seen from the language: `p = plot(t, x="kept", y="acc", logx=true)`. It is a
/// value like any other; the REPL shows it as braille (or ASCII) graphics sized to the
/// terminal window, `save(p, "fig.svg")` writes it as a standalone SVG figure, and a
/// notebook handout shows it as that figure.
final class PlotObject: DeclaredMembers {
    let figure: Figure
    /// Plain characters for this plot (`ascii=true`); nil: as the display says.
    let ascii: Bool?
    let display: Display

    /// Checks that the figure can be drawn: a `PlotError` names what is wrong.
    init(_ figure: Figure, ascii: Bool?, display: Display) throws {
        try figure.validate()
        self.figure = figure
        self.ascii = ascii
        self.display = display
    }

    var typeName: String { "plot" }

    /// The plot drawn for the terminal, at the size of its window.
    func describe() -> String { display.draw(figure, ascii: ascii) }

    /// The plot drawn at a given size in characters (`show(p, width=100, height=30)`).
    func draw(width: Int?, height: Int?, ascii: Bool?) -> String {
        let size = display.plotSize()
        return display.draw(figure, ascii: ascii ?? self.ascii, size: (width ?? size.width, height ?? size.height))
    }

    /// The plot as a standalone SVG document.
    func svg() throws -> String {
        do { return try renderSVG(figure) } catch let e as PlotError { throw TicketsError.runtime(e.message) }
    }

    static let members: [Member<PlotObject>] = [
        Member("kind", "\"line\", \"scatter\", \"histogram\" or \"heatmap\"") { .string($0.kindName) },
        Member("title", "its title") { .string($0.figure.title) },
        Member("series", "the names of its series (a line or scatter plot)") { p in
            .list(p.figure.series.enumerated().map { .string($1.name.isEmpty ? "series \($0 + 1)" : $1.name) })
        },
        Member("xlabel", "the x axis label") { .string($0.figure.xLabel) },
        Member("ylabel", "the y axis label") { .string($0.figure.yLabel) },
        Member("points", "how many points, values or cells it draws") { .int($0.pointCount) },
    ]

    var kindName: String {
        switch figure.kind {
        case .line: return "line"
        case .scatter: return "scatter"
        case .histogram: return "histogram"
        case .heatmap: return "heatmap"
        }
    }

    var pointCount: Int {
        switch figure.kind {
        case .line, .scatter: return figure.series.reduce(0) { $0 + $1.xs.count }
        case .histogram:
            switch figure.histogram {
            case .values(let v, _)?: return v.count
            case .counts(_, let c)?: return c.count
            case nil: return 0
            }
        case .heatmap: return figure.heatmap?.values.reduce(0) { $0 + $1.count } ?? 0
        }
    }
}

/// `save(p, "fig.svg")`: the plot as a standalone SVG file, written atomically (a
/// reader never sees half a file). Called by `save` for plot values.
func savePlot(_ plot: PlotObject, to path: String, _ a: Args) throws {
    guard path.lowercased().hasSuffix(".svg") else {
        throw a.fail("path", "must end in .svg for a plot, got \(quoteString(path))")
    }
    try writeAtomically(Array(try plot.svg().utf8), to: path)
}
