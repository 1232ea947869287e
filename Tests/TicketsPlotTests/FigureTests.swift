import Testing
@testable import TicketsPlot

/// The model's conveniences, histogram binning and line thinning.
struct FigureTests {
    @Test func shortNamesSetTheAxes() {
        var figure = Figure.line([Series("loss", ys: [3, 2, 1])], xLabel: "iteration")
        figure.logX = true
        figure.reverseX = true
        figure.yLabel = "loss"
        #expect(figure.xAxis == Axis(label: "iteration", log: true, reversed: true))
        #expect(figure.yAxis.label == "loss")
        #expect(figure.series[0].xs == [0, 1, 2])
        #expect(Figure.histogram(.values([1], bins: 1)).yLabel == "count")
    }

    @Test func binsCountEveryValueOnce() {
        let bins = Bins.count([0, 0.1, 0.5, 0.9, 1.0, 1.0], bins: 4, log: false)
        #expect(bins.edges == [0, 0.25, 0.5, 0.75, 1])
        #expect(bins.counts == [2, 0, 1, 3])   // the largest value lands in the last bin
    }

    @Test func logBinsAreEvenInLogSpace() {
        let bins = Bins.count([0.001, 0.01, 0.1, 1, 1], bins: 3, log: true)
        #expect(bins.edges.count == 4)
        for (edge, expected) in zip(bins.edges, [0.001, 0.01, 0.1, 1]) { #expect(abs(edge / expected - 1) < 1e-12) }
        #expect(bins.counts == [1, 1, 3])
    }

    @Test func oneValueGetsABinAroundIt() {
        let bins = Bins.count([2, 2, 2], bins: nil, log: false)
        #expect(bins.edges.first == 1.9 && bins.edges.last == 2.1)
        #expect(bins.counts.reduce(0, +) == 3)
    }

    @Test func automaticBinCount() throws {
        let uniform = (0..<1000).map { Double($0) / 1000 }
        // Sturges gives 11; Freedman–Diaconis 2 × 0.5 / 10 = 0.1 wide, 10 bins: the larger wins.
        #expect(Bins.automaticBins(uniform, lo: 0, hi: 1) == 11)
        let many = (0..<1_000_000).map { Double($0 % 1000) }
        #expect(Bins.automaticBins(many, lo: 0, hi: 999) == 60)   // capped for the screen
        let histogram = Figure.histogram(.values([1, .nan, 2, 3], bins: nil))
        #expect(Bins.of(try #require(histogram.histogram), logX: false).counts.reduce(0, +) == 3)
    }

    @Test func binLookup() {
        let edges = [0.0, 1, 2, 4]
        #expect(binIndex(of: 0, edges: edges) == 0)
        #expect(binIndex(of: 1.5, edges: edges) == 1)
        #expect(binIndex(of: 4, edges: edges) == 2)
        #expect(binIndex(of: -0.1, edges: edges) == nil && binIndex(of: 4.1, edges: edges) == nil)
    }

    @Test func thinningKeepsTheEnvelope() {
        var points: [(x: Double, y: Double)] = []
        for i in 0..<10_000 {
            let y: Double = i % 2 == 0 ? Double(i % 7) : -Double(i % 5)
            points.append((x: Double(i) / 9_999, y: y))
        }
        let thin = thinToColumns(points, columns: 100)
        #expect(thin.count <= 4 * 101)
        #expect(thin.first?.x == 0 && thin.last?.x == 1)
        let ys = thin.map { $0.y }, allYs = points.map { $0.y }
        #expect(ys.max() == allYs.max() && ys.min() == allYs.min())
        // Short lines are left alone.
        #expect(thinToColumns(Array(points.prefix(50)), columns: 100).count == 50)
    }

    @Test func controlCharactersInLabelsStayHarmless() throws {
        let figure = Figure.line([Series("evil\u{1B}[31m", ys: [1, 2])], title: "two\nlines", yLabel: "tab\there")
        let text = try renderTerminal(figure, width: 40, height: 12, style: .ascii)
        #expect(!text.contains("\u{1B}") && !text.contains("\t"))
        #expect(text.contains("two lines") && text.contains("evil [31m"))
    }

    @Test func hugeSizesAreCapped() throws {
        let text = try renderTerminal(TerminalTests.tiny, width: 1_000_000, height: 1_000_000, style: .ascii)
        #expect(text.split(separator: "\n").count <= 500)
    }
}
