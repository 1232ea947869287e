import Foundation
import Testing
@testable import TicketsLang

/// Tab completion as a pure function of (line, cursor, session): names, keyword
/// arguments from the declarations, members from the member tables, paths in strings.
struct CompletionTests {
    static func session(_ setup: String = "") throws -> Interpreter {
        let interp = try Interpreter(output: { _ in }, progressOutput: { _ in })
        if !setup.isEmpty { try interp.run(setup, file: "setup") }
        return interp
    }

    func complete(_ line: String, _ interp: Interpreter, cursor: Int? = nil, directory: String? = nil) -> Completions {
        Completion.complete(line, cursor: cursor ?? line.count, in: interp, directory: directory)
    }

    @Test func namesOfVariablesBuiltinsLibraryFunctionsAndKeywords() throws {
        let interp = try Self.session("training_log = 1")
        let c = complete("x = trai", interp)   // "tra" would offer transpose too
        #expect(c.start == 4)
        #expect(c.candidates == ["train", "training_log"])
        #expect(c.commonPrefix == "train")
        #expect(complete("im", interp).candidates == ["imp"])               // a library function
        #expect(complete("whi", interp).candidates == ["while"])            // a keyword
        #expect(complete("_rew", interp).candidates == ["_rewind_to"])      // hidden names only when asked
        #expect(!complete("re", interp).candidates.contains("_rewind_to"))
        #expect(complete("", interp).candidates.isEmpty)                    // nothing typed: nothing offered
        #expect(complete("12", interp).candidates.isEmpty)
    }

    @Test func keywordArgumentsComeFromTheDeclarations() throws {
        let interp = try Self.session()
        let c = complete("train(net, data, ep", interp)
        #expect(c.candidates.first == "epochs=")
        #expect(c.start == "train(net, data, ".count)
        // What the call has filled, by position or by keyword, is not offered again.
        let all = complete("train(net, data, lr=0.1, ", interp).candidates
        #expect(all.contains("epochs=") && all.contains("batch=") && !all.contains("lr=") && !all.contains("net=") && !all.contains("data="))
        #expect(complete("prune(net, ra", interp).candidates.prefix(2) == ["rate=", "rates="])
        // A library function's parameters come from its declaration.
        #expect(complete("imp(net, data, lev", interp).candidates == ["levels="])
        // Inside a list inside the call, names only.
        #expect(complete("train(net, data, milestones=[ep", interp).candidates.isEmpty)
        // A comparison is not a keyword argument.
        #expect(complete("print(x == 1, se", interp).candidates.contains("select"))
        // Keyword candidates come before names that match the same text.
        let mixed = complete("plot(t, x", interp).candidates
        #expect(mixed.first == "x=" && mixed.contains("xlabel=") && mixed.contains("xlim="))
    }

    @Test func membersAfterADotFromTheMemberTables() throws {
        let interp = try Self.session("""
        net = mlp([4, 3, 2])
        r = {acc: 0.9, loss: 0.3, nested: {deep: 1}}
        t = table(["level", "kept", "acc"])
        t.add({level: 0, kept: 1, acc: 0.9})
        """)
        #expect(complete("net.we", interp).candidates == ["weights"])
        #expect(complete("net.", interp).candidates.contains("layers"))
        #expect(complete("r.", interp).candidates == ["acc", "loss", "nested"])
        #expect(complete("r.nested.d", interp).candidates == ["deep"])
        #expect(complete("print(t.ke", interp).candidates == ["kept"])        // a table's columns
        #expect(complete("t.last.ac", interp).candidates == ["acc"])
        #expect(complete("t.add(ro", interp).candidates.first == "row=")       // a member that is a builtin
        #expect(complete("1..le", interp).candidates.contains("len"))          // a range, not a member
        #expect(complete("f(x).a", interp).candidates.isEmpty)                 // nothing is called to find out
        #expect(complete("nothing.a", interp).candidates.isEmpty)
    }

    @Test func aHugeTableIsCompletedWithoutReadingItsRows() throws {
        let interp = try Self.session()
        let wide = Table(columns: (0..<5000).map { "c\($0)" })
        for i in 0..<300 { wide.appendRow([("c0", .int(i))]) }
        interp.define("wide", .object(wide))
        let started = Date()
        let c = complete("wide.c", interp)
        #expect(c.candidates.count == Completion.maxCandidates)
        #expect(complete("wide.rows.", interp).candidates.isEmpty)
        #expect(complete("wide.c4999.", interp).candidates.isEmpty)
        #expect(Date().timeIntervalSince(started) < 1)
    }

    @Test func pathsInsideStrings() throws {
        let dir = NSTemporaryDirectory() + "tickets-completion-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/runs", withIntermediateDirectories: true)
        for f in ["lesson.tks", "levels.csv", ".hidden"] { _ = FileManager.default.createFile(atPath: dir + "/" + f, contents: Data()) }
        _ = FileManager.default.createFile(atPath: dir + "/runs/a.csv", contents: Data())
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let interp = try Self.session()
        let c = complete("save(t, \"le", interp, directory: dir)
        #expect(c.start == "save(t, \"".count)
        #expect(c.candidates == ["lesson.tks", "levels.csv"])
        #expect(complete("x = 'ru", interp, directory: dir).candidates == ["runs/"])
        #expect(complete("save(t, \"runs/", interp, directory: dir).candidates == ["runs/a.csv"])
        #expect(complete("print(\"\\\"l", interp, directory: dir).candidates.isEmpty)   // an escaped quote: still in the string
        #expect(complete("\"" + dir + "/le", interp).candidates == [dir + "/lesson.tks", dir + "/levels.csv"])
        #expect(complete(":load le", interp, directory: dir).candidates == ["lesson.tks", "levels.csv"])
        #expect(complete(":save runs/", interp, directory: dir).start == ":save ".count)
        #expect(complete("x = 1  # tra", interp).candidates.isEmpty)          // a comment
    }

    @Test func metaCommandsAndTheCursorInTheMiddle() throws {
        let interp = try Self.session()
        #expect(complete(":s", interp).candidates == [":save"])
        #expect(complete(":", interp).candidates == Completion.metaCommands)
        #expect(complete("?pru", interp).candidates == ["prune"])
        // Only the text before the cursor counts.
        let c = complete("trai(net)", interp, cursor: 4)
        #expect(c.start == 0 && c.candidates == ["train"])
    }
}
