import Foundation
import Testing

/// Sweeps with worker processes, end to end through the built `tks`: the same table as
/// in the session, a worker killed or a sweep stopped by Ctrl-C losing nothing
/// finished, the shell commands, and the errors of a Slurm that cannot be reached.
/// (The real Slurm cluster is in SweepSlurmTests.)
@Suite(.serialized) struct SweepProcessTests {
    static let root = CommandLineTests.root
    static var tinyData: String { root.appendingPathComponent("Tests/golden/data/tiny").path }
    static var gridScript: String { root.appendingPathComponent("Tests/sweep/grid.tks").path }

    /// A fresh folder to run in.
    static func scratch(_ name: String) -> String {
        let p = NSTemporaryDirectory() + "tickets-sweep-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    /// Starts tks in `cwd`; the caller waits for it.
    static func start(_ args: [String], cwd: String, env: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        guard let bin = CommandLineTests.binary else { throw CancellationError() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        var environment = ProcessInfo.processInfo.environment
        environment["TKS_BIN"] = bin
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return (p, out, err)
    }

    /// Runs tks in `cwd` to its end: (status, stdout, stderr).
    static func tks(_ args: [String], cwd: String, env: [String: String] = [:]) throws -> (Int32, String, String) {
        let (p, out, err) = try start(args, cwd: cwd, env: env)
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// Waits until `condition` holds, for at most `seconds`.
    static func eventually(_ seconds: Double = 60, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    /// The run folders of a sweep, in grid order (from sweep.json).
    static func runFolders(_ sweep: String) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: sweep + "/sweep.json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return ((json?["runs"] as? [String]) ?? []).map { sweep + "/" + $0 }
    }

    /// The log records of a run folder.
    static func records(_ run: String) -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: run + "/log.jsonl", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    static func exists(_ p: String) -> Bool { FileManager.default.fileExists(atPath: p) }

    @Test func workersGiveTheTableOfTheSession() throws {
        try #require(CommandLineTests.binary != nil, "build tks first (swift build)")
        let dir = Self.scratch("equal")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s1, out1, err1) = try Self.tks([Self.gridScript, "data=\(Self.tinyData)", "folder=w", "out=w.csv", "workers=2"], cwd: dir)
        #expect(s1 == 0, "\(err1)")
        #expect(out1.hasSuffix("4 [\"lr\", \"seed\", \"acc\", \"loss\"]\n"))
        #expect(err1.contains("sweep experiment: 4/4 done"))
        let (s2, _, err2) = try Self.tks([Self.gridScript, "data=\(Self.tinyData)", "folder=s", "out=s.csv", "workers=0"], cwd: dir)
        #expect(s2 == 0, "\(err2)")
        let a = try String(contentsOfFile: dir + "/w.csv", encoding: .utf8), b = try String(contentsOfFile: dir + "/s.csv", encoding: .utf8)
        #expect(a == b && a.split(separator: "\n").count == 5)
        // Each run ran in a worker of its own, with one engine thread (2 workers, 2 cores or fewer).
        let starts = try Self.runFolders(dir + "/w").compactMap { Self.records($0).first { $0["event"] as? String == "start" } }
        #expect(starts.count == 4)
        let threads = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
        #expect(starts.allSatisfy { ($0["threads"] as? Int) == threads })
        #expect(Set(starts.compactMap { $0["pid"] as? Int }).count == 4)
        // From the shell: tks sweep with options, tks collect.
        // (TICKETS_THREADS given to the session caps the workers' threads.)
        let (s3, _, err3) = try Self.tks(["sweep", Self.gridScript, "--workers", "1", "--folder=c", "data=\(Self.tinyData)", "folder=ignored", "out=c.csv"],
                                         cwd: dir, env: ["TICKETS_THREADS": "1"])
        #expect(s3 == 0, "\(err3)")
        let capped = try Self.runFolders(dir + "/c").compactMap { Self.records($0).first { $0["event"] as? String == "start" }?["threads"] as? Int }
        #expect(capped == [1, 1, 1, 1])
        #expect(Self.exists(dir + "/c/sweep.json") && !Self.exists(dir + "/ignored"))
        let (s4, out4, err4) = try Self.tks(["collect", "c", "-o", "collected.csv"], cwd: dir)
        #expect(s4 == 0 && out4.isEmpty && err4 == "tks collect: 4 runs: 4 done, 0 failed, 0 not finished\n")
        #expect(try String(contentsOfFile: dir + "/collected.csv", encoding: .utf8) == a)
        let (s5, out5, _) = try Self.tks(["collect", "c"], cwd: dir)
        #expect(s5 == 0 && out5.hasPrefix("  lr  seed       acc      loss\n"))
        #expect(try Self.tks(["collect", "nowhere"], cwd: dir).0 == 74)
    }

    @Test func aKilledWorkerOrCtrlCLosesNoFinishedRun() throws {
        try #require(CommandLineTests.binary != nil)
        let dir = Self.scratch("kill")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The runs with seed 1 spin until stopped; the others finish.
        let (parent, out, err) = try Self.start([Self.gridScript, "data=\(Self.tinyData)", "folder=k", "out=k.csv", "workers=2", "spin=1"], cwd: dir)
        let sweep = dir + "/k"
        func started(_ run: String) -> Int? { Self.records(run).last { $0["event"] as? String == "start" }?["pid"] as? Int }
        var runs: [String] = []
        #expect(Self.eventually {
            runs = (try? Self.runFolders(sweep)) ?? []
            return runs.count == 4 && Self.exists(runs[0] + "/done.json") && Self.exists(runs[2] + "/done.json")
                && started(runs[1]) != nil && started(runs[3]) != nil
        })
        guard runs.count == 4, let victim = started(runs[1]) else { parent.terminate(); return }
        // A worker killed outright: its run fails, the sweep goes on.
        kill(pid_t(victim), SIGKILL)
        #expect(Self.eventually { Self.exists(runs[1] + "/failed.json") })
        // Ctrl-C: the parent stops its workers and returns; finished runs stay.
        kill(parent.processIdentifier, SIGINT)
        _ = out.fileHandleForReading.readDataToEndOfFile()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        parent.waitUntilExit()
        #expect(parent.terminationStatus == 70)
        #expect(errText.contains("the run lr=0.01, seed=1 failed: the worker was killed (signal 9) before the run finished"))
        #expect(errText.contains("sweep: interrupted; the finished runs are kept in"))
        #expect(Self.exists(runs[0] + "/done.json") && Self.exists(runs[2] + "/done.json"))
        #expect(!Self.exists(runs[3] + "/done.json") && !Self.exists(runs[3] + "/failed.json"))
        if let last = started(runs[3]) { #expect(kill(pid_t(last), 0) != 0, "the interrupted worker is gone") }
        // Again, without spinning: only the two unfinished runs run.
        let (s, _, e) = try Self.tks([Self.gridScript, "data=\(Self.tinyData)", "folder=k", "out=k.csv", "workers=2"], cwd: dir)
        #expect(s == 0, "\(e)")
        #expect(e.contains("sweep experiment: 4/4 done"))
        let starts = runs.map { Self.records($0).filter { $0["event"] as? String == "start" }.count }
        #expect(starts == [1, 2, 1, 2])
        let table = try String(contentsOfFile: dir + "/k.csv", encoding: .utf8)
        #expect(table.hasPrefix("lr,seed,acc,loss\n") && table.split(separator: "\n").count == 5)
    }

    @Test func anExperimentFromThePromptNeedsWorkersZero() throws {
        try #require(CommandLineTests.binary != nil)
        let dir = Self.scratch("prompt")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let code = "fn f(x=1) return {y: x} end\nprint(sweep(f, grid={x: [1, 2]}, workers=0))\nsweep(f, grid={x: [1]})"
        let (status, out, err) = try Self.tks(["-e", code], cwd: dir)
        #expect(status == 70 && out == "x  y\n1  1\n2  2\n")
        #expect(err.contains("<-e>:3:7: error: sweep: experiment was defined at the prompt (<-e>), but worker processes re-run the script that defines it: put it in a file and run that (tks lesson.tks), or give workers=0 to run the runs one by one in this session"))
    }

    @Test func aWorkerRefusesAScriptThatChanged() throws {
        try #require(CommandLineTests.binary != nil)
        let dir = Self.scratch("changed")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = dir + "/s.tks"
        try "fn experiment(x=1)\n  error(\"not yet\")\nend\nsweep(experiment, grid={x: [1]}, workers=0)\n".write(toFile: script, atomically: true, encoding: .utf8)
        let (s1, _, e1) = try Self.tks([script], cwd: dir)
        #expect(s1 == 0 && e1.contains("the run x=1 failed: "))
        let run = try Self.runFolders(dir + "/runs/experiment")[0]
        try "fn experiment(x=1)\n  return {y: x}\nend\nsweep(experiment, grid={x: [1]}, workers=0)\n".write(toFile: script, atomically: true, encoding: .utf8)
        let (s2, _, e2) = try Self.tks(["--sweep-worker", run], cwd: "/")
        #expect(s2 == 70 && e2.contains("sweep: the script has changed since the sweep was planned: experiment is no longer the code this run was made for; run the sweep again"))
        let failed = try String(contentsOfFile: run + "/failed.json", encoding: .utf8)
        #expect(failed.contains("the script has changed since the sweep was planned"))
        #expect(try Self.tks(["--sweep-worker", dir + "/nowhere"], cwd: dir).0 == 74)
    }

    @Test func aSlurmThatCannotBeReachedIsAClearError() throws {
        try #require(CommandLineTests.binary != nil)
        let dir = Self.scratch("nosbatch")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let args = ["sweep", Self.gridScript, "--slurm", "data=\(Self.tinyData)", "folder=n", "out=n.csv"]
        // No sbatch on PATH.
        let empty = dir + "/empty-bin"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let (s1, _, e1) = try Self.tks(args, cwd: dir, env: ["PATH": empty])
        #expect(s1 == 70 && e1.contains("error: sweep: cannot submit to Slurm: sbatch is not installed here (is this a Slurm login node? scripts/slurm-local starts a one-node cluster on this machine)"), "\(e1)")
        // An sbatch that refuses: its own message is shown.
        let bin = dir + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try "#!/bin/sh\necho 'sbatch: error: Batch job submission failed: Invalid partition name specified' >&2\nexit 1\n"
            .write(toFile: bin + "/sbatch", atomically: true, encoding: .utf8)
        chmod(bin + "/sbatch", 0o755)
        let (s2, _, e2) = try Self.tks(args, cwd: dir, env: ["PATH": bin + ":/usr/bin:/bin"])
        #expect(s2 == 70 && e2.contains("error: sweep: sbatch failed (exit 1): sbatch: error: Batch job submission failed: Invalid partition name specified"), "\(e2)")
        // The batch script was written all the same, for a look or a submission by hand.
        #expect(Self.exists(dir + "/n/slurm/job-1.sbatch"))
    }
}
