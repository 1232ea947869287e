import Foundation

/// The version run folders and their logs record.
public let ticketsVersion = "Tickets 0.1"

/// A folder that holds one run of an experiment, so that no finished work is lost:
/// what defines the run (its settings), a log of what it did, and its results, each
/// written atomically (a temporary file, then a rename), so a run killed at any point
/// leaves every file either as it was or whole.
///
///     runs/imp-3fa2c1d9e0b1/
///       manifest.json   {"tickets_run": 1, "name", "hash", "settings", "version", "created", "info"}
///       log.jsonl       one JSON record per line: time, version, hash, settings, then
///                       what the run logged (the call, seeds, figures, ...)
///       done.json       written last, when the run has finished: its presence is "done"
///       failed.json     the error of a run that failed (removed when it runs again)
///       ...             results the run writes (tables as .json, nets as .safetensors)
///
/// The folder is named for the SHA-256 of the settings' canonical JSON (keys sorted),
/// so the same settings always find the same folder. A folder that exists with other
/// settings is an error, never a silent mix of two runs.
public final class RunFolder {
    public static let manifestFile = "manifest.json"
    public static let logFile = "log.jsonl"
    public static let doneFile = "done.json"
    public static let failedFile = "failed.json"

    public let path: String
    /// What the run is called (the folder's prefix): "imp", an experiment's name.
    public let name: String
    /// What defines the run: a JSON object. Its canonical text is hashed.
    public let settings: JSONValue
    /// SHA-256 of `settings.canonicalText`, 64 hexadecimal digits.
    public let hash: String
    /// What the run needs that does not define it (the script it comes from, the
    /// working folder): rewritten when a later open gives other information.
    public private(set) var info: JSONValue?
    /// How many log records make the whole run (imp: levels + 1), when known.
    public private(set) var total: Int?
    public let created: String
    /// Held by a folder opened to write in (`open`, `lock()`): no other process can
    /// write here while it lives.
    public private(set) var lock: RunLock?

    /// The first 12 digits of the hash, which name the folder.
    public var shortHash: String { String(hash.prefix(12)) }

    private init(path: String, name: String, settings: JSONValue, hash: String, info: JSONValue?, total: Int?, created: String) {
        self.path = path; self.name = name; self.settings = settings; self.hash = hash
        self.info = info; self.total = total; self.created = created
    }

    public static func hash(of settings: JSONValue) -> String { SHA256.hex(settings.canonicalText) }

    /// The folder a run of these settings lives in: root/name-<12 digits of the hash>.
    public static func defaultPath(settings: JSONValue, name: String, root: String) -> String {
        (root as NSString).appendingPathComponent("\(name)-\(hash(of: settings).prefix(12))")
    }

