import Foundation
import Testing

/// Two real `tks` processes on one run folder: one runs, the other is told the folder
/// is in use, and nothing is done twice or lost.
@Suite(.serialized) struct RunLockProcessTests {
    typealias S = SweepProcessTests

    @Test func twoImpsOnOneFolderRunOnce() throws {
        try #require(CommandLineTests.binary != nil, "build tks first (swift build)")
        let dir = S.scratch("imp-lock")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = """
        d = dataset("idx", "\(S.tinyData)")
        net = mlp([64, 16, 3], seed=1)
        t = imp(net, d, levels=4, steps=1500, folder="runs/shared", quiet=true)
        print(len(t))
        """
        try script.write(toFile: dir + "/imp.tks", atomically: true, encoding: .utf8)
        let (first, out1, err1) = try S.start(["imp.tks"], cwd: dir)
        // The second starts once the first holds the folder.
        #expect(S.eventually(60) { (try? String(contentsOfFile: dir + "/runs/shared/.lock", encoding: .utf8))?.hasPrefix("pid \(first.processIdentifier) ") == true })
        let (s2, _, e2) = try S.tks(["imp.tks"], cwd: dir)
        let o1 = out1.fileHandleForReading.readDataToEndOfFile(), x1 = err1.fileHandleForReading.readDataToEndOfFile()
        first.waitUntilExit()
        #expect(first.terminationStatus == 0 && String(decoding: o1, as: UTF8.self).hasSuffix("5\n"), "\(String(decoding: x1, as: UTF8.self))")
        #expect(s2 == 70 && e2.contains("run_folder: the run folder runs/shared is in use by pid \(first.processIdentifier), since 20"), "\(e2)")
        let levels = S.records(dir + "/runs/shared").compactMap { $0["level"] as? Int }
        #expect(levels == [0, 1, 2, 3, 4])
    }

    @Test func twoSweepsOnOneFolderRunEachRunOnce() throws {
        try #require(CommandLineTests.binary != nil)
        let dir = S.scratch("sweep-lock")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let args = { (out: String) in [S.gridScript, "data=\(S.tinyData)", "folder=w", "out=\(out)", "workers=1"] }
        let (a, outA, errA) = try S.start(args("a.csv"), cwd: dir)
        let (b, outB, errB) = try S.start(args("b.csv"), cwd: dir)
        for (p, out, err) in [(a, outA, errA), (b, outB, errB)] {
            _ = out.fileHandleForReading.readDataToEndOfFile()
            let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "\(e)")
        }
        let runs = try S.runFolders(dir + "/w")
        #expect(runs.count == 4)
        for run in runs {
            let starts = S.records(run).filter { $0["event"] as? String == "start" }.count
            #expect(starts == 1 && S.exists(run + "/done.json"), "\(run): started \(starts) times")
        }
    }
}
