import Foundation
import Testing
@testable import TicketsLang

/// The prompt's comforts through the scripted reader: ?name, ans, meta-commands,
/// pasted transcripts, handouts saved from a session, and mistakes that leave the
/// session going.
struct REPLSessionTests {
    /// Runs the REPL over scripted inputs (a multi-line input is a paste); returns
    /// (what it showed, its errors, the REPL).
    func session(_ inputs: [String]) throws -> (out: [String], err: [String], repl: REPL) {
        var out: [String] = [], err: [String] = []
        let interp = try Interpreter(output: { out.append($0) }, progressOutput: { _ in })
        let repl = REPL(interp: interp, reader: ScriptedLineReader(inputs), color: false,
                        out: { out.append($0) }, err: { err.append($0) })
        repl.run()
        return (Array(out.dropFirst()), err, repl)   // without the banner
    }

    static func temporaryFolder() throws -> String {
        let dir = NSTemporaryDirectory() + "tickets-repl-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func questionMarkIsHelpAndTopicsAreListed() throws {
        let (out, err, _) = try session(["?prune", "?plots", "? density", "?nothing_at_all", "?net"])
        #expect(out[0].hasPrefix("prune(net, rate=nil, density=nil, by=\"magnitude\""))
        #expect(out[1].hasPrefix("Plots\n  plot ") && out[1].contains("  hist ") && out[1].contains("  heatmap "))
        #expect(out[2].hasPrefix("density(x)"))
        #expect(err.count == 2 && err[0].contains("help: x names nothing known: \"nothing_at_all\"; topics are data,"))
    }

    @Test func ansHoldsTheLastValueShown() throws {
        let (out, err, _) = try session(["1 + 2", "ans * 10", "x = 5", "ans", "mlp([4, 2])", "ans.weights", "print(7)", "ans"])
        #expect(err.isEmpty)
        #expect(out == ["3", "30", "30", "mlp 4-2  10 parameters  (fc1 8 weights)", "8", "7", "8"])
    }

    @Test func varsListsWhatIsDefinedWithTypesAndSizes() throws {
        let (out, _, _) = try session([":vars", "net = mlp([4, 3, 2])", "t = table([\"a\", \"b\"])", "t.add({a: 1, b: 2})",
                                      "xs = [1, 2, 3]", "s = \"hello\"", "fn f(a, b=2) a + b end", ":vars"])
        #expect(out[0] == "(no variables yet)")
        let table = out.last!.components(separatedBy: "\n")
        #expect(table[0].hasPrefix("name") && table[0].contains("type") && table[0].hasSuffix("value"))
        #expect(table.contains { $0.hasPrefix("net ") && $0.contains("net ") && $0.contains("mlp 4-3-2  23 parameters") })
        #expect(table.contains { $0.hasPrefix("t ") && $0.contains("table") && $0.contains("1 row × 2 columns (a, b)") })
        #expect(table.contains { $0.hasPrefix("xs ") && $0.contains("list") && $0.hasSuffix("3 items") })
        #expect(table.contains { $0.hasPrefix("s ") && $0.hasSuffix("\"hello\"") })
        #expect(table.contains { $0.hasPrefix("f ") && $0.contains("function") && $0.hasSuffix("f(a, b=2)") })
        #expect(!table.contains { $0.hasPrefix("train ") || $0.hasPrefix("imp ") })
    }

    @Test func resetForgetsTheUsersNamesOnly() throws {
        let (out, err, _) = try session(["x = 1", "fn g() 2 end", ":reset", "x", "g", "len([1])"])
        #expect(out == ["(your variables are gone; builtins and library functions stay)", "1"])
        #expect(err.count == 2 && err[0].contains("unknown name 'x'") && err[1].contains("unknown name 'g'"))
    }