    /// The run folder for `settings`: `path` when given, else `defaultPath`. A new folder
    /// is made with its manifest; an existing one must hold a run of the same settings.
    /// With `lock`, the folder is this process's to write in until the `RunFolder` goes
    /// (another process that holds it makes this an error); a sweep's plan opens its
    /// runs without, and each run is locked by whoever runs it.
    public static func open(settings: JSONValue, name: String, root: String, path: String? = nil,
                            info: JSONValue? = nil, total: Int? = nil, lock: Bool = true) throws -> RunFolder {
        guard case .object = settings else { throw EngineError("a run's settings must be a record, got \(settings.kind)") }
        try checkName(name, what: "a run's name")
        let folder = path ?? defaultPath(settings: settings, name: name, root: root)
        let h = hash(of: settings)
        var held: RunLock?
        if lock {
            try makeFolder(folder)
            held = try RunLock.acquire(folder)
        }
        if FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(manifestFile)) {
            let run = try read(folder)
            run.lock = held
            guard run.settings == settings else {
                throw EngineError("\(folder) holds a run of other settings (\(differences(run.settings, settings))); give another folder, or remove this one to start over")
            }
            if (info != nil && run.info != info) || (total != nil && run.total != total) {
                if let info { run.info = info }
                if let total { run.total = total }
                try run.writeManifest()
            }
            return run
        }
        try makeFolder(folder)
        let run = RunFolder(path: folder, name: name, settings: settings, hash: h, info: info, total: total, created: timestamp())
        run.lock = held
        try run.writeManifest()
        return run
    }

    /// An existing run folder, from its manifest.
    public static func read(_ folder: String) throws -> RunFolder {
        let file = (folder as NSString).appendingPathComponent(manifestFile)
        let json = try JSONReader.parse(try readFileBytes(file), name: file, what: "the manifest")
        guard json["tickets_run"] != nil, let settings = json["settings"], case .object = settings else {
            throw EngineError.io("\(file) is not a Tickets run manifest (it lacks tickets_run or settings)")
        }
        let h = hash(of: settings)
        if let written = json["hash"]?.stringValue, written != h {
            throw EngineError.io("\(file): the settings were changed by hand (their hash is \(h.prefix(12)), the manifest says \(written.prefix(12)))")
        }
        return RunFolder(path: folder, name: json["name"]?.stringValue ?? "run", settings: settings, hash: h,
                         info: json["info"], total: json["total"]?.doubleValue.map { Int($0) },
                         created: json["created"]?.stringValue ?? "")
    }

    /// Makes the folder this process's to write in (see `RunLock`); an error naming the
    /// process that has it when another one does.
    public func lockForWriting() throws {
        if lock == nil { lock = try RunLock.acquire(path) }
    }

    /// Lets another process write here again.
    public func unlock() { lock = nil }

    private func writeManifest() throws {
        var m: [(key: String, value: JSONValue)] = [
            ("tickets_run", .number("1")), ("name", .string(name)), ("hash", .string(hash)),
            ("version", .string(ticketsVersion)), ("created", .string(created)), ("settings", settings),
        ]
        if let total { m.append(("total", .number(String(total)))) }
        if let info { m.append(("info", info)) }
        try write(Array((JSONValue.object(m).text(indent: 2) + "\n").utf8), to: RunFolder.manifestFile)
    }

    // MARK: files

    /// The path of a file in the folder. Names are plain file names: no folders, no "..".
    public func file(_ fileName: String) throws -> String {
        try RunFolder.checkName(fileName, what: "a file name in a run folder")
        return (path as NSString).appendingPathComponent(fileName)
    }

    public func has(_ fileName: String) -> Bool {
        guard let p = try? file(fileName) else { return false }
        return FileManager.default.fileExists(atPath: p)
    }

    /// Writes a file of the folder atomically.
    public func write(_ bytes: [UInt8], to fileName: String) throws {
        try writeAtomically(bytes, to: try file(fileName))
    }

    public func remove(_ fileName: String) throws {
        let p = try file(fileName)
        if FileManager.default.fileExists(atPath: p) { unlink(p) }
    }

    static func checkName(_ s: String, what: String) throws {
        guard !s.isEmpty, s != ".", s != "..", !s.contains("/"), !s.contains("\0") else {
            throw EngineError("\(what) must be a plain name without '/', got \(jsonQuoted(s))")
        }
    }

    static func makeFolder(_ folder: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw EngineError.io("cannot make the run folder \(folder) (\((error as NSError).localizedDescription))")
        }
    }

    /// "2026-01-31T12:00:00.123Z"
    public static func timestamp(_ date: Date = Date()) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }

    /// "lr is 0.1 there, 0.01 here; seed is missing here": the first few keys that differ.
    static func differences(_ there: JSONValue, _ here: JSONValue, prefix: String = "") -> String {
        guard case .object(let a) = there, case .object(let b) = here else {
            return "\(prefix.isEmpty ? "the settings" : prefix) \(brief(there)) there, \(brief(here)) here"
        }
        var out: [String] = []
        for key in (a.map(\.key) + b.map(\.key).filter { k in !a.contains { $0.key == k } }) {
            let name = prefix.isEmpty ? key : prefix + "." + key
            switch (there[key], here[key]) {
            case let (x?, y?) where x != y:
                if case .object = x, case .object = y { out.append(differences(x, y, prefix: name)) } else {
                    out.append("\(name) is \(brief(x)) there, \(brief(y)) here")
                }
            case (_?, nil): out.append("\(name) is missing here")
            case (nil, _?): out.append("\(name) is missing there")
            default: break
            }
            if out.count == 3 { break }
        }
        return out.joined(separator: "; ")
    }

    static func brief(_ v: JSONValue) -> String {
        let t = v.text()
        return t.count <= 40 ? t : String(t.prefix(37)) + "..."
    }
}
