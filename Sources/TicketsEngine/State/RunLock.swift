import Foundation
import Synchronization

/// The one process that writes a run folder: an exclusive `flock` on the folder's
/// `.lock` file, held while this object lives, which also names its holder ("pid 4242
/// since 2026-12-07T17:02:11.000Z") for whoever finds it taken.
///
/// The kernel drops the lock when the holder ends, however it ends (Ctrl-C, kill -9, a
/// crash), so a stale lock never blocks a folder. Within one process the lock of a
/// folder is shared: a session that opens a folder twice (`r = run_folder(s)` typed
/// again, `imp(folder=...)` inside a sweep's run) does not lock itself out.
public final class RunLock: @unchecked Sendable {
    public static let fileName = ".lock"

    /// The folder's real path, which identifies the lock within this process.
    public let folder: String
    private let fd: Int32

    private static let held = Mutex<[String: WeakLock]>([:])
    private struct WeakLock: @unchecked Sendable { weak var lock: RunLock? }

    private init(folder: String, fd: Int32) { self.folder = folder; self.fd = fd }

    deinit {
        RunLock.held.withLock { held in
            if held[folder]?.lock == nil { held[folder] = nil }
        }
        close(fd)   // releases the flock
    }

    /// Takes the lock of `folder` without waiting: an error naming the process that
    /// holds it when another process does.
    public static func acquire(_ folder: String) throws -> RunLock {
        guard let real = realpath(folder, nil) else {
            throw EngineError.io("cannot lock the run folder \(folder) (\(systemReason(errno)))")
        }
        let key = String(cString: real)
        free(real)
        return try held.withLock { held in
            if let mine = held[key]?.lock { return mine }
            let path = (key as NSString).appendingPathComponent(fileName)
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard fd >= 0 else {
                throw EngineError.io("cannot lock the run folder \(folder) (\(path): \(systemReason(errno)))")
            }
            var r: Int32
            repeat { r = flock(fd, LOCK_EX | LOCK_NB) } while r != 0 && errno == EINTR
            guard r == 0 else {
                let why = errno
                let holder = readHolder(fd)
                close(fd)
                if why == EWOULDBLOCK {
                    throw EngineError("the run folder \(folder) is in use by \(holder ?? "another process"); wait for it to finish, or stop it")
                }
                throw EngineError.io("cannot lock the run folder \(folder) (\(systemReason(why)))")
            }
            // The holder's name, for the error another process will show.
            let text = Array("pid \(getpid()) since \(RunFolder.timestamp())\n".utf8)
            if ftruncate(fd, 0) == 0 { _ = pwrite(fd, text, text.count, 0) }
            let lock = RunLock(folder: key, fd: fd)
            held[key] = WeakLock(lock: lock)
            return lock
        }
    }

    /// "pid 4242 since 2026-12-07T17:02:11.000Z", as the holder wrote it.
    private static func readHolder(_ fd: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 200)
        let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard got > 0 else { return nil }
        let text = String(decoding: buffer[0..<got], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("pid "), !text.contains("\n") else { return nil }
        return text.replacingOccurrences(of: " since ", with: ", since ")
    }
}
