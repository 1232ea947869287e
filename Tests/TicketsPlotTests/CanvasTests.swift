import Testing
@testable import TicketsPlot

/// Braille dot placement and line drawing on tiny canvases.
struct CanvasTests {
    func braille(_ canvas: DotCanvas, row: Int = 0) -> String {
        String((0..<canvas.columns).map { canvas.character(column: $0, row: row) })
    }

    @Test func eachDotHasItsBrailleBit() {
        // (dx, dy) → the Unicode braille character with only that dot raised.
        let expected: [((Int, Int), Character)] = [
            ((0, 0), "⠁"), ((0, 1), "⠂"), ((0, 2), "⠄"), ((0, 3), "⡀"),
            ((1, 0), "⠈"), ((1, 1), "⠐"), ((1, 2), "⠠"), ((1, 3), "⢀"),
        ]
        for ((x, y), character) in expected {
            var canvas = DotCanvas(columns: 1, rows: 1, dotsPerCell: (2, 4))
            canvas.set(x: x, y: y, series: 0)
            #expect(canvas.character(column: 0, row: 0) == character, "dot (\(x), \(y))")
        }
        var full = DotCanvas(columns: 1, rows: 1, dotsPerCell: (2, 4))
        for x in 0..<2 { for y in 0..<4 { full.set(x: x, y: y, series: 0) } }
        #expect(full.character(column: 0, row: 0) == "⣿")
        #expect(DotCanvas(columns: 1, rows: 1, dotsPerCell: (2, 4)).character(column: 0, row: 0) == "\u{2800}")
    }

    @Test func linesInDotSpace() {
        var diagonal = DotCanvas(columns: 2, rows: 1, dotsPerCell: (2, 4))
        diagonal.line(from: (0, 0), to: (3, 3), series: 0)
        #expect(braille(diagonal) == "⠑⢄")
        var rising = DotCanvas(columns: 2, rows: 1, dotsPerCell: (2, 4))
        rising.line(from: (0, 3), to: (3, 0), series: 0)
        #expect(braille(rising) == "⡠⠊")
        var flat = DotCanvas(columns: 2, rows: 1, dotsPerCell: (2, 4))
        flat.line(from: (3, 1), to: (0, 1), series: 0)
        #expect(braille(flat) == "⠒⠒")
        var steep = DotCanvas(columns: 1, rows: 2, dotsPerCell: (2, 4))
        steep.line(from: (1, 0), to: (1, 7), series: 0)
        #expect(braille(steep, row: 0) == "⢸" && braille(steep, row: 1) == "⢸")
    }

    @Test func bresenhamLeavesNoGaps() {
        var canvas = DotCanvas(columns: 8, rows: 1, dotsPerCell: (1, 1))
        canvas.line(from: (0, 0), to: (7, 0), series: 2)
        #expect((0..<8).allSatisfy { canvas.owner(column: $0, row: 0) == 2 })
        var slope = DotCanvas(columns: 8, rows: 3, dotsPerCell: (1, 1))
        slope.line(from: (0, 0), to: (7, 2), series: 0)
        // One dot per column, rows stepping 0 → 2 without jumps.
        let rows = (0..<8).map { c in (0..<3).first { slope.owner(column: c, row: $0) != nil } }
        #expect(rows == [0, 0, 1, 1, 1, 1, 2, 2])
    }

    @Test func laterSeriesOwnTheCell() {
        var canvas = DotCanvas(columns: 1, rows: 1, dotsPerCell: (2, 4))
        canvas.set(x: 0, y: 0, series: 0)
        canvas.set(x: 1, y: 3, series: 1)
        #expect(canvas.owner(column: 0, row: 0) == 1)
        #expect(canvas.character(column: 0, row: 0) == "⢁")
        canvas.set(x: 9, y: -1, series: 0)   // outside: ignored
        #expect(canvas.owner(column: 0, row: 0) == 1)
    }

    @Test func fractionsMapToCornerDots() {
        let canvas = DotCanvas(columns: 10, rows: 5, dotsPerCell: (2, 4))
        #expect(canvas.dot(fx: 0, fy: 0) == (0, 19))
        #expect(canvas.dot(fx: 1, fy: 1) == (19, 0))
        #expect(canvas.dot(fx: 0.5, fy: 0.5) == (10, 10))
    }

    @Test func clipping() throws {
        let inside = try #require(clipToUnitSquare((0.2, 0.2), (0.8, 0.4)))
        #expect(inside.a == (0.2, 0.2) && inside.b == (0.8, 0.4))
        let crossing = try #require(clipToUnitSquare((0.5, 0.5), (1.5, 0.5)))
        #expect(crossing.b == (1.0, 0.5))
        let through = try #require(clipToUnitSquare((-1, 0.5), (2, 0.5)))
        #expect(through.a == (0.0, 0.5) && through.b == (1.0, 0.5))
        #expect(clipToUnitSquare((1.2, 0), (1.5, 1)) == nil)
    }
}
