import Foundation
import Testing
@testable import TicketsEngine

/// Run folders (manifest, log, done/failed, listing), the hash they are named by, the
/// canonical JSON it is taken of, and the processes and Slurm scripts sweeps use.
struct RunFolderTests {
    static func scratch(_ name: String) -> String {
        let p = NSTemporaryDirectory() + "tickets-runfolder-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    static func settings(_ text: String) throws -> JSONValue { try JSONReader.parse(Array(text.utf8), name: "t") }

    // MARK: the hash

    @Test func sha256MatchesTheStandardsVectors() {
        // FIPS 180-4 examples, and a message of more than one block.
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(String(repeating: "a", count: 1000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func canonicalJSONSortsKeysAndWritesNumbersOneWay() throws {
        let a = try Self.settings(#"{"seed": 0, "lr": 0.1, "net": {"sizes": [784, 300.0], "b": true}}"#)
        let b = try Self.settings(#"{"lr": 1e-1, "net": {"b": true, "sizes": [784.0, 300]}, "seed": 0.0}"#)
        #expect(a.canonicalText == #"{"lr":0.1,"net":{"b":true,"sizes":[784,300]},"seed":0}"#)
        #expect(a == b && RunFolder.hash(of: a) == RunFolder.hash(of: b))
        #expect(JSONValue.number(.nan) == nil && JSONValue.number(3.0)?.text() == "3" && JSONValue.number(1e-7)?.text() == "1e-07")
        // Indented text reads back as the same value.
        #expect(try JSONReader.parse(Array(a.text(indent: 2).utf8), name: "t") == a)
    }

    // MARK: folders

    @Test func theSameSettingsFindTheSameFolderAndOtherSettingsAreAnError() throws {
        let root = Self.scratch("open")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let s = try Self.settings(#"{"lr": 0.1, "seed": 0}"#)
        let run = try RunFolder.open(settings: s, name: "imp", root: root, total: 3)
        #expect(run.path == root + "/imp-" + String(RunFolder.hash(of: s).prefix(12)))
        #expect(run.state == .unfinished && run.total == 3)
        let again = try RunFolder.open(settings: try Self.settings(#"{"seed": 0, "lr": 0.1}"#), name: "imp", root: root)
        #expect(again.path == run.path && again.created == run.created && again.total == 3)
        do {
            _ = try RunFolder.open(settings: try Self.settings(#"{"lr": 0.2}"#), name: "imp", root: root, path: run.path)
            Issue.record("no error")
        } catch let e as EngineError {
            #expect(e.message == "\(run.path) holds a run of other settings (lr is 0.1 there, 0.2 here; seed is missing here); give another folder, or remove this one to start over")
        }
        // A manifest whose settings were edited by hand no longer matches its hash.
        let manifest = run.path + "/manifest.json"
        let text = try String(contentsOfFile: manifest, encoding: .utf8).replacingOccurrences(of: "\"seed\": 0", with: "\"seed\": 5")
        try text.write(toFile: manifest, atomically: true, encoding: .utf8)
        #expect(throws: EngineError.self) { _ = try RunFolder.read(run.path) }
    }

    @Test func theLogKeepsWholeRecordsAndTheStateFollowsTheMarkers() throws {
        let root = Self.scratch("log")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let run = try RunFolder.open(settings: try Self.settings(#"{"k": "v"}"#), name: "r", root: root)
        try run.log([("call", .string("imp")), ("level", .number("0"))])
        try run.log([("call", .string("imp")), ("level", .number("1")), ("time", .string("given"))])
        let records = try run.records()
        #expect(records.count == 2 && records[1]["level"]?.doubleValue == 1 && records[1]["time"]?.stringValue == "given")
        #expect(records[0]["hash"]?.stringValue == run.hash && records[0]["version"]?.stringValue == ticketsVersion)
        #expect(records[0]["settings"] == run.settings)
        try run.markFailed("boom")
        #expect(run.state == .failed && run.failure == "boom")
        try run.markDone([("rows", .number("2"))])
        #expect(run.state == .done && run.failure == nil && run.doneRecord?["rows"]?.doubleValue == 2)
        // No temporary file is left behind by the atomic writes (.lock is the folder's lock).
        let names = try FileManager.default.contentsOfDirectory(atPath: run.path).sorted()
        #expect(names == [RunLock.fileName, "done.json", "log.jsonl", "manifest.json"])
        #expect(throws: EngineError.self) { _ = try run.file("../x") }
        #expect(throws: EngineError.self) { try run.write([1], to: "a/b") }
    }

    @Test func listingFindsRunFoldersAndReportsBrokenOnes() throws {
        let root = Self.scratch("list")
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = try RunFolder.open(settings: try Self.settings(#"{"a": 1}"#), name: "x", root: root + "/deep/er")
        _ = try RunFolder.open(settings: try Self.settings(#"{"a": 2}"#), name: "x", root: root)
        try FileManager.default.createDirectory(atPath: root + "/broken", withIntermediateDirectories: true)
        try "{not json".write(toFile: root + "/broken/manifest.json", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: root + "/.hidden/r", withIntermediateDirectories: true)
        let (runs, bad) = RunFolder.list(under: root)
        #expect(runs.count == 2 && bad.map(\.path) == [root + "/broken"])
        #expect(RunFolder.list(under: root, depth: 1).runs.count == 1)
    }

    // MARK: processes

    @Test func childProcessesReportTheirStatusAndSignals() throws {
        let out = Self.scratch("child") + "/out.log"
        let ok = try ChildProcess.start("/bin/sh", ["-c", "echo hi; echo err >&2; exit 3"], output: out)
        #expect(ok.wait() == 3)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "hi\nerr\n")
        let sleeper = try ChildProcess.start("/bin/sleep", ["30"], output: out)
        #expect(!sleeper.poll())
        sleeper.signal(SIGKILL)
        #expect(sleeper.wait() == 128 + SIGKILL)
        let r = try runCommand("sh", ["-c", "printf out; printf err >&2; exit 1"])
        #expect(r.status == 1 && r.stdout == "out" && r.stderr == "err" && r.message == "err")
        do { _ = try runCommand("no-such-command-tickets", []); Issue.record("no error") } catch let e as EngineError {
            #expect(e.message == "no-such-command-tickets: command not found (it is not on PATH)")
        }
    }

    // MARK: Slurm scripts and queues

    @Test func theBatchScriptIsAJobArrayOverTheRunFolders() {
        var o = Slurm.Options(jobName: "tks-exp")
        o.partition = "short"; o.time = "1:00:00"; o.cpus = 2; o.mem = "4G"; o.throttle = 3
        o.extra = ["--account=lab", "#SBATCH --qos=low"]
        let script = Slurm.batchScript(o, command: ["/opt/tks", "--sweep-worker"], runs: ["/shared/r/a", "/shared/r/it's"],
                                       workingFolder: "/home/me", logFolder: "/shared/r/slurm", title: "a test")
        let lines = script.split(separator: "\n").map(String.init)
        #expect(lines.first == "#!/bin/bash")
        for expected in ["#SBATCH --job-name=tks-exp", "#SBATCH --array=0-1%3", "#SBATCH --output=/shared/r/slurm/%A_%a.out",
                         "#SBATCH --cpus-per-task=2", "#SBATCH --partition=short", "#SBATCH --time=1:00:00", "#SBATCH --mem=4G",
                         "#SBATCH --account=lab", "#SBATCH --qos=low", "export TICKETS_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"",
                         "cd /home/me || exit 1", "  0) run=/shared/r/a ;;", "  1) run='/shared/r/it'\\''s' ;;",
                         "exec /opt/tks --sweep-worker \"$run\" >> \"$run/output.log\" 2>&1"] {
            #expect(lines.contains(expected), "\(expected)")
        }
        // Every directive comes before the first command, as sbatch requires.
        let lastDirective = lines.lastIndex { $0.hasPrefix("#SBATCH") }!
        let firstCommand = lines.firstIndex { !$0.hasPrefix("#") && !$0.isEmpty }!
        #expect(lastDirective < firstCommand)
    }

    @Test func theQueueIsReadPerArrayTask() {
        let q = Slurm.parseQueue("12|0|COMPLETED\n12|1|RUNNING\n12|2|PENDING\n13|N/A|RUNNING\ngarbage\n")
        #expect(q == [Slurm.TaskState(job: "12", task: 0, state: "COMPLETED"), Slurm.TaskState(job: "12", task: 1, state: "RUNNING"),
                      Slurm.TaskState(job: "12", task: 2, state: "PENDING")])
        #expect(!q[0].isActive && q[1].isActive && q[2].isActive)
        #expect(Slurm.shellQuoted("/a/b-c_d.e") == "/a/b-c_d.e" && Slurm.shellQuoted("a b") == "'a b'" && Slurm.shellQuoted("") == "''")
    }
}