    @Test func loadRunsAScriptIntoTheSessionAndReportsMistakesInOneLine() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "fn double(x) x * 2 end\nbase = 21\nprint(\"loaded\")\n".write(toFile: dir + "/lib.tks", atomically: true, encoding: .utf8)
        try "x = (\n".write(toFile: dir + "/broken.tks", atomically: true, encoding: .utf8)
        try "y = 1\nprint(nope)\ny = 2\n".write(toFile: dir + "/fails.tks", atomically: true, encoding: .utf8)
        let (out, err, _) = try session([":load \(dir)/lib.tks", "double(base)", ":load \(dir)/missing.tks", ":load",
                                         ":load \(dir)/broken.tks", ":load \(dir)/fails.tks", "y", ":load \(dir)", "base"])
        #expect(out == ["loaded", "42", "1", "21"])
        #expect(err.count == 5)
        #expect(err[0] == ":load: cannot read \(dir)/missing.tks: no such file")
        #expect(err[1] == ":load needs a script: :load lesson.tks")
        #expect(err[2].hasPrefix("\(dir)/broken.tks:") && err[2].contains("error:"))
        #expect(err[3].hasPrefix("\(dir)/fails.tks:2:7: error: unknown name 'nope'"))
        #expect(err[4] == ":load: \(dir) is a folder, not a script")
    }

    @Test func unknownMetaCommandsAreOneLine() throws {
        let (_, err, _) = try session([":frobnicate now", ":save", ":help"])
        #expect(err == ["unknown command :frobnicate; :help lists them",
                        ":save needs a file: :save session.md (Markdown) or :save session.html (one web page)"])
    }

    @Test func pastedTranscriptsRunWithoutTheirPrompts() throws {
        // One line copied with its prompt, then a whole transcript pasted at once: the
        // lines of output in it (7, 10, 20) are not run.
        let transcript = """
        tks> x = 7
        tks> x
        7
        tks> for i in 1..2
        ...>   print(i * 10)
        ...> end
        10
        20
        """
        let (out, err, repl) = try session(["tks> y = 1", "  ...> y + 1", transcript, "x + y"])
        #expect(err.isEmpty)
        #expect(out == ["2", "7", "10", "20", "8"])
        // A pasted block without prompts runs as typed, blocks and all.
        let (out2, err2, _) = try session(["a = 1\nif a == 1\n  print(\"one\")\nend\na + 1"])
        #expect(err2.isEmpty && out2 == ["one", "2"])
        #expect(repl.notebook.codeCells == 6)
        // A line that merely starts like a prompt is code.
        #expect(REPL.inputLines("tks>x") == ["tks>x"])
        #expect(REPL.inputLines("tks>") == [""])
    }

    @Test func longValuesPrintInSummaryAtThePrompt() throws {
        let (out, _, _) = try session(["range(1, 5000)", "len(ans)", "show(range(1, 1001), all=true)"])
        #expect(out[0] == "[1, 2, 3, ..., 4998, 4999, 5000]")
        #expect(out[1] == "5000")
        #expect(out[2].hasSuffix("999, 1000, 1001]") && out[2].count > 4000)
    }

    @Test func saveWritesTheSessionAsMarkdownWithFiguresBesideIt() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (out, err, repl) = try session([
            "t = table([\"kept\", \"acc\"])", "t.add({kept: 1, acc: 0.9})", "t.add({kept: 0.5, acc: 0.91})",
            "plot(t, x=\"kept\", y=\"acc\", logx=true, title=\"ticket\")", "print(\"after\", 1)", "nope",
            ":save \(dir)/session.md", ":save \(dir)/session.html",
            ":save \(dir)/no/such/folder/s.md", ":save \(dir)/session.txt",
        ])
        #expect(repl.notebook.codeCells == 6)
        #expect(out.contains("saved 6 cells to \(dir)/session.md and 1 figure beside it"))
        #expect(out.contains("saved 6 cells to \(dir)/session.html"))
        #expect(err.count == 3)
        #expect(err[1].hasPrefix(":save: \(dir)/no/such/folder/s.md") && err[1].contains("does not exist"))
        #expect(err[2] == ":save: \(dir)/session.txt: a notebook is saved as .md (Markdown, figures beside it) or .html (one page)")
        let md = try String(contentsOfFile: dir + "/session.md", encoding: .utf8)
        #expect(md.hasPrefix("# A Tickets session\n"))
        #expect(md.contains("```tks\nplot(t, x=\"kept\", y=\"acc\", logx=true, title=\"ticket\")\n```\n\n![ticket](session-1.svg)"))
        #expect(md.contains("```tks\nprint(\"after\", 1)\n```\n\n```text\nafter 1\n```"))
        #expect(md.contains("<repl>:1:1: error: unknown name 'nope'"))
        #expect(!md.contains("⣀") && !md.contains("┤"), "the plot is a figure, not braille")
        let svg = try String(contentsOfFile: dir + "/session-1.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<?xml") && svg.contains("<title>ticket</title>"))
        let html = try String(contentsOfFile: dir + "/session.html", encoding: .utf8)
        #expect(html.components(separatedBy: "<pre class=\"input\">").count == 7)
        #expect(html.components(separatedBy: "<figure class=\"plot\"><svg").count == 2)
    }
}
