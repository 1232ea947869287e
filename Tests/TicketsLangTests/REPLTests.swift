import Foundation
import Testing
@testable import TicketsLang

struct REPLTests {
    /// Runs the REPL loop over scripted lines; returns (stdout lines, stderr texts, reader).
    func session(_ lines: [String]) throws -> ([String], [String], ScriptedLineReader) {
        var out: [String] = [], err: [String] = []
        let interp = try Interpreter(output: { out.append($0) }, progressOutput: { _ in })
        let reader = ScriptedLineReader(lines)
        REPL(interp: interp, reader: reader, color: false, out: { out.append($0) }, err: { err.append($0) }).run()
        return (out, err, reader)
    }

    @Test func blocksContinueOverLinesAndValuesEcho() throws {
        let (out, err, reader) = try session(["x = 2", "for i in 1..3", "  x = x * 2", "end", "x", "\"s\""])
        #expect(err.isEmpty)
        #expect(out == [REPL.banner, "16", "\"s\""])
        #expect(reader.prompts == ["tks> ", "tks> ", "...> ", "...> ", "tks> ", "tks> ", "tks> "])
        #expect(reader.history == ["x = 2", "for i in 1..3\n  x = x * 2\nend", "x", "\"s\""])
    }

    @Test func anErrorKeepsTheSession() throws {
        let (out, err, _) = try session(["a = 41", "prune(net, rate=1.5)", "a + 1", "nope", "a"])
        #expect(out == [REPL.banner, "42", "41"])
        #expect(err.count == 2)
        #expect(err[0].hasPrefix("<repl>:1:7: error: unknown name 'net'"))
        #expect(err[1].contains("unknown name 'nope'") && err[1].contains("    nope\n    ^"))
    }

    @Test func ctrlCAtThePromptDropsTheUnfinishedEntry() throws {
        let (out, err, reader) = try session(["for i in 1..3", LineInterrupted.marker, "7"])
        #expect(err.isEmpty && out == [REPL.banner, "7"])
        #expect(reader.prompts == ["tks> ", "...> ", "tks> ", "tks> "])
    }

    @Test func inputEndingInsideABlockIsReported() throws {
        let (_, err, _) = try session(["x = 1", "for i in 1..3"])
        #expect(err.count == 1 && err[0].contains("this 'for' has no matching 'end'"))
    }

    @Test func commands() throws {
        let (out, err, reader) = try session([":help", ":ast 1 + 2", ":tokens x", ":time y = 1", ":bogus", ":quit", "never"])
        #expect(out[1].contains(":time <code>"))
        #expect(out.contains("(+ 1 2)") && out.contains("name x  end of input"))
        #expect(out.last!.hasSuffix(" s"))
        #expect(err == ["unknown command :bogus; :help lists them"])
        #expect(reader.prompts.count == 6)   // stopped at :quit
    }

    @Test func announcedValuesAreNotEchoedTwice() throws {
        let (out, _, _) = try session(["net = mlp([4, 3, 2])", "mlp([4, 2])", "net", "d = density(net)", "d"])
        #expect(out == [REPL.banner,
                        "mlp 4-3-2  23 parameters  (fc1 12 · fc2 6 weights)",
                        "mlp 4-2  10 parameters  (fc1 8 weights)",
                        "mlp 4-3-2  23 parameters  (fc1 12 · fc2 6 weights)",
                        "100.00% kept  (fc1 100.00% · fc2 100.00%)"])
    }

    @Test func interruptStopsALoopAndKeepsState() throws {
        var out: [String] = []
        let interp = try Interpreter(output: { out.append($0) }, progressOutput: { _ in })
        try interp.run("n = 0\ni = 0", file: "t")
        // Ctrl-C, as the tks command's signal handler delivers it, after 1000 steps.
        var steps = 0
        interp.shouldStop = { steps += 1; return steps > 1000 }
        do {
            _ = try interp.evalEntry("while true\n i += 1\nend", file: "<repl>")
            Issue.record("the loop was not interrupted")
        } catch let e as TicketsError {
            #expect(e.message == "interrupted")
        }
        interp.shouldStop = { false }
        #expect(try interp.evalEntry("n", file: "<repl>").map { valuesEqual($0, .number(0)) } == true)
        #expect(try interp.evalEntry("i > 100", file: "<repl>").map { valuesEqual($0, .bool(true)) } == true)
    }
}
