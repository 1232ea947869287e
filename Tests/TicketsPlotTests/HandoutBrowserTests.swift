import Foundation
import Testing

/// The handout of examples/quickstart.tks (`tks --notebook ... .html`) in a real browser:
/// headless Chromium parses the page and takes a screenshot, which must be the page's
/// size and not blank, showing the code cells' shading and the figure's blue bars; the
/// DOM Chromium built must hold one code cell per code paragraph of the script and
/// one inline SVG figure per plot. It lives here beside the other rendered-picture
/// checks, whose PNG decoder it uses.
///
/// Runs when TKS_CHROMIUM names the browser and TKS_BIN the tks binary, as the step
/// of scripts/test after the Swift tests does (it installs Debian's chromium when it is
/// missing); skipped otherwise.
struct HandoutBrowserTests {
    static let environment = ProcessInfo.processInfo.environment
    static let chromium: String? = environment["TKS_CHROMIUM"].flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }
    static let tks: String? = environment["TKS_BIN"].flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs a program; returns its standard output, or fails the test with its errors.
    @discardableResult
    static func run(_ tool: String, _ args: [String], in folder: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: folder)
        let out = folder + "/\(UUID().uuidString).out", err = folder + "/\(UUID().uuidString).err"
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let errors = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        #expect(p.terminationStatus == 0, "\(tool) \(args.joined(separator: " ")) failed: \(errors)")
        return (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    }

    /// The script's code paragraphs (cells) and plots, counted independently of tks:
    /// paragraphs are separated by blank lines, and prose paragraphs are all comments.
    static func expected(_ script: String) -> (cells: Int, figures: Int) {
        let paragraphs = script.components(separatedBy: "\n\n").map { $0.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }
        let code = paragraphs.filter { lines in !lines.isEmpty && !lines.allSatisfy { $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") } }
        let figures = script.split(separator: "\n").filter { line in
            let code = line.split(separator: "#", maxSplits: 1).first ?? ""
            return ["plot(", "hist(", "heatmap("].contains { code.contains($0) }
        }
        return (code.count, figures.count)
    }

    @Test(.enabled(if: chromium != nil && tks != nil, "set TKS_CHROMIUM and TKS_BIN (scripts/test does) to open the handout in Chromium"))
    func theQuickstartHandoutRendersInABrowser() throws {
        let browser = try #require(Self.chromium), tks = try #require(Self.tks)
        let folder = NSTemporaryDirectory() + "tickets-browser-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let script = Self.root.appendingPathComponent("examples/quickstart.tks").path
        try Self.run(tks, ["--notebook", script, folder + "/quickstart.html", "epochs=1"], in: folder)
        let (cells, figures) = Self.expected(try String(contentsOfFile: script, encoding: .utf8))
        #expect(cells == 5 && figures == 1)

        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                     "--user-data-dir=" + folder + "/profile"]
        let page = "file://" + folder + "/quickstart.html"
        let dom = try Self.run(browser, flags + ["--dump-dom", page], in: folder)
        #expect(dom.components(separatedBy: "<pre class=\"input\">").count - 1 == cells)
        #expect(dom.components(separatedBy: "<figure class=\"plot\"><svg").count - 1 == figures)
        #expect(!dom.contains("<script"))

        try Self.run(browser, flags + ["--window-size=1280,2400", "--screenshot=" + folder + "/shot.png", page], in: folder)
        let image = try PNGImage([UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/shot.png"))))
        #expect(image.width == 1280 && image.height == 2400)
        let total = image.width * image.height
        let white = RenderedPNGTests.count(image, near: (255, 255, 255), tolerance: 6)
        #expect(Double(white) / Double(total) < 0.95, "the page is blank: \(white) of \(total) pixels are white")
        // The code cells' shading (#eef2f8), their blue edge and the figure's bars (#0072B2),
        // and dark text.
        #expect(RenderedPNGTests.count(image, near: (0xEE, 0xF2, 0xF8), tolerance: 4) > 50_000)
        #expect(RenderedPNGTests.count(image, near: (0x00, 0x72, 0xB2), tolerance: 24) > 5_000)
        #expect(RenderedPNGTests.count(image, near: (0x11, 0x11, 0x11), tolerance: 40) > 5_000)
    }
}
