import Foundation
import Testing
@testable import TicketsLang

/// Transcripts of the prompt, Tests/golden/prompt/*.transcript, for the meta-commands
/// and the REPL's own behaviour: the lines with a `tks>` or `...>` prompt are typed,
/// as they are, prompts and all (as a transcript pasted from a handout), and what the
/// REPL shows, output and errors in order, must be the other lines exactly.
struct PromptGoldenTests {
    static var files: [String] {
        let folder = GoldenTests.root.appendingPathComponent("Tests/golden/prompt").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".transcript") }.sorted().map { folder + "/" + $0 }
    }

    @Test func transcriptsReplayExactly() throws {
        #expect(!Self.files.isEmpty)
        for file in Self.files {
            let lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n").dropLast()
            let typed = lines.filter { $0.hasPrefix("tks>") || $0.hasPrefix("...>") }
            let expected = lines.filter { !($0.hasPrefix("tks>") || $0.hasPrefix("...>")) }
            var shown: [String] = []
            let interp = try Interpreter(output: { shown += $0.components(separatedBy: "\n") }, progressOutput: { _ in })
            REPL(interp: interp, reader: ScriptedLineReader(typed), color: false,
                 out: { shown += $0.components(separatedBy: "\n") }, err: { shown += $0.components(separatedBy: "\n") }).run()
            let got = Array(shown.dropFirst())   // the banner
            let first = zip(got, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, expected.count)
            #expect(got == Array(expected), "\((file as NSString).lastPathComponent) differs at line \(first + 1) of output: expected \(first < expected.count ? expected[first] : "(nothing)"), got \(first < got.count ? got[first] : "(nothing)")")
        }
    }
}
