import Foundation
import Testing

/// imp's run folder, end to end through the built `tks`: a process killed (SIGKILL) or
/// interrupted (SIGINT, as Ctrl-C) in the middle of a level, run again, prints the
/// table, the net's fingerprint and its step of an uninterrupted run; a folder holding
/// another run's settings is refused.
@Suite(.serialized) struct ImpResumeTests {
    static let root = CommandLineTests.root
    static var script: String { root.appendingPathComponent("Tests/runs/imp_resume.tks").path }
    static var data: String { root.appendingPathComponent("Tests/golden/data/tiny").path }

    static func args(_ run: String, _ extra: [String] = []) -> [String] {
        [script, "data=\(data)", "run=\(run)"] + extra
    }

    static func logLines(_ run: String) -> Int {
        ((try? String(contentsOfFile: run + "/log.jsonl", encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    /// Starts a run, stops it with `signal` once two levels are logged, runs it again.
    /// Returns what the resumed run printed, its standard error, and the levels the
    /// stopped run had finished.
    static func stopAndResume(_ signal: Int32, extra: [String]) throws -> (String, String, Int) {
        let run = SweepProcessTests.scratch("imp-stopped") + "/run"
        let (p, _, _) = try SweepProcessTests.start(args(run, extra), cwd: root.path)
        let logged = SweepProcessTests.eventually(120) { logLines(run) >= 2 }
        kill(p.processIdentifier, signal)
        p.waitUntilExit()
        #expect(logged)
        let finished = logLines(run)
        #expect(finished < 5, "the run ended before it was stopped")
        #expect(!FileManager.default.fileExists(atPath: run + "/done.json"))
        let (status, out, err) = try SweepProcessTests.tks(args(run, extra), cwd: root.path)
        #expect(status == 0, Comment(rawValue: err))
        #expect(FileManager.default.fileExists(atPath: run + "/done.json"))
        return (out, err, finished)
    }

    @Test(arguments: [["rewind_at=0"], ["rewind_at=25"]])
    func aKilledImpResumesToTheUninterruptedTable(extra: [String]) throws {
        try #require(CommandLineTests.binary != nil)
        let whole = SweepProcessTests.scratch("imp-whole") + "/run"
        let (s0, expected, e0) = try SweepProcessTests.tks(Self.args(whole, extra), cwd: Self.root.path)
        #expect(s0 == 0, Comment(rawValue: e0))
        #expect(expected.contains("level") && expected.contains("random_acc"))

        let (out, err, finished) = try Self.stopAndResume(SIGKILL, extra: extra)
        #expect(out == expected)
        #expect(err.contains("level \(finished - 1)/4 finished before: resuming from"))
        // Not a level is trained twice: the resumed run logs only the rest.
        #expect(err.components(separatedBy: "kept  acc").count - 1 == 5 - finished)

        // Called once more, the finished run trains nothing and gives the same.
        let (s2, again, err2) = try SweepProcessTests.tks(Self.args(whole, extra), cwd: Self.root.path)
        #expect(s2 == 0 && again == expected && err2.contains("all 4 levels finished before"))
    }

    @Test func anInterruptedImpResumesToo() throws {
        try #require(CommandLineTests.binary != nil)
        let whole = SweepProcessTests.scratch("imp-whole") + "/run"
        let (_, expected, _) = try SweepProcessTests.tks(Self.args(whole), cwd: Self.root.path)
        let (out, _, _) = try Self.stopAndResume(SIGINT, extra: [])
        #expect(out == expected)
    }

    @Test func aFolderWithOtherSettingsIsRefused() throws {
        try #require(CommandLineTests.binary != nil)
        let run = SweepProcessTests.scratch("imp-other") + "/run"
        let (s0, _, _) = try SweepProcessTests.tks(Self.args(run, ["epochs=2"]), cwd: Self.root.path)
        #expect(s0 == 0)
        let (s1, out, err) = try SweepProcessTests.tks(Self.args(run, ["epochs=2", "lr=0.05"]), cwd: Self.root.path)
        #expect(s1 == 70 && !out.contains("level"))
        #expect(err.contains("imp_resume.tks:8:") && err.contains(run) && err.contains("other settings"), Comment(rawValue: err))
    }
}
