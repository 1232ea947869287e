import Foundation

/// A run's log (JSON lines), its state (done, failed, unfinished) and the listing of
/// run folders under a folder.
extension RunFolder {
    public enum State: String, Sendable {
        /// done.json is there: the run finished; it is never run again.
        case done
        /// failed.json is there: the run stopped with an error; it runs again when asked.
        case failed
        /// Neither: not started, under way, or stopped (killed, Ctrl-C) before it ended.
        case unfinished
    }

    public var state: State {
        if has(RunFolder.doneFile) { return .done }
        if has(RunFolder.failedFile) { return .failed }
        return .unfinished
    }

    /// Appends one record to log.jsonl: the time, the version, the settings' hash and
    /// the settings, then `fields` (what the caller logs: the call, seeds, figures). The
    /// record is one line added with one `write` at the end of the file (O_APPEND), so
    /// records of two writers never overwrite each other; a line cut short by a killed
    /// process is ended first, and `records` skips it.
    public func log(_ fields: [(key: String, value: JSONValue)]) throws {
        var record: [(key: String, value: JSONValue)] = [
            ("time", .string(RunFolder.timestamp())), ("version", .string(ticketsVersion)),
            ("hash", .string(hash)), ("settings", settings),
        ]
        for f in fields {
            if let i = record.firstIndex(where: { $0.key == f.key }) { record[i].value = f.value } else { record.append(f) }
        }
        let name = try file(RunFolder.logFile)
        let fd = Glibc.open(name, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw EngineError.io("\(name): cannot write the log (\(systemReason(errno)))") }
        defer { close(fd) }
        var line = Array((JSONValue.object(record).text() + "\n").utf8)
        var info = stat(), last: UInt8 = 0
        if fstat(fd, &info) == 0, info.st_size > 0, pread(fd, &last, 1, info.st_size - 1) == 1, last != UInt8(ascii: "\n") {
            line.insert(UInt8(ascii: "\n"), at: 0)
        }
        try writeAll(fd, line, path: name)
        guard fsync(fd) == 0 else { throw EngineError.io("\(name): cannot flush the log to disk (\(systemReason(errno)))") }
    }

    /// The log's records, oldest first (empty when nothing was logged).
    public func records() throws -> [JSONValue] {
        guard has(RunFolder.logFile) else { return [] }
        let name = try file(RunFolder.logFile)
        let text = try readFileBytes(name)
        var out: [JSONValue] = []
        for (i, line) in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            do {
                out.append(try JSONReader.parse(Array(line), name: name, what: "line \(i + 1)"))
            } catch {
                // A record a killed writer cut short lacks its closing brace: it is
                // skipped. A whole line that does not read is damage, and an error.
                if line.last == UInt8(ascii: "}") { throw error }
            }
        }
        return out
    }

    /// Marks the run finished: done.json, written after every result, with `fields`
    /// (how long it took, where its results are). failed.json of an earlier try goes.
    public func markDone(_ fields: [(key: String, value: JSONValue)] = []) throws {
        try write(Array((JSONValue.object([("time", .string(RunFolder.timestamp()))] + fields).text(indent: 2) + "\n").utf8),
                  to: RunFolder.doneFile)
        try remove(RunFolder.failedFile)
    }

    /// Records that the run stopped with an error.
    public func markFailed(_ message: String, _ fields: [(key: String, value: JSONValue)] = []) throws {
        let record = JSONValue.object([("time", .string(RunFolder.timestamp())), ("error", .string(message))] + fields)
        try write(Array((record.text(indent: 2) + "\n").utf8), to: RunFolder.failedFile)
    }

    /// The error of a failed run.
    public var failure: String? {
        guard has(RunFolder.failedFile), let p = try? file(RunFolder.failedFile), let bytes = try? readFileBytes(p),
              let json = try? JSONReader.parse(bytes, name: p, what: "the file") else { return nil }
        return json["error"]?.stringValue
    }

    /// What done.json says (nil until the run is done).
    public var doneRecord: JSONValue? {
        guard let p = try? file(RunFolder.doneFile), let bytes = try? readFileBytes(p) else { return nil }
        return try? JSONReader.parse(bytes, name: p, what: "the file")
    }

    /// The run folders under `root` (itself included), at most `depth` folders down,
    /// sorted by path. Hidden folders are skipped; a folder whose manifest cannot be
    /// read is listed in `unreadable` with the reason.
    public static func list(under root: String, depth: Int = 3) -> (runs: [RunFolder], unreadable: [(path: String, reason: String)]) {
        var runs: [RunFolder] = [], bad: [(String, String)] = []
        func visit(_ folder: String, _ level: Int) {
            if FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(manifestFile)) {
                do { runs.append(try read(folder)) } catch { bad.append((folder, "\(error)")) }
                return
            }
            guard level < depth, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
            for n in names.sorted() where !n.hasPrefix(".") {
                let sub = (folder as NSString).appendingPathComponent(n)
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: sub, isDirectory: &isDir), isDir.boolValue { visit(sub, level + 1) }
            }
        }
        visit(root, 0)
        return (runs.sorted { $0.path < $1.path }, bad)
    }
}
