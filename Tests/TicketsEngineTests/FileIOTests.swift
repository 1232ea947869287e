import Testing
import Foundation
@testable import TicketsEngine

struct FileIOTests {
    @Test func writesReplacesAndLeavesNoTemporaryFiles() throws {
        let dir = IOTest.tempDir("atomic")
        let path = dir + "/out.bin"
        try writeAtomically([1, 2, 3], to: path)
        #expect(try readFileBytes(path) == [1, 2, 3])

        // A reader holding the old file keeps seeing it whole; new readers see the new one.
        let handle = try #require(FileHandle(forReadingAtPath: path))
        try writeAtomically([UInt8](repeating: 9, count: 100_000), to: path)
        #expect([UInt8](handle.readDataToEndOfFile()) == [1, 2, 3])
        try handle.close()
        #expect(try readFileBytes(path) == [UInt8](repeating: 9, count: 100_000))

        try writeAtomically([], to: path)
        #expect(try readFileBytes(path) == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.bin"])
    }

    @Test func badPlacesAreNamed() throws {
        let dir = IOTest.tempDir("atomic")
        try writeAtomically([1], to: dir + "/file")
        let cases: [(String, String)] = [
            (dir + "/missing/out.bin", "out.bin: the folder \(dir)/missing does not exist"),
            (dir, "\(dir) is a folder; give a file name"),
            (dir + "/file/out.bin", "\(dir)/file is a file, not a folder"),
            ("", "empty name"),
        ]
        for (path, expected) in cases {
            do { try writeAtomically([1], to: path); Issue.record("no error for \(path)") } catch let e as EngineError {
                #expect(e.isIO && e.message.contains(expected), "\(e)")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["file"])
        #expect(IOTest.failure { try readFileBytes(dir + "/nothing") } == "\(dir)/nothing: no such file")
        #expect(IOTest.failure { try readFileBytes(dir) } == "\(dir) is a folder, not a file")
    }

    /// Root may write anywhere, so this only runs for other users.
    @Test(.enabled(if: geteuid() != 0, "running as root, which ignores folder permissions"))
    func readOnlyFolderIsNamed() throws {
        let dir = IOTest.tempDir("atomic")
        chmod(dir, 0o555)
        defer { chmod(dir, 0o755) }
        let message = IOTest.failure { try writeAtomically([1], to: dir + "/out.bin") }
        #expect(message?.contains("cannot write in \(dir) (Permission denied)") == true, "\(message ?? "no error")")
        #expect(IOTest.failure { try NPY.write(Tensor(shape: [1], data: [1]), to: dir + "/x.npy") } != nil)
    }
}
