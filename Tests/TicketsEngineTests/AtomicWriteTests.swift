import Foundation
import Testing
@testable import TicketsEngine

/// What `writeAtomically` owes the file it replaces: its permissions kept, a
/// read-only one left alone, room for any legal name, and no temporary file of a
/// killed save left behind for ever.
struct AtomicWriteTests {
    static func scratch() -> String {
        let p = NSTemporaryDirectory() + "tickets-atomic-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        _ = stat(path, &info)
        return info.st_mode & 0o7777
    }

    @Test func aReadOnlyFileIsNotReplacedAndModesAreKept() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/keep.csv"
        try writeAtomically(Array("old".utf8), to: path)
        chmod(path, 0o444)
        do {
            try writeAtomically(Array("new".utf8), to: path)
            Issue.record("a read-only file was replaced")
        } catch let e as EngineError {
            #expect(e.isIO && e.message.hasSuffix("keep.csv is read-only; make it writable (chmod u+w) or save under another name"))
        }
        #expect(try readFileBytes(path) == Array("old".utf8) && Self.mode(path) == 0o444)
        chmod(path, 0o640)
        try writeAtomically(Array("new".utf8), to: path)
        #expect(try readFileBytes(path) == Array("new".utf8) && Self.mode(path) == 0o640)
    }

    @Test func aNameOf240CharactersCanBeSaved() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/" + String(repeating: "n", count: 236) + ".csv"
        try writeAtomically(Array("x".utf8), to: path)
        #expect(try readFileBytes(path) == Array("x".utf8))
    }

    @Test func staleTemporariesOfDeadWritersAreRemoved() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/net.safetensors"
        // A writer that is gone: a process that ran and ended.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run(); gone.waitUntilExit()
        let prefix = temporaryPrefix(path)
        let stale = dir + "/" + prefix + "\(gone.processIdentifier)-12345-0"
        let fresh = dir + "/" + prefix + "\(gone.processIdentifier)-12346-0"    // too young to be judged
        let alive = dir + "/" + prefix + "\(getppid())-12347-0"                 // its writer still runs
        let other = dir + "/.other.tmp-\(gone.processIdentifier)-1-0"           // not our name
        for f in [stale, fresh, alive, other] { FileManager.default.createFile(atPath: f, contents: Data([1])) }
        var old = [timespec(tv_sec: time(nil) - 3600, tv_nsec: 0), timespec(tv_sec: time(nil) - 3600, tv_nsec: 0)]
        for f in [stale, alive, other] { _ = utimensat(AT_FDCWD, f, &old, 0) }
        try writeAtomically(Array("x".utf8), to: path)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        #expect(left == Set(["net.safetensors", (fresh as NSString).lastPathComponent,
                             (alive as NSString).lastPathComponent, (other as NSString).lastPathComponent]))
    }
}
