import Testing
@testable import TicketsPlot

/// Hundreds of random figures, odd values included, through every renderer: each
/// either draws within its size or throws a PlotError, and never traps.
struct RandomFigureTests {
    /// A small deterministic generator (SplitMix64), so a failure can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

        /// Mostly ordinary numbers, sometimes zero, negative, huge, tiny, NaN or infinite.
        mutating func value() -> Double {
            switch below(20) {
            case 0: return .nan
            case 1: return [Double.infinity, -.infinity][below(2)]
            case 2: return 0
            case 3: return [1e300, -1e300, Double.leastNonzeroMagnitude, 1e-300, Double.greatestFiniteMagnitude][below(5)]
            case 4: return -unit() * 10
            default: return unit() * pow10(below(7) - 3)
            }
        }

        func pow10(_ n: Int) -> Double { TicketsPlot.power10(n) }
    }

    @Test func randomFiguresNeverTrap() {
        var g = Generator(state: 2024)
        for round in 0..<300 {
            var figure: Figure
            switch g.below(4) {
            case 0, 1:
                let series = (0..<(1 + g.below(3))).map { s in
                    let n = g.below(30)
                    return Series("s\(s)", xs: (0..<n).map { _ in g.value() }, ys: (0..<(n + (g.below(10) == 0 ? 1 : 0))).map { _ in g.value() })
                }
                figure = g.below(2) == 0 ? .line(series, title: "round \(round)") : .scatter(series)
            case 2:
                figure = g.below(2) == 0
                    ? .histogram(.values((0..<g.below(200)).map { _ in g.value() }, bins: g.below(3) == 0 ? nil : g.below(70)))
                    : .histogram(.counts(edges: (0...4).map { Double($0) * g.unit() * 10 }, counts: (0..<4).map { _ in g.value() }))
            default:
                let rows = 1 + g.below(40), columns = 1 + g.below(200)
                let labelled = g.below(2) == 0
                let rowLabels = labelled ? (0..<rows).map { _ in String(repeating: "r", count: 1 + g.below(30)) } : []
                let columnLabels = labelled ? (0..<columns).map { _ in String(repeating: "c", count: 1 + g.below(30)) } : []
                figure = .heatmap(Heatmap((0..<rows).map { _ in (0..<columns).map { _ in g.value() } }, rowLabels: rowLabels,
                                          columnLabels: columnLabels, showValues: g.below(3) == 0 ? false : nil))
            }
            figure.logX = g.below(4) == 0
            figure.logY = g.below(4) == 0
            figure.reverseX = g.below(3) == 0
            figure.xAxis.format = [TickFormat.plain, .percent, .scientific][g.below(3)]
            if g.below(6) == 0 { figure.yAxis.limits = 0.5...(0.5 + g.unit() * 100) }
            let width = 10 + g.below(150), height = 5 + g.below(60)
            do {
                for style in [TerminalStyle.braille, .ascii] {
                    let text = try renderTerminal(figure, width: width, height: height, style: style, color: g.below(2) == 0)
                    let lines = stripANSI(text).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                    #expect(lines.allSatisfy { $0.count <= max(width, minimumTerminalSize.width) }, "round \(round): too wide")
                    #expect(lines.count <= max(height, minimumTerminalSize.height), "round \(round): \(lines.count) lines")
                }
                let svg = try renderSVG(figure, width: 200 + g.below(800), height: 150 + g.below(600))
                #expect(ParsedSVG(svg).error == nil, "round \(round): the SVG does not parse")
            } catch let error as PlotError {
                #expect(!error.message.isEmpty && !error.message.hasSuffix("."))
            } catch {
                Issue.record("round \(round): unexpected \(error)")
            }
        }
    }
}
