import Foundation
import Testing

/// The code in docs/tutorial.md, docs/language.md and docs/methods.md runs. Every ```tks block of a page
/// runs, in order, in one session of the real tks at its prompt (`tks -i`), in a folder
/// of its own, with the data sets cut to 300 training examples (TKS_DATASET_LIMIT),
/// so a page takes seconds:
///   - a block with `tks>` prompts is a transcript: its prompted lines are typed, as
///     copied, prompts and all (the REPL drops them); the other lines are what it
///     printed and are not compared (the numbers depend on the data), except that an
///     entry whose printed lines hold "error:" must fail and every other must not;
///   - a block without prompts is typed line by line and must not fail.
/// Blocks fenced as ```text (or with no language) are not run.
struct DocsTests {
    /// One line typed, and whether the page shows it failing.
    struct Input {
        let line: String
        let failing: Bool
        let block: Int
    }

    static func inputs(of page: String) -> [Input] {
        var out: [Input] = []
        var block: [String]? = nil, index = 0
        for line in page.components(separatedBy: "\n") {
            if block == nil {
                if line.trimmingCharacters(in: .whitespaces) == "```tks" { block = [] }
                continue
            }
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                index += 1
                out += inputs(ofBlock: block ?? [], index: index)
                block = nil
            } else {
                block?.append(line)
            }
        }
        return out
    }

    static func isPrompted(_ line: String) -> Bool { line.hasPrefix("tks>") || line.hasPrefix("...>") }

    static func inputs(ofBlock lines: [String], index: Int) -> [Input] {
        guard lines.contains(where: isPrompted) else { return lines.map { Input(line: $0, failing: false, block: index) } }
        var out: [Input] = []
        for (i, line) in lines.enumerated() where isPrompted(line) {
            // The entry's printed lines: those up to the next prompt.
            let printed = lines[(i + 1)...].prefix { !isPrompted($0) }
            out.append(Input(line: line, failing: printed.contains { $0.contains("error:") }, block: index))
        }
        // An entry that spans lines fails as a whole: its last line carries the failure.
        return out
    }

    /// Runs the inputs in one session; returns what was printed after each one (stdout
    /// and stderr together, in order) and the folder it ran in.
    static func run(_ inputs: [Input]) throws -> (after: [String], folder: String) {
        let folder = NSTemporaryDirectory() + "tickets-docs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(CommandLineTests.binary))
        p.arguments = ["-i"]
        p.currentDirectoryURL = URL(fileURLWithPath: folder)
        p.environment = ProcessInfo.processInfo.environment.merging(
            ["TKS_DATASET_LIMIT": "300", "TKS_HISTORY": folder + "/.history", "NO_COLOR": "1"]) { $1 }
        let stdin = Pipe(), output = Pipe()
        p.standardInput = stdin
        p.standardOutput = output
        p.standardError = output
        try p.run()
        let text = inputs.map(\.line).joined(separator: "\n") + "\n"
        DispatchQueue.global().async {
            stdin.fileHandleForWriting.write(text.data(using: .utf8)!)
            try? stdin.fileHandleForWriting.close()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        // Each line is read after a prompt printed at the start of a line; what follows
        // that prompt, up to the next, was printed after the line.
        let all = String(decoding: data, as: UTF8.self)
        var parts: [String] = []
        var current = ""
        var rest = Substring(all)
        if let banner = rest.firstIndex(of: "\n") { rest = rest[rest.index(after: banner)...] }
        while !rest.isEmpty {
            let prompt = ["tks> ", "...> "].first { rest.hasPrefix($0) }
            if let prompt {
                parts.append(current)
                current = ""
                rest = rest.dropFirst(prompt.count)
                continue
            }
            let end = rest.firstIndex(of: "\n").map { rest.index(after: $0) } ?? rest.endIndex
            current += rest[..<end]
            rest = rest[end...]
        }
        parts.append(current)
        return (Array(parts.dropFirst()), folder)
    }

    func check(_ page: String, minimumInputs: Int) throws {
        let path = GoldenTests.root.appendingPathComponent(page).path
        let inputs = Self.inputs(of: try String(contentsOfFile: path, encoding: .utf8))
        #expect(inputs.count >= minimumInputs, "\(page) has only \(inputs.count) lines of tks code")
        let (after, folder) = try Self.run(inputs)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(after.count >= inputs.count, "\(page): the session ended early:\n\(after.joined(separator: "\n---\n"))")
        for (i, input) in inputs.enumerated() where i < after.count {
            let failed = after[i].contains("error:")
            #expect(failed == input.failing,
                    "\(page), tks block \(input.block): `\(input.line)` \(failed ? "failed" : "did not fail"):\n\(after[i])")
        }
        // What the page saves is there.
        for input in inputs {
            guard let r = input.line.range(of: ":save ") else { continue }
            let file = input.line[r.upperBound...].trimmingCharacters(in: .whitespaces)
            #expect(FileManager.default.fileExists(atPath: folder + "/" + file), "\(page): \(file) was not saved")
        }
    }

    @Test(.enabled(if: CommandLineTests.binary != nil, "build tks first (swift build)"))
    func theTutorialRuns() throws { try check("docs/tutorial.md", minimumInputs: 40) }

    @Test(.enabled(if: CommandLineTests.binary != nil, "build tks first (swift build)"))
    func theLanguageGuideRuns() throws { try check("docs/language.md", minimumInputs: 20) }

    @Test(.enabled(if: CommandLineTests.binary != nil, "build tks first (swift build)"))
    func theWorkedMethodsRun() throws { try check("docs/methods.md", minimumInputs: 15) }
}
