import Testing
@testable import TicketsPlot

/// Every way a figure can be refused, with the sentence the user reads.
struct ValidationTests {
    static let nan = Double.nan

    static func line(_ series: [Series], logX: Bool = false, logY: Bool = false) -> Figure {
        var figure = Figure.line(series)
        figure.logX = logX
        figure.logY = logY
        return figure
    }

    static let cases: [(String, Figure, String)] = [
        ("no series", Figure.line([]), "the plot has no data: give it at least one series"),
        ("empty series", line([Series("loss", xs: [], ys: [])]), "series 'loss' is empty"),
        ("lengths", line([Series("acc", xs: [1, 2, 3], ys: [1, 2])]), "series 'acc' has 3 x values but 2 y values"),
        ("unnamed", line([Series("a", ys: [1]), Series("", xs: [1], ys: [])]), "series 2 has 1 x values but 0 y values"),
        ("NaN only", line([Series("loss", ys: [nan, .infinity, nan])]), "series 'loss' has no finite points: all 3 are NaN or infinite"),
        ("log x at 0", line([Series("ticket", xs: [1, 0.5, 0], ys: [0.9, 0.9, 0.8])], logX: true),
         "the x axis is logarithmic but series 'ticket' has x = 0 at point 3; a log axis needs values > 0"),
        ("log y negative", line([Series("gap", xs: [1, 2], ys: [0.1, -0.25])], logY: true),
         "the y axis is logarithmic but series 'gap' has y = -0.25 at point 2; a log axis needs values > 0"),
        ("no histogram", Figure(kind: .histogram), "the histogram has no data: give it values or counts"),
        ("no values", Figure.histogram(.values([], bins: nil)), "the histogram has no values"),
        ("NaN values", Figure.histogram(.values([nan, nan], bins: 10)), "the histogram has no finite values: all 2 are NaN or infinite"),
        ("zero bins", Figure.histogram(.values([1, 2], bins: 0)), "a histogram needs between 1 and 10000 bins, not 0"),
        ("edges", Figure.histogram(.counts(edges: [0, 1, 2], counts: [3, 4, 5])), "the histogram has 3 counts, so it needs 4 edges, not 3"),
        ("edge order", Figure.histogram(.counts(edges: [0, 0.5, 0.5], counts: [3, 4])),
         "histogram edges must increase, but edge 3 (0.5) is not above edge 2 (0.5)"),
        ("negative count", Figure.histogram(.counts(edges: [0, 1, 2], counts: [3, -1])), "histogram count 2 is -1; counts must be finite and ≥ 0"),
        ("no heat map", Figure(kind: .heatmap), "the heat map has no values"),
        ("empty heat map", Figure.heatmap(Heatmap([[]])), "the heat map has no values"),
        ("ragged", Figure.heatmap(Heatmap([[1, 0.5, 0.2], [0.5, 1]])), "the heat map is not rectangular: row 2 has 2 values but row 1 has 3"),
        ("row labels", Figure.heatmap(Heatmap([[1, 0], [0, 1]], rowLabels: ["a"])), "the heat map has 2 rows but 1 row labels"),
        ("column labels", Figure.heatmap(Heatmap([[1, 0], [0, 1]], columnLabels: ["a", "b", "c"])), "the heat map has 2 columns but 3 column labels"),
        ("NaN heat map", Figure.heatmap(Heatmap([[nan, nan]])), "the heat map has no finite values: all 2 are NaN or infinite"),
        ("heat map range", Figure.heatmap(Heatmap([[1]], range: 1...1)),
         "the heat map's range must be two finite numbers with low < high, not 1...1"),
    ]

    @Test(arguments: cases.indices)
    func refusesWithOneSentence(_ i: Int) {
        let (what, figure, message) = Self.cases[i]
        #expect(throws: PlotError(message), "\(what)") { try figure.validate() }
        // The renderers refuse the same figure with the same sentence.
        #expect(throws: PlotError(message), "\(what)") { try renderTerminal(figure) }
        #expect(throws: PlotError(message), "\(what)") { try renderSVG(figure) }
    }

