import Foundation
import TicketsPlot

/// Where a session's values are looked at, and how: the size of the terminal a plot is
/// drawn for, braille or plain characters, colour; and, while a notebook records the
/// session, what was shown (so a handout gets each plot as an SVG figure rather than
/// as braille text). One per interpreter.
public final class Display {
    /// The terminal's size, asked each time a plot is shown (the window may have been
    /// resized since the last one); nil means "not a terminal": plots are 80 × 24.
    public var terminalSize: () -> (columns: Int, rows: Int)? = { nil }
    /// Plain ASCII instead of braille for every plot (the tks command sets it from
    /// the environment variable TKS_ASCII=1); `plot(..., ascii=true)` for one plot.
    public var ascii = false
    /// ANSI colours in terminal plots (the tks command: on a terminal, without NO_COLOR).
    public var color = false

    /// While a notebook records: what the interpreter writes (print's output).
    var tap: ((String) -> Void)?
    /// While a notebook records: the plots drawn since the recorder last looked, with
    /// the text they were drawn as, so it can put the figure where that text was.
    var drawn: [(text: String, figure: Figure)] = []

    /// When a progress line was last redrawn (nanoseconds of uptime).
    var lastRedraw: UInt64 = 0
    /// Progress lines are redrawn at most this often; more would cost time and flicker.
    static let redrawsPerSecond: UInt64 = 10

    public init() {}

    /// Whether a progress line may be redrawn now (and notes that it is).
    func mayRedraw(now: UInt64 = DispatchTime.now().uptimeNanoseconds) -> Bool {
        guard now &- lastRedraw >= 1_000_000_000 / Display.redrawsPerSecond || now < lastRedraw else { return false }
        lastRedraw = now
        return true
    }

    /// The width and height in characters a plot is drawn at: the window's width (up to
    /// 140 columns), and two thirds of its rows (at least 16, at most 40 and never more
    /// than the window less the prompt's lines), so what led to the plot stays in view.
    public func plotSize() -> (width: Int, height: Int) {
        guard let size = terminalSize(), size.columns > 0, size.rows > 0 else { return (80, 24) }
        let width = min(size.columns, 140)
        let height = max(minimumTerminalSize.height, min(size.rows - 3, 40, max(16, size.rows * 2 / 3)))
        return (width, height)
    }

    /// A plot drawn for the terminal, without its final newline: braille unless `ascii`
    /// (or the display's own setting) says plain characters, at `size` or the window's.
    func draw(_ figure: Figure, ascii: Bool?, size: (width: Int, height: Int)? = nil) -> String {
        let (width, height) = size ?? plotSize()
        let style: TerminalStyle = (ascii ?? self.ascii) ? .ascii : .braille
        var text: String
        do {
            text = try renderTerminal(figure, width: width, height: height, style: style, color: color)
        } catch {
            text = "(a plot that cannot be drawn: \(error))"   // plot() validated it; not expected
        }
        if text.hasSuffix("\n") { text.removeLast() }
        if tap != nil { drawn.append((text, figure)) }
        return text
    }

    /// Starts recording: `sink` receives each text the interpreter writes.
    func beginRecording(_ sink: @escaping (String) -> Void) {
        tap = sink
        drawn = []
    }

    func endRecording() {
        tap = nil
        drawn = []
    }

    /// Splits a text that was shown into its plain parts and the plots drawn in it, in
    /// order, taking those plots off the list of drawn ones.
    func separateFigures(_ text: String) -> [CellOutput] {
        var parts: [CellOutput] = []
        var rest = Substring(text)
        while let i = drawn.firstIndex(where: { !$0.text.isEmpty && rest.contains($0.text) }) {
            let (drawing, figure) = drawn.remove(at: i)
            guard let range = rest.range(of: drawing) else { break }
            let before = rest[..<range.lowerBound]
            if !before.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { parts.append(.text(String(before))) }
            parts.append(RecordedFigure(figure).map(CellOutput.figure) ?? .text(drawing))
            rest = rest[range.upperBound...]
        }
        let tail = rest.hasPrefix("\n") ? rest.dropFirst() : rest
        if !tail.isEmpty || parts.isEmpty { parts.append(.text(String(tail))) }
        return parts
    }
}
