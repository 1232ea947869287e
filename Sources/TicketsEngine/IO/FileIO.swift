import Foundation

/// Reading a whole file, and writing one atomically, with errors a user can act on.

/// The bytes of the file at `path`. A missing file, a folder, or a file the process
/// may not read is an `EngineError.io` naming the path and the reason.
public func readFileBytes(_ path: String) throws -> [UInt8] {
    var info = stat()
    guard stat(path, &info) == 0 else {
        throw EngineError.io("\(path): \(errno == ENOENT ? "no such file" : systemReason(errno))")
    }
    guard (info.st_mode & S_IFMT) != S_IFDIR else {
        throw EngineError.io("\(path) is a folder, not a file")
    }
    // A device (/dev/zero), a pipe or a socket has no size to check and may never end.
    guard (info.st_mode & S_IFMT) == S_IFREG else {
        throw EngineError.io("\(path) is not a regular file (\(fileKind(info.st_mode))); give a file")
    }
    try checkFileSize(Int(info.st_size), path: path)
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { throw EngineError.io("\(path): cannot read the file (\(systemReason(errno)))") }
    defer { close(fd) }
    // The file opened is the file checked (not one swapped in since).
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
        throw EngineError.io("\(path) is not a regular file; give a file")
    }
    try checkFileSize(Int(info.st_size), path: path)

    // Read until end of file: the size from stat is a hint, not a promise. The bytes
    // stat promises go straight into the array; whatever follows, in chunks.
    let size = Int(max(0, info.st_size))
    var bytes = try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
        count = 0
        while count < size {
            let got = read(fd, buffer.baseAddress! + count, size - count)
            if got < 0 {
                if errno == EINTR { continue }
                throw EngineError.io("\(path): cannot read the file (\(systemReason(errno)))")
            }
            if got == 0 { break }
            count += got
        }
    }
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if got < 0 {
            if errno == EINTR { continue }
            throw EngineError.io("\(path): cannot read the file (\(systemReason(errno)))")
        }
        if got == 0 { break }
        bytes.append(contentsOf: chunk[0..<got])
        try checkFileSize(bytes.count, path: path)   // a file still growing as it is read
    }
    return bytes
}

/// ".NAME.tmp-": how the temporary files of a save to `path` begin (then the pid of
/// the process writing it, a random number and an attempt).
func temporaryPrefix(_ path: String) -> String {
    ".\(String((path as NSString).lastPathComponent.prefix(200))).tmp-"
}

/// Removes temporary files of saves to this name that a killed process left: ones
/// whose writer (the pid in their name) no longer runs and that are older than a
/// minute. Only names of our own pattern are touched.
func removeStaleTemporaries(in folder: String, prefix: String) {
    guard let dir = opendir(folder) else { return }
    defer { closedir(dir) }
    var stale: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        guard name.hasPrefix(prefix) else { continue }
        let parts = name.dropFirst(prefix.count).split(separator: "-")
        guard parts.count == 3, let pid = Int32(parts[0]), UInt32(parts[1]) != nil, Int(parts[2]) != nil else { continue }
        guard pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
        stale.append(name)
    }
    for name in stale {
        let p = (folder as NSString).appendingPathComponent(name)
        var info = stat()
        if lstat(p, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, time(nil) - info.st_mtim.tv_sec > 60 { unlink(p) }
    }
}

/// A file is read whole into memory: its size must fit the memory budget.
private func checkFileSize(_ size: Int, path: String) throws {
    guard size > MemoryBudget.bytes else { return }
    throw EngineError.io("\(path) is \(MemoryBudget.describe(size)), more than the memory budget of \(MemoryBudget.describe(MemoryBudget.bytes)) (TICKETS_MEMORY_MB sets it)")
}

/// "a device", "a pipe", ...: what a path that is not a regular file is.
private func fileKind(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFCHR, S_IFBLK: return "a device"
    case S_IFIFO: return "a pipe"
    case S_IFSOCK: return "a socket"
    default: return "not a plain file"
    }
}

/// Writes `bytes` to `path` so that a reader sees either the old file or the whole
/// new one, never a part: the bytes go to a temporary file in the same folder, are
/// flushed to the disk (fsync), and the temporary file is renamed over `path`.
/// A missing folder, a folder where the file should be, or a folder the process may
/// not write to is an `EngineError.io` naming the path.
public func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    guard !path.isEmpty else { throw EngineError.io("cannot write a file with an empty name") }
    let folder = (path as NSString).deletingLastPathComponent
    let folderPath = folder.isEmpty ? "." : folder

    var info = stat()
    guard stat(folderPath, &info) == 0 else {
        throw EngineError.io("\(path): \(errno == ENOENT ? "the folder \(folderPath) does not exist" : systemReason(errno))")
    }
    guard (info.st_mode & S_IFMT) == S_IFDIR else {
        throw EngineError.io("\(path): \(folderPath) is a file, not a folder")
    }
    // An existing file keeps its permissions, and one the user made read-only stays
    // as it is (rename would replace it regardless).
    var mode: mode_t = 0o644
    if stat(path, &info) == 0 {
        if (info.st_mode & S_IFMT) == S_IFDIR { throw EngineError.io("\(path) is a folder; give a file name") }
        // No write bit at all (chmod 444) counts even for root, whom access() lets write.
        if info.st_mode & 0o222 == 0 || (access(path, W_OK) != 0 && errno == EACCES) {
            throw EngineError.io("\(path) is read-only; make it writable (chmod u+w) or save under another name")
        }
        mode = info.st_mode & 0o7777
    }

    // O_EXCL: never reuse (or follow a link at) an existing temporary name. The name
    // keeps at most 200 characters of the file's, so that any legal name has room.
    let prefix = temporaryPrefix(path)
    removeStaleTemporaries(in: folderPath, prefix: prefix)
    var temporary = ""
    var fd: Int32 = -1
    for attempt in 0..<16 {
        temporary = (folderPath as NSString).appendingPathComponent("\(prefix)\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(attempt)")
        fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 || errno != EEXIST { break }
    }
    guard fd >= 0 else {
        throw EngineError.io("\(path): cannot write in \(folderPath) (\(systemReason(errno)))")
    }

    do {
        guard fchmod(fd, mode) == 0 else { throw EngineError.io("\(path): cannot set the file's permissions (\(systemReason(errno)))") }
        try writeAll(fd, bytes, path: path)
        guard fsync(fd) == 0 else { throw EngineError.io("\(path): cannot flush the file to disk (\(systemReason(errno)))") }
        guard close(fd) == 0 else {
            fd = -1
            throw EngineError.io("\(path): cannot finish writing the file (\(systemReason(errno)))")
        }
        fd = -1
        guard rename(temporary, path) == 0 else {
            throw EngineError.io("\(path): cannot replace the file (\(systemReason(errno)))")
        }
    } catch {
        if fd >= 0 { close(fd) }
        unlink(temporary)
        throw error
    }

    // Make the rename itself durable. A failure here leaves a complete file in place,
    // so it is not reported.
    let folderFD = open(folderPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if folderFD >= 0 {
        _ = fsync(folderFD)
        close(folderFD)
    }
}

/// Writes every byte, retrying short writes and interrupted calls.
func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
    try bytes.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return }
        var done = 0
        while done < raw.count {
            let n = write(fd, base + done, raw.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw EngineError.io("\(path): cannot write the file (\(systemReason(errno)))")
            }
            done += n
        }
    }
}

/// The system's sentence for an errno value ("Permission denied").
func systemReason(_ code: Int32) -> String {
    String(cString: strerror(code))
}