    @Test func histogramLogAxisOverZero() {
        var figure = Figure.histogram(.values([0.5, 0, 0.25], bins: 4))
        figure.logX = true
        #expect(throws: PlotError("the x axis is logarithmic but the histogram has the value 0; a log axis needs values > 0")) {
            try figure.validate()
        }
    }

    @Test func limits() {
        var figure = Figure.line([Series("a", ys: [1, 2])])
        figure.xAxis.limits = 2...2
        #expect(throws: PlotError("the x axis limits must be two finite numbers with low < high, not 2...2")) { try figure.validate() }
        figure.xAxis.limits = nil
        figure.yAxis.limits = 0...1
        figure.logY = true
        #expect(throws: PlotError("the y axis is logarithmic but its lower limit is 0; a log axis needs values > 0")) { try figure.validate() }
    }

    @Test func nonFinitePointsAreSkippedAndCounted() throws {
        let figure = Figure.line([Series("loss", ys: [2.3, 1.1, .nan, 0.7, .infinity, 0.5])])
        #expect(try figure.validate().skippedPoints == 2)
        let text = try renderTerminal(figure, width: 50, height: 14, style: .ascii)
        #expect(text.contains("(2 non-finite points skipped)"))
        #expect(try renderSVG(figure).contains("2 non-finite points skipped"))
        // The line breaks at each gap: three runs.
        #expect(PlotFrame.finiteRuns(figure.series[0]).map(\.count) == [2, 1, 1])
    }

    @Test func skippedCellsOfAHeatMap() throws {
        let figure = Figure.heatmap(Heatmap([[1, .nan], [0.5, 1]]))
        #expect(try figure.validate().skippedPoints == 1)
        #expect(try renderTerminal(figure).contains("(1 non-finite value left blank)"))
    }
}

/// Data at the edges of what a Double holds is refused or drawn, never a crash.
struct ExtremeDataTests {
    @Test func rangesTooWideToDraw() {
        let figure = Figure.line([Series("wild", xs: [0, 1], ys: [-1e308, 1e308])])
        #expect(throws: PlotError("the y values span too wide a range to draw (-1e308 to 1e308); set the y axis limits")) {
            try renderTerminal(figure)
        }
        #expect(throws: PlotError("the histogram's values span too wide a range to bin (-1e308 to 1e308)")) {
            try Figure.histogram(.values([-1e308, 1e308], bins: nil)).validate()
        }
    }

    @Test func tinyHugeAndFlatDataStillDraw() throws {
        let cases: [[Double]] = [[0, Double.leastNonzeroMagnitude], [1e300, 2e300], [1, 1, 1], [0.1, 0.1 + 1e-16], [-1e-300, 1e-300], [1e15, 1e15 + 1]]
        for ys in cases {
            let figure = Figure.line([Series("edge", ys: ys)])
            #expect(throws: Never.self) { _ = try renderTerminal(figure, width: 40, height: 12) }
            #expect(throws: Never.self) { _ = try renderSVG(figure) }
            var log = figure
            log.logY = ys.allSatisfy { $0 > 0 }
            #expect(throws: Never.self) { _ = try renderTerminal(log, width: 40, height: 12, style: .ascii) }
        }
        let heat = Figure.heatmap(Heatmap([[-1e308, 1e308], [0, .nan]]))
        #expect(throws: Never.self) { _ = try renderTerminal(heat) }
        #expect(throws: Never.self) { _ = try renderSVG(heat) }
        // A log axis down to the smallest Double: its padding stops there instead of at 0.
        var logTiny = Figure.line([Series("tiny", xs: [0.001, Double.leastNonzeroMagnitude, 3.4], ys: [394, 66, 3])])
        logTiny.logX = true
        #expect(throws: Never.self) { _ = try renderTerminal(logTiny, width: 21, height: 37) }
        let subnormal = Figure.histogram(.values([0, Double.leastNonzeroMagnitude, 2 * Double.leastNonzeroMagnitude], bins: nil))
        #expect(throws: Never.self) { _ = try renderTerminal(subnormal) }
    }
}
