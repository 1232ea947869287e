import Foundation
import Testing
@testable import TicketsEngine

/// The lock of a run folder (one writing process) and its append-only log.
struct RunLockTests {
    static func settings() throws -> JSONValue { try JSONReader.parse(Array(#"{"lr": 0.1}"#.utf8), name: "t") }

    @Test func anotherProcessHoldingTheLockIsAClearError() throws {
        let root = RunFolderTests.scratch("lock")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let run = try RunFolder.open(settings: try Self.settings(), name: "imp", root: root)
        let folder = run.path
        run.unlock()
        // flock(1), a real second process, holds the folder's lock for a few seconds.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["-o", folder + "/" + RunLock.fileName, "sleep", "4"]
        try holder.run()
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() } }
        var refused: EngineError?
        for _ in 0..<100 {   // until flock has the lock
            do { _ = try RunLock.acquire(folder); usleep(50_000) } catch let e as EngineError { refused = e; break }
        }
        #expect(refused?.message.contains("the run folder \(folder) is in use by") == true, "\(String(describing: refused))")
        #expect(throws: EngineError.self) { try RunFolder.open(settings: try Self.settings(), name: "imp", root: root) }
        kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit()   // flock -o: its sleep does not hold the lock
        _ = try RunFolder.open(settings: try Self.settings(), name: "imp", root: root)   // free again
    }

    @Test func oneProcessSharesItsLockAndNamesItselfInIt() throws {
        let root = RunFolderTests.scratch("shared")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let a = try RunFolder.open(settings: try Self.settings(), name: "imp", root: root)
        let b = try RunFolder.open(settings: try Self.settings(), name: "imp", root: root)
        #expect(a.lock === b.lock)
        let text = try String(contentsOfFile: a.path + "/" + RunLock.fileName, encoding: .utf8)
        #expect(text.hasPrefix("pid \(getpid()) since 20"))
    }

    /// Two writers appending 300 records each at once keep all 600 (the log used to be
    /// read and rewritten whole, and kept 316).
    @Test func concurrentAppendsKeepEveryRecord() throws {
        let root = RunFolderTests.scratch("append")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = try RunFolder.open(settings: try Self.settings(), name: "imp", root: root, lock: false).path
        DispatchQueue.concurrentPerform(iterations: 2) { w in
            guard let writer = try? RunFolder.read(path) else { return }
            for i in 0..<300 { try? writer.log([("writer", .number(String(w))), ("i", .number(String(i)))]) }
        }
        #expect(try RunFolder.read(path).records().count == 600)
    }

    /// A record cut short by a killed writer is skipped, and the next one starts on a
    /// line of its own.
    @Test func aRecordCutShortIsSkipped() throws {
        let root = RunFolderTests.scratch("cut")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let run = try RunFolder.open(settings: try Self.settings(), name: "imp", root: root)
        try run.log([("level", .number("0"))])
        let handle = try #require(FileHandle(forWritingAtPath: run.path + "/" + RunFolder.logFile))
        handle.seekToEndOfFile(); handle.write(Data(#"{"time": "2026-"#.utf8)); handle.closeFile()
        try run.log([("level", .number("1"))])
        #expect(try run.records().map { $0["level"]?.doubleValue } == [0, 1])
    }
}
