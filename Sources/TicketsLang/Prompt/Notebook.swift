import Foundation
import TicketsEngine
import TicketsPlot

/// A session, or a script run as one, kept as a notebook: each input with what it
/// printed below it, plots as figures. `:save session.md` and `tks --notebook` write it
/// as a handout (see `Notebook+Markdown.swift` and `Notebook+HTML.swift`).
public struct Notebook {
    public var title: String
    public var cells: [Cell] = []

    public init(title: String) { self.title = title }

    /// The code cells (not the prose).
    public var codeCells: Int { cells.filter { if case .code = $0 { true } else { false } }.count }
    /// The plots shown, in order.
    public var figures: [RecordedFigure] {
        cells.flatMap { cell -> [RecordedFigure] in
            guard case .code(_, let outputs) = cell else { return [] }
            return outputs.compactMap { if case .figure(let f) = $0 { f } else { nil } }
        }
    }

    /// Writes the notebook as Markdown (`.md`, with each plot in an SVG file beside it,
    /// `name-1.svg`, ...) or as one self-contained HTML page (`.html`). Every file is
    /// written atomically. Returns the paths written.
    @discardableResult
    public func write(to path: String) throws -> [String] {
        let lower = path.lowercased()
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") {
            try writeAtomically(Array(html().utf8), to: path)
            return [path]
        }
        guard lower.hasSuffix(".md") || lower.hasSuffix(".markdown") else {
            throw EngineError.io("\(path): a notebook is saved as .md (Markdown, figures beside it) or .html (one page)")
        }
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let folder = (path as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        if !folder.isEmpty && !(FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue) {
            throw EngineError.io("\(path): the folder \(folder) does not exist")
        }
        let names = figures.indices.map { "\(stem)-\($0 + 1).svg" }
        // The figures first: the Markdown that links them is written once they exist.
        var written: [String] = []
        for (name, figure) in zip(names, figures) {
            let file = folder.isEmpty ? name : (folder as NSString).appendingPathComponent(name)
            try writeAtomically(Array(figure.svg.utf8), to: file)
            written.append(file)
        }
        try writeAtomically(Array(markdown(figureFiles: names).utf8), to: path)
        return [path] + written
    }
}

/// One cell: prose (a script's comment paragraph) or an input with its outputs.
public enum Cell {
    case prose(String)
    case code(source: String, outputs: [CellOutput])
}

/// What a cell showed, in order.
public enum CellOutput {
    case text(String)
    case error(String)
    case figure(RecordedFigure)
}

/// A plot as a handout shows it: its title and its SVG document, drawn when the plot
/// was shown. The figure's data (a histogram of a net's 266,000 weights) is not kept,
/// so a long session's notebook stays small.
public struct RecordedFigure {
    public let title: String
    public let svg: String

    /// Nil when the figure cannot be drawn (plot() validated it: not expected).
    init?(_ figure: Figure) {
        guard let svg = try? renderSVG(figure) else { return nil }
        title = figure.title
        self.svg = svg
    }
}

/// Collects what one cell shows: the interpreter's output (through the display's tap),
/// values echoed and errors reported, with each plot drawn as braille taken out of the
/// text and kept as a figure.
final class CellRecorder {
    private(set) var outputs: [CellOutput] = []
    let display: Display

    /// Starts recording what the interpreter shown on `display` writes.
    init(_ display: Display) {
        self.display = display
        display.beginRecording { [unowned self] text in self.add(text) }
    }

    /// A text shown (a line printed or a value echoed).
    func add(_ text: String) {
        for var part in display.separateFigures(text) {
            if case .text(let t) = part { part = .text(withoutANSI(t)) }
            if case .text(let t) = part, case .text(let before)? = outputs.last {
                outputs[outputs.count - 1] = .text(before + "\n" + t)
            } else {
                outputs.append(part)
            }
        }
    }

    func addError(_ text: String) { outputs.append(.error(text)) }

    /// Stops recording; the outputs so far.
    func finish() -> [CellOutput] {
        display.endRecording()
        return outputs
    }
}

/// Text without ANSI escape sequences (colours meant for a terminal).
func withoutANSI(_ s: String) -> String {
    guard s.contains("\u{1B}") else { return s }
    return s.replacing(/\x{1B}\[[0-9;?]*[A-Za-z]/, with: "")
}
