import Testing
@testable import TicketsPlot

/// The terminal renderer: golden pictures of a small plot in both styles, and the
/// promises about size, characters and colour codes.
struct TerminalTests {
    /// Two series over a decreasing log axis of percentages: the lottery-ticket plot in small.
    static var tiny: Figure {
        let remaining = [1, 0.5, 0.25, 0.125]
        var figure = Figure.line([Series("ticket", xs: remaining, ys: [0.9, 0.95, 0.93, 0.8]),
                                  Series("random", xs: remaining, ys: [0.9, 0.85, 0.75, 0.6])],
                                 title: "tiny", xLabel: "remaining", yLabel: "acc")
        figure.logX = true
        figure.reverseX = true
        figure.xAxis.format = .percent
        return figure
    }

    @Test func goldenBraille() throws {
        let expected = """
                               tiny
            acc
            1.0 ┤
                │  ⢀⣀⣀⠤⠤⠔⠒⠒⠉●⠉⠉⠉⠉⠑⠒⠒⠒⠒●⠤⣀
            0.9 ┤ ■⠑⠒⠒⠤⠤⢄⣀⣀              ⠉⠒⢄⡀
                │          ⠉■⠒⠢⠤⣀⡀          ⠈⠑⠢⢄⡀
            0.8 ┤                ⠈⠉⠒⠢⠤■         ●
            0.7 ┤                      ⠉⠒⢄⡀
                │                         ⠈⠑⠤⣀
            0.6 ┤                             ⠑⠢⢄
                └─┬─────────┬────────────┬────────
                100%       50%          20%
                             remaining
                 ● ticket   ■ random

            """
        #expect(try renderTerminal(Self.tiny, width: 40, height: 14) == expected)
    }

    @Test func goldenASCII() throws {
        let expected = """
                               tiny
            acc
            1.0 +
                |      *****************
            0.9 + ooooo                 ***
                |      oooooooooo          ****
            0.8 +                ooooooo       **
            0.7 +                       ooo
                |                          oooo
            0.6 +                              oo
                +-+---------+------------+--------
                100%       50%          20%
                             remaining
                 * ticket   o random

            """
        #expect(try renderTerminal(Self.tiny, width: 40, height: 14, style: .ascii) == expected)
    }

    @Test func goldenWithoutLabels() throws {
        let expected = """
            1.0 ┤        ●⡄             ●
                │       ⡜ ⠘⡄           ⡜
                │      ⡜   ⠘⡄         ⡜
                │     ⡜     ⠘⡄       ⡜
            0.5 ┤    ⡜       ⠘⡄     ⡜
                │   ⡜         ⠘⡄   ⡜
                │  ⡜           ⠘⡄ ⡜
            0.0 ┤ ●             ⠘●
                └─┬──────┬───────┬──────┬─
                  0      1       2      3

            """
        let zigzag = Figure.line([Series("", xs: [0, 1, 2, 3], ys: [0, 1, 0, 1])])
        #expect(try renderTerminal(zigzag, width: 32, height: 10) == expected)
    }

    static let figures: [Figure] = {
        let magnitudes: [Double] = (0..<400).map { (i: Int) -> Double in Double(i % 37) * 0.01 + Double(i % 5) * 0.1 }
        var histogram = Figure.histogram(.values(magnitudes, bins: nil), title: "weight magnitudes", xLabel: "|w|")
        histogram.logY = true
        let train: [Double] = (0..<300).map { (i: Int) -> Double in 2.3 / (1 + Double(i) / 20) }
        let test: [Double] = (0..<300).map { (i: Int) -> Double in 2.4 / (1 + Double(i) / 25) + 0.1 }
        let loss = Figure.line([Series("train", ys: train), Series("test", ys: test)], title: "loss", xLabel: "iteration", yLabel: "loss")
        let scatterYs: [Double] = (0..<50).map { (i: Int) -> Double in Double(i * i % 17) }
        let scatter = Figure.scatter([Series("kept", ys: scatterYs)])
        let jaccard = Figure.heatmap(Heatmap([[1, 0.62, 0.31], [0.62, 1, 0.33], [0.31, 0.33, 1]],
                                             rowLabels: ["seed 0", "seed 1", "random"], columnLabels: ["seed 0", "seed 1", "random"],
                                             range: 0...1), title: "mask overlap")
        return [tiny, histogram, loss, scatter, jaccard]
    }()

