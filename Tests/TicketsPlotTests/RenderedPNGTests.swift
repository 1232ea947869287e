import Testing
import Foundation
@testable import TicketsPlot

/// Renders the SVG to a PNG with librsvg's `rsvg-convert` and looks at the pixels, to
/// show that a real SVG renderer draws the figure at the right size and that it is
/// not blank. Skipped, with the reason, where rsvg-convert is not installed.
struct RenderedPNGTests {
    static let rsvgConvert: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/rsvg-convert" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// The figure as a decoded PNG, drawn by rsvg-convert from our SVG.
    static func render(_ figure: Figure, width: Int, height: Int) throws -> PNGImage {
        let tool = try #require(rsvgConvert)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tickets-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let svgFile = directory.appendingPathComponent("figure.svg"), pngFile = directory.appendingPathComponent("figure.png")
        try renderSVG(figure, width: width, height: height).write(to: svgFile, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--format", "png", "--output", pngFile.path, svgFile.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "rsvg-convert failed: \(message)")
        return try PNGImage([UInt8](try Data(contentsOf: pngFile)))
    }

    /// How many pixels are close to a colour (within `tolerance` on each channel).
    static func count(_ image: PNGImage, near color: (Int, Int, Int), tolerance: Int = 24) -> Int {
        var n = 0
        for y in 0..<image.height {
            for x in 0..<image.width {
                let p = image.pixel(x, y)
                if abs(Int(p.r) - color.0) <= tolerance && abs(Int(p.g) - color.1) <= tolerance && abs(Int(p.b) - color.2) <= tolerance {
                    n += 1
                }
            }
        }
        return n
    }

    @Test(.enabled(if: rsvgConvert != nil,
                   "rsvg-convert is not installed (Debian: apt-get install -y librsvg2-bin); skipping the PNG check"))
    func lineFigureDrawsItsSeries() throws {
        let image = try Self.render(TerminalTests.tiny, width: 640, height: 420)
        #expect(image.width == 640 && image.height == 420)
        let total = image.width * image.height
        let white = Self.count(image, near: (255, 255, 255), tolerance: 8)
        let p = image.pixel(0, 0)
        #expect(p.r == 255 && p.g == 255 && p.b == 255 && p.a == 255, "the background is opaque white")
        // Mostly background, but a good deal is drawn.
        #expect(Double(white) / Double(total) > 0.6 && Double(white) / Double(total) < 0.98, "\(white) of \(total) white")
        // Both series show in their own colours (blue #0072B2 and orange #E69F00).
        #expect(Self.count(image, near: (0x00, 0x72, 0xB2)) > 500)
        #expect(Self.count(image, near: (0xE6, 0x9F, 0x00)) > 500)
        // The text and axes are near-black.
        #expect(Self.count(image, near: (0x22, 0x22, 0x22), tolerance: 40) > 300)
    }

    @Test(.enabled(if: rsvgConvert != nil,
                   "rsvg-convert is not installed (Debian: apt-get install -y librsvg2-bin); skipping the PNG check"))
    func heatmapFillsItsCells() throws {
        let image = try Self.render(TerminalTests.figures[4], width: 480, height: 400)
        #expect(image.width == 480 && image.height == 400)
        // Three diagonal cells at 1.0 in viridis yellow (#FDE725), each at least 80 × 80 pixels.
        #expect(Self.count(image, near: (0xFD, 0xE7, 0x25)) > 3 * 80 * 80)
    }
}
