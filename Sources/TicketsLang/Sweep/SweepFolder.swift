import Foundation
import TicketsEngine

/// A sweep's folder: sweep.json, and one run folder per combination of the grid.
///
///     runs/experiment/
///       sweep.json                 the experiment, its script, the grid, the runs in grid
///                                  order, and every Slurm submission
///       experiment-3fa2c1d9e0b1/   a run folder (see RunFolder): settings {experiment,
///       ...                        code, args}, log.jsonl, result.json, done.json, output.log
///       slurm/                     batch scripts, Slurm's own task logs
///
/// Everything a worker needs to run its run is in the run folder's manifest, so a
/// worker is started with nothing but the folder's path.
final class SweepFolder {
    static let manifestFile = "sweep.json"

    /// A submission to Slurm: one job array, task i running runs[i].
    struct Job {
        var id: String
        var runs: [String]
        var script: String
        var submitted: String
    }

    let path: String
    var experiment: String
    /// The script that defines the experiment (absolute), or "<repl>" and the like.
    var script: String
    /// SHA-256 of the experiment's canonical code.
    var code: String
    /// {key: [values]}, in the order the sweep gave them.
    var grid: JSONValue
    /// The run folders' names, in grid order.
    var runs: [String]
    var jobs: [Job]

    init(path: String, experiment: String, script: String, code: String, grid: JSONValue, runs: [String], jobs: [Job] = []) {
        self.path = path; self.experiment = experiment; self.script = script; self.code = code
        self.grid = grid; self.runs = runs; self.jobs = jobs
    }

    var gridKeys: [String] {
        guard case .object(let members) = grid else { return [] }
        return members.map(\.key)
    }

    var manifestPath: String { (path as NSString).appendingPathComponent(SweepFolder.manifestFile) }

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(manifestFile))
    }

    static func read(_ path: String) throws -> SweepFolder {
        let file = (path as NSString).appendingPathComponent(manifestFile)
        guard FileManager.default.fileExists(atPath: file) else {
            throw TicketsError.io("\(path) is not a sweep folder (it has no \(manifestFile))")
        }
        let json = try JSONReader.parse(try readFileBytes(file), name: file, what: "the sweep manifest")
        guard json["tickets_sweep"] != nil, let experiment = json["experiment"]?.stringValue,
              let grid = json["grid"], case .array(let runList)? = json["runs"] else {
            throw TicketsError.io("\(file) is not a Tickets sweep manifest")
        }
        var jobs: [Job] = []
        if case .array(let items)? = json["jobs"] {
            for j in items {
                guard let id = j["id"]?.stringValue, case .array(let rs)? = j["runs"] else { continue }
                jobs.append(Job(id: id, runs: rs.compactMap(\.stringValue), script: j["script"]?.stringValue ?? "",
                                submitted: j["submitted"]?.stringValue ?? ""))
            }
        }
        // Run names are folders inside the sweep's: a name that climbs out of it
        // ("../../etc") would have collect() read someone else's files.
        let runs = runList.compactMap(\.stringValue)
        for name in runs + jobs.flatMap(\.runs) where !isPlainName(name) {
            throw TicketsError.io("\(file) names a run \(quoteString(name)), which is not a folder inside the sweep's (the manifest is damaged)")
        }
        return SweepFolder(path: path, experiment: experiment, script: json["script"]?.stringValue ?? "",
                           code: json["code"]?.stringValue ?? "", grid: grid, runs: runs, jobs: jobs)
    }

    func write() throws {
        let jobsJSON = JSONValue.array(jobs.map { j in
            .object([("id", .string(j.id)), ("submitted", .string(j.submitted)), ("script", .string(j.script)),
                     ("runs", .array(j.runs.map { .string($0) }))])
        })
        let m = JSONValue.object([
            ("tickets_sweep", .number("1")), ("version", .string(ticketsVersion)), ("updated", .string(RunFolder.timestamp())),
            ("experiment", .string(experiment)), ("script", .string(script)), ("code", .string(code)),
            ("grid", grid), ("runs", .array(runs.map { .string($0) })), ("jobs", jobsJSON),
        ])
        try writeAtomically(Array((m.text(indent: 2) + "\n").utf8), to: manifestPath)
    }

    /// A name of one path component: no "/", not "." or "..", not empty.
    static func isPlainName(_ s: String) -> Bool {
        !s.isEmpty && s != "." && s != ".." && !s.contains("/") && !s.contains("\0")
    }

    func runPath(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func run(_ name: String) throws -> RunFolder { try RunFolder.read(runPath(name)) }

    /// The Slurm task that ran (or runs) a run last: (job, task index).
    func lastTask(of name: String) -> (job: String, task: Int)? {
        for j in jobs.reversed() {
            if let i = j.runs.firstIndex(of: name) { return (j.id, i) }
        }
        return nil
    }
}

/// An absolute path: relative ones are taken from the working folder.
func absolutePath(_ p: String) -> String {
    let full = p.hasPrefix("/") ? p : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(p)
    return (full as NSString).standardizingPath
}
