import Foundation
import Testing

/// Sweeps on a real Slurm cluster: the one-node cluster of scripts/slurm-local, which
/// scripts/sweep-slurm-test starts before running these (they are skipped when
/// TICKETS_SLURM is not 1, as in the main `swift test` run).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["TICKETS_SLURM"] == "1",
                             "needs the local Slurm cluster: run scripts/sweep-slurm-test"))
struct SweepSlurmTests {
    typealias P = SweepProcessTests
    static var resumeScript: String { P.root.appendingPathComponent("Tests/sweep/resume.tks").path }

    /// A Slurm command's output (squeue, scancel).
    static func slurm(_ command: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [command] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The Slurm jobs of a sweep, each with its runs, from sweep.json.
    static func jobs(_ sweep: String) throws -> [(id: String, runs: [String])] {
        let data = try Data(contentsOf: URL(fileURLWithPath: sweep + "/sweep.json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return ((json?["jobs"] as? [[String: Any]]) ?? []).map { ($0["id"] as? String ?? "", $0["runs"] as? [String] ?? []) }
    }

    /// The rows of a CSV file, split into fields.
    static func csv(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func aGridOnSlurmGivesTheTableOfLocalWorkers() throws {
        try #require(CommandLineTests.binary != nil)
        let dir = P.scratch("slurm-grid")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let started = Date()
        let (s1, _, e1) = try P.tks([P.gridScript, "data=\(P.tinyData)", "folder=sl", "out=sl.csv", "backend=slurm"], cwd: dir)
        #expect(s1 == 0, "\(e1)")
        let slurmSeconds = Date().timeIntervalSince(started)
        let (s2, _, e2) = try P.tks([P.gridScript, "data=\(P.tinyData)", "folder=lo", "out=lo.csv", "workers=2"], cwd: dir)
        #expect(s2 == 0, "\(e2)")
        let a = try String(contentsOfFile: dir + "/sl.csv", encoding: .utf8), b = try String(contentsOfFile: dir + "/lo.csv", encoding: .utf8)
        #expect(a == b && a.split(separator: "\n").count == 5)
        // One array job of four tasks; every run was done by a Slurm task.
        let jobs = try Self.jobs(dir + "/sl")
        #expect(jobs.count == 1 && jobs.first?.runs.count == 4)
        for run in try P.runFolders(dir + "/sl") {
            #expect(P.exists(run + "/done.json") && P.exists(run + "/output.log"))
        }
        // Submitting the finished sweep again submits nothing.
        let (s3, _, _) = try P.tks([P.gridScript, "data=\(P.tinyData)", "folder=sl", "out=sl2.csv", "backend=slurm"], cwd: dir)
        let jobsAfter = try Self.jobs(dir + "/sl")
        #expect(s3 == 0 && jobsAfter.count == 1)
        #expect(try String(contentsOfFile: dir + "/sl2.csv", encoding: .utf8) == a)
        print("slurm: a 2×2 sweep submitted, run and merged in \(String(format: "%.1f", slurmSeconds)) s")
        // From the shell: tks sweep --slurm submits and stops the script; tks collect merges.
        let (s4, out4, e4) = try P.tks(["sweep", P.gridScript, "--slurm", "--workers", "2", "data=\(P.tinyData)", "folder=cs", "out=never.csv"], cwd: dir)
        #expect(s4 == 0 && out4.contains("sweep experiment  4 runs  submitted as Slurm job") && out4.contains("when it is done: tks collect "), "\(e4)")
        #expect(!P.exists(dir + "/never.csv"))
        let script = try String(contentsOfFile: dir + "/cs/slurm/job-1.sbatch", encoding: .utf8)
        #expect(script.contains("#SBATCH --array=0-3%2\n"))
        #expect(try P.tks(["-e", "wait(\"cs\", every=0.5, quiet=true)"], cwd: dir).0 == 0)
        let (s5, out5, _) = try P.tks(["collect", "cs", "-o", "cs.csv"], cwd: dir)
        let merged = try String(contentsOfFile: dir + "/cs.csv", encoding: .utf8)
        #expect(s5 == 0 && out5.isEmpty && merged == a)
    }

    @Test func aTaskCancelledHalfwayIsResubmittedAndResumes() throws {
        try #require(CommandLineTests.binary != nil)
        let dir = P.scratch("slurm-resume")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Submitted; the run with seed 1 stops after its second epoch until cancelled.
        let (s1, out1, e1) = try P.tks([Self.resumeScript, "data=\(P.tinyData)", "folder=rs", "pause=1"], cwd: dir)
        #expect(s1 == 0 && out1.contains("submitted as Slurm job"), "\(e1)")
        let sweep = dir + "/rs"
        let runs = try P.runFolders(sweep)
        try #require(runs.count == 2)
        #expect(P.eventually(120) {
            P.exists(runs[0] + "/done.json") && P.records(runs[1]).contains { $0["epoch"] as? Int == 1 }
        })
        let job = try #require(try Self.jobs(sweep).first)
        let task = "\(job.id)_\(try #require(job.runs.firstIndex(of: (runs[1] as NSString).lastPathComponent)))"
        _ = try Self.slurm("scancel", [task])
        #expect(P.eventually {
            let q = (try? Self.slurm("squeue", ["-h", "-r", "-t", "all", "-j", job.id, "-o", "%i %T"])) ?? ""
            return q.contains("\(task) CANCELLED") || !q.contains(task)
        })
        let (_, status, _) = try P.tks(["-e", "print(select(status(\"rs\"), [\"seed\", \"state\"]))"], cwd: dir)
        #expect(status == "seed    state\n   0     done\n   1  stopped\n", "\(status)")
        #expect(!P.exists(runs[1] + "/done.json") && P.exists(runs[1] + "/epoch-1.safetensors"))

        // Submitted again: only the cancelled run goes, and it resumes after epoch 1.
        let (s2, out2, e2) = try P.tks([Self.resumeScript, "data=\(P.tinyData)", "folder=rs"], cwd: dir)
        #expect(s2 == 0 && out2.contains("submitted as Slurm job"), "\(e2)")
        let jobs = try Self.jobs(sweep)
        #expect(jobs.count == 2 && jobs.last?.runs == [(runs[1] as NSString).lastPathComponent])
        let (s3, _, e3) = try P.tks(["-e", "wait(\"rs\", every=0.5)"], cwd: dir)
        #expect(s3 == 0 && e3.contains("sweep steps: 2/2 done"), "\(e3)")
        #expect(try P.tks(["collect", "rs", "-o", "rs.csv"], cwd: dir).0 == 0)

        // The same sweep uninterrupted, in one session: the same figures.
        let (s4, _, e4) = try P.tks([Self.resumeScript, "data=\(P.tinyData)", "folder=ref", "backend=local", "out=ref.csv"], cwd: dir)
        #expect(s4 == 0, "\(e4)")
        let got = try Self.csv(dir + "/rs.csv"), want = try Self.csv(dir + "/ref.csv")
        #expect(got.first == ["seed", "acc", "loss", "resumed_from"] && got.count == 3)
        #expect(got.map { Array($0.prefix(3)) } == want.map { Array($0.prefix(3)) })
        #expect(got.map(\.last) == ["resumed_from", "0", "2"])
        // The finished run was not run again; the resumed one logged each epoch once.
        let starts = runs.map { P.records($0).filter { $0["event"] as? String == "start" }.count }
        #expect(starts == [1, 2])
        #expect(P.records(runs[1]).compactMap { $0["epoch"] as? Int } == [0, 1, 2])
    }

    @Test func sbatchRefusingIsShownWithItsMessage() throws {
        try #require(CommandLineTests.binary != nil)
        let dir = P.scratch("slurm-refuse")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, _, e) = try P.tks(["sweep", P.gridScript, "--slurm", "--partition", "no-such-partition", "data=\(P.tinyData)", "folder=x", "out=x.csv"], cwd: dir)
        #expect(s == 70 && e.contains("error: sweep: sbatch failed (exit 1): sbatch: error:") && e.contains("nvalid partition"), "\(e)")
    }
}
