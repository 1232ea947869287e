import Foundation
import Testing

/// The built `tks` binary end to end: scripts, -e, piped input, -i, exit codes.
struct CommandLineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var binary: String? {
        if let b = ProcessInfo.processInfo.environment["TKS_BIN"], FileManager.default.isExecutableFile(atPath: b) { return b }
        for c in [".build/debug/tks", ".build/release/tks"] {
            let p = root.appendingPathComponent(c).path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// Runs tks with arguments and standard input; returns (status, stdout, stderr).
    func tks(_ args: [String], stdin: String = "", environment: [String: String] = [:],
             launcher: [String] = []) throws -> (Int32, String, String) {
        guard let bin = Self.binary else { throw CancellationError() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: launcher.first ?? bin)
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        p.arguments = launcher.isEmpty ? args : Array(launcher.dropFirst()) + [bin] + args
        p.currentDirectoryURL = Self.root
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe; p.standardOutput = outPipe; p.standardError = errPipe
        try p.run()
        inPipe.fileHandleForWriting.write(stdin.data(using: .utf8)!)
        try inPipe.fileHandleForWriting.close()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile(), err = errPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    @Test func snippetsAndExitCodes() throws {
        try #require(Self.binary != nil, "build tks first (swift build)")
        #expect(try tks(["-e", "print(1 + 2)"]) == (0, "3\n", ""))
        let (s1, _, e1) = try tks(["-e", "print(\"x)"])
        #expect(s1 == 65 && e1.hasPrefix("<-e>:1:7: error: unterminated string"))
        let (s2, _, e2) = try tks(["-e", "x = 1\nprint(y)"])
        #expect(s2 == 70 && e2.contains("<-e>:2:7: error: unknown name 'y'"))
        let (s3, _, e3) = try tks(["-e", "dataset(\"idx\", \"/no/such\")"])
        #expect(s3 == 74 && e3.contains("no such folder"))
        #expect(try tks(["--bogus"]).0 == 64)
        #expect(try tks(["missing-file.tks"]).0 == 74)
        let version = try tks(["--version"]).1
        #expect(version.hasPrefix("Tickets 0.1\nCPU: ") && version.contains("\nmatrix products: "))
    }

    @Test func pipedInputRunsAsAScriptAndStopsAtTheFirstError() throws {
        try #require(Self.binary != nil)
        let (status, out, err) = try tks([], stdin: "print(1)\nprint(nope)\nprint(3)\n")
        #expect(status == 70 && out == "1\n" && err.contains("<stdin>:2:7: error: unknown name 'nope'"))
    }

    @Test func interactiveModeContinuesAfterErrors() throws {
        try #require(Self.binary != nil)
        let (status, out, err) = try tks(["-i"], stdin: "x = 1\nfor i in 1..2\n  x += i\nend\nbad(\n)\nx\n")
        #expect(status == 0)
        #expect(out.hasPrefix("Tickets 0.1"))
        #expect(out.contains("tks> ...> ...> tks> ") && out.contains("4\n"))
        #expect(err.contains("unknown name 'bad'"))
    }

    @Test func scriptSettings() throws {
        try #require(Self.binary != nil)
        let file = NSTemporaryDirectory() + "tickets-settings.tks"
        try "print(setting(\"levels\", 10) + 1, setting(\"name\", \"a\"))\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try tks([file]).1 == "11 a\n")
        #expect(try tks([file, "levels=2", "name=b"]).1 == "3 b\n")
        let (s, _, e) = try tks([file, "levels=two"])
        #expect(s == 70 && e.contains("setting: levels=two on the command line must be a number"))
        #expect(try tks([file, "oops"]).0 == 64)
        let (s2, _, e2) = try tks([file, "levles=2"])
        #expect(s2 == 0 && e2.contains("never reads the setting levles"))
        let (s3, _, e3) = try tks([NSTemporaryDirectory()])
        #expect(s3 == 74 && e3.contains("is a folder"))
        let crlf = NSTemporaryDirectory() + "tickets-crlf.tks"
        try "x = 1\r\nprint(x + 1)\r\n".write(toFile: crlf, atomically: true, encoding: .utf8)
        #expect(try tks([crlf]).1 == "2\n")
    }

    /// A request beyond the memory budget is an error before anything is allocated.
    @Test func memoryBudgetRefusesGiantNets() throws {
        guard let bin = Self.binary else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = ["-e", "net = mlp([1000, 1000])"]
        p.environment = ["TICKETS_MEMORY_MB": "1"]
        let err = Pipe()
        p.standardError = err; p.standardOutput = Pipe()
        try p.run(); p.waitUntilExit()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 70 && text.contains("mlp: an mlp of 1,000,000 weights would need 19 MiB of memory; the budget is 1 MiB"), "\(text)")
    }

    /// Ctrl-C during a long builtin stops it at a safe point; the session keeps going
    /// with every variable intact.
    @Test func interruptStopsTrainingAndKeepsTheSession() throws {
        guard let bin = Self.binary else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = ["-i"]
        p.currentDirectoryURL = Self.root
        let input = Pipe(), output = Pipe(), errors = Pipe()
        p.standardInput = input; p.standardOutput = output; p.standardError = errors
        try p.run()
        input.fileHandleForWriting.write(Data("d = dataset(\"idx\", \"Tests/golden/data/tiny\")\nnet = mlp([64, 16, 3])\nx = 41\ntrain(net, d, epochs=1000000, batch=1, quiet=true)\n".utf8))
        Thread.sleep(forTimeInterval: 1.5)
        kill(p.processIdentifier, SIGINT)
        Thread.sleep(forTimeInterval: 0.5)
        input.fileHandleForWriting.write(Data("print(x + 1, net.step > 0)\n".utf8))
        try input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(30)
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if p.isRunning { p.terminate(); Issue.record("tks did not stop after Ctrl-C"); return }
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(err.contains("train: interrupted at epoch"), "\(err)")
        #expect(out.contains("42 true"), "\(out)")
        #expect(p.terminationStatus == 0)
    }


    /// save writes a temporary file and renames it over the target: a process killed
    /// in the middle of a save leaves the old file or the new one, never half of one.
    @Test func aKilledSaveNeverLeavesHalfAFile() throws {
        guard let bin = Self.binary else { return }
        let dir = NSTemporaryDirectory() + "tickets-killed-save-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/net.safetensors"
        for delay in [0.15, 0.4, 0.7] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: bin)
            p.arguments = ["-e", "net = mlp([2000, 2000, 10])\nfor i in 1..100000\n  save(net, \"\(path)\")\nend"]
            p.standardOutput = Pipe(); p.standardError = Pipe()
            try p.run()
            let start = Date()
            while !FileManager.default.fileExists(atPath: path) && Date().timeIntervalSince(start) < 20 { Thread.sleep(forTimeInterval: 0.01) }
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let (status, out, err) = try tks(["-e", "print(load(\"\(path)\").parameters)"])
            #expect(status == 0 && out.hasSuffix("4022010\n"), "after a kill \(delay) s into the saves: \(err)")
        }
    }

}