    @Test(arguments: [(80, 24), (120, 40), (40, 12), (5, 3)])
    func fitsTheWindow(_ size: (Int, Int)) throws {
        for figure in Self.figures {
            for style in [TerminalStyle.braille, .ascii] {
                let text = try renderTerminal(figure, width: size.0, height: size.1, style: style)
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                let width = max(size.0, minimumTerminalSize.width), height = max(size.1, minimumTerminalSize.height)
                #expect(lines.count <= height, "\(figure.kind) \(style) \(size): \(lines.count) lines")
                #expect(lines.allSatisfy { $0.count <= width }, "\(figure.kind) \(style) \(size) is too wide:\n\(text)")
                #expect(!text.contains("\u{1B}"))
            }
        }
    }

    @Test func asciiStyleIsPlainASCII() throws {
        for figure in Self.figures {
            let text = try renderTerminal(figure, width: 70, height: 20, style: .ascii)
            let strays = text.unicodeScalars.filter { $0.value > 126 || ($0.value < 32 && $0 != "\n") }
            #expect(strays.isEmpty, "\(figure.kind): \(String(String.UnicodeScalarView(strays)))")
        }
    }

    @Test func seriesGetTheirOwnASCIICharacter() throws {
        let text = try renderTerminal(Self.tiny, width: 60, height: 16, style: .ascii)
        #expect(text.contains("*") && text.contains("o"))
        #expect(text.contains("* ticket") && text.contains("o random"))
    }

    @Test func colourOnlyWhenAsked() throws {
        let plain = try renderTerminal(Self.tiny, width: 60, height: 16, color: false)
        let colored = try renderTerminal(Self.tiny, width: 60, height: 16, color: true)
        #expect(!plain.contains("\u{1B}"))
        // The first series' blue lightened for dark backgrounds (xterm 33), Okabe–Ito
        // orange in the xterm 256-colour cube, each run reset.
        #expect(colored.contains("\u{1B}[38;5;33m") && colored.contains("\u{1B}[38;5;178m"))
        #expect(colored.components(separatedBy: "\u{1B}[0m").count > 2)
        // Stripping the codes gives back the plain picture.
        #expect(stripANSI(colored) == plain)
    }

    @Test func denseSeriesDropTheirMarkers() throws {
        let loss = Self.figures[2]
        let text = try renderTerminal(loss, width: 80, height: 20)
        #expect(!text.contains("●") && !text.contains("■"))
        #expect(text.contains("━━ train") && text.contains("━━ test"))
    }

    @Test func histogramBars() throws {
        let figure = Figure.histogram(.counts(edges: [0, 1, 2, 3, 4], counts: [1, 4, 2, 0]))
        let braille = try renderTerminal(figure, width: 40, height: 12)
        #expect(braille.contains("█"))
        let ascii = try renderTerminal(figure, width: 40, height: 12, style: .ascii)
        // 9 plot rows under the "count" line; the y axis ends at its top tick, 4, the
        // tallest bin: 9 rows of '#'. The next bin has about half of them.
        let rows = ascii.split(separator: "\n")
        #expect(rows.filter { $0.contains("#") }.count == 9)
        // The top row is bin 1 alone: from the "1" tick to just before the "2" tick.
        let top = try #require(rows.first { $0.contains("#") }.map(Array.init))
        let ticks = try #require(rows.last.map(Array.init))
        #expect(top.firstIndex(of: "#") == ticks.firstIndex(of: "1"))
        #expect(top.lastIndex(of: "#").map { $0 + 1 } == ticks.firstIndex(of: "2"))
        #expect(ascii.contains("count"))
        #expect(ascii.contains("count"))
    }

    @Test func heatmapInText() throws {
        let text = try renderTerminal(Self.figures[4], width: 60, height: 20)
        for label in ["seed 0", "seed 1", "random", "0.62", "0.33", "1.00", "mask overlap"] {
            #expect(text.contains(label), "missing \(label)")
        }
        #expect(text.contains("0.00 ░░▒▒▓▓██ 1.00"))
        let ascii = try renderTerminal(Self.figures[4], width: 60, height: 20, style: .ascii)
        #expect(ascii.contains("0.00 ..::--==++**##%%@@ 1.00"))
        #expect(try renderTerminal(Self.figures[4], width: 60, height: 20, color: true).contains("\u{1B}[48;5;"))
    }

    @Test func longColumnLabelsBecomeNumbersWithAKey() throws {
        let map = Heatmap([[1, 0.5], [0.5, 1]], rowLabels: ["ticket", "control"],
                          columnLabels: ["winning ticket at 20%", "random reinit at 20%"])
        let text = try renderTerminal(Figure.heatmap(map), width: 40, height: 16)
        #expect(text.contains("columns: 1 = winning ticket at 20%,"))
    }

