import Testing
import TicketsPlot
@testable import TicketsLang

/// The display: plots sized to the window, and a recorder's plots told apart from text.
struct DisplayTests {
    @Test func plotsAreSizedToTheWindow() {
        let d = Display()
        #expect(d.plotSize() == (80, 24))   // not a terminal
        for (window, plot) in [((80, 24), (80, 16)), ((110, 40), (110, 26)), ((300, 90), (140, 40)),
                               ((60, 12), (60, 10)), ((100, 18), (100, 15))] {
            d.terminalSize = { (window.0, window.1) }
            #expect(d.plotSize() == plot, "a \(window.0) × \(window.1) window")
        }
    }

    @Test func aRecorderKeepsPlotsAsFiguresAndTextAsText() throws {
        let d = Display()
        let figure = Figure.line([Series("", xs: [1, 2], ys: [3, 4])], title: "two points")
        let recorder = CellRecorder(d)
        let drawn = d.draw(figure, ascii: true)
        recorder.add("before\n" + drawn + "\nafter")
        recorder.add("more")
        let outputs = recorder.finish()
        guard outputs.count == 3, case .text(let a) = outputs[0], case .figure(let f) = outputs[1], case .text(let b) = outputs[2] else {
            Issue.record("unexpected outputs: \(outputs)")
            return
        }
        #expect(a == "before\n" && f.title == "two points" && b == "after\nmore")
        #expect(d.tap == nil && d.drawn.isEmpty)
    }
}