    @Test func largeMatricesAreAveraged() throws {
        let values = (0..<200).map { r in (0..<300).map { c in Double((r + c) % 50) / 50 } }
        let text = try renderTerminal(Figure.heatmap(Heatmap(values)), width: 80, height: 24)
        #expect(text.contains("(200 × 300 values averaged into blocks to fit)"))
        let lines = text.split(separator: "\n")
        #expect(lines.count <= 24 && lines.allSatisfy { $0.count <= 80 })
    }

    @Test func reversedAxisDecreasesToTheRight() throws {
        let text = try renderTerminal(Self.tiny, width: 60, height: 16, style: .ascii)
        let tickLine = try #require(text.split(separator: "\n").first { $0.contains("100%") })
        let labels = tickLine.split(separator: " ").map(String.init)
        #expect(labels == ["100%", "50%", "20%"])
    }
}

/// Text with its ANSI colour codes removed.
func stripANSI(_ text: String) -> String {
    var out = "", inEscape = false
    for character in text {
        if character == "\u{1B}" { inEscape = true; continue }
        if inEscape { if character == "m" { inEscape = false }; continue }
        out.append(character)
    }
    return out
}

/// A small window keeps the plot and gives up optional lines instead of growing.
struct SmallWindowTests {
    @Test func optionalLinesGiveWay() throws {
        let series = (0..<8).map { Series("a rather long series name \($0)", ys: [Double($0), .nan, 1]) }
        let figure = Figure.line(series, title: "title", xLabel: "x label", yLabel: "y label")
        let text = try renderTerminal(figure, width: 40, height: 10)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 10)
        #expect(!text.contains("skipped") && !text.contains("y label") && !text.contains("x label"))
        #expect(text.contains("title") && text.contains("a rather long series name 0"))
        // With room, everything is back.
        let roomy = try renderTerminal(figure, width: 120, height: 30)
        #expect(roomy.contains("(8 non-finite points skipped)") && roomy.contains("y label") && roomy.contains("x label"))
    }

    /// The y axis ends at a tick at or above the highest point: no data above the
    /// last label (the lottery-ticket curve once sat above it).
    @Test func theTopOfTheYAxisCarriesATick() throws {
        var figure = Figure.line([Series("acc", xs: [1, 2, 3], ys: [0.855, 0.8592, 0.78])])
        figure.title = "t"
        let text = try renderTerminal(figure, width: 50, height: 16, style: .ascii)
        let plotRows = text.split(separator: "\n").filter { $0.contains("|") || $0.contains("+") }
        let firstRow = try #require(plotRows.first)
        #expect(firstRow.contains("+") && firstRow.first?.isNumber == true, "\(text)")
        #expect(!(try renderSVG(figure)).isEmpty)
    }

    /// On a log axis the terminal joins two points with a straight line in the axis's
    /// own (log) coordinates, as the SVG does: the column halfway across the plot is
    /// halfway up.
    @Test func logAxesDrawStraightSegments() throws {
        var figure = Figure.line([Series("s", xs: [1, 100], ys: [0, 1])])
        figure.logX = true
        let text = try renderTerminal(figure, width: 60, height: 21, style: .ascii)
        let rows = text.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
        let stars = rows.enumerated().flatMap { r, line in line.indices.filter { line[$0] == "*" }.map { (r, $0) } }
        let (top, bottom) = (stars.map(\.0).min()!, stars.map(\.0).max()!)
        let (left, right) = (stars.map(\.1).min()!, stars.map(\.1).max()!)
        let middle = (left + right) / 2
        let rowsAtMiddle = stars.filter { $0.1 == middle }.map(\.0)
        let expected = Double(top + bottom) / 2
        #expect(rowsAtMiddle.allSatisfy { abs(Double($0) - expected) <= 1.5 }, "\(text)")
    }

    /// Heat-map cells keep as much shade left of their value as right of it, and every
    /// value is as wide as the widest.
    @Test func heatmapCellsAreEven() throws {
        let figure = Figure.heatmap(Heatmap([[1, 0.5, -0.25], [0.125, 10, 3]], rowLabels: ["a", "b"], columnLabels: ["a", "b", "c"]))
        let text = try renderTerminal(figure, width: 60, height: 20)
        let valueRows = text.split(separator: "\n").filter { $0.contains(".") && ($0.hasPrefix("a") || $0.hasPrefix("b")) }
        #expect(valueRows.count == 2)
        for row in valueRows {
            // Each run of shade between two values is the same length.
            let runs = row.dropFirst(2).split(whereSeparator: { !"░▒▓█".contains($0) }).map(\.count)
            #expect(Set(runs.dropFirst().dropLast()).count <= 1, "\(text)")
        }
    }
}
