import Foundation

/// Slurm, from its command-line clients: a job array whose task i runs one program on
/// the i-th of a list of run folders, submitted with `sbatch`, watched with `squeue`,
/// stopped with `scancel`. Nothing here needs Slurm's accounting (sacct): a task's
/// fate comes from the queue while Slurm remembers it, and from the run folders (done.json,
/// failed.json) for good.
public enum Slurm {
    /// What a job array asks of the cluster.
    public struct Options: Sendable {
        public var jobName: String
        public var partition: String?
        /// Wall time per task, as Slurm writes it: "30", "2:00:00", "1-00:00:00".
        public var time: String?
        /// Cores per task; the program gets TICKETS_THREADS from it.
        public var cpus: Int = 1
        /// Memory per task: "4G", "500M".
        public var mem: String?
        /// More directives, with or without "#SBATCH " in front: "--account=lab".
        public var extra: [String] = []
        /// At most this many tasks at a time (the array's "%N").
        public var throttle: Int?
        public init(jobName: String) { self.jobName = jobName }
    }

    /// Slurm's own log of each task (what the program prints goes to the run folder's
    /// output.log instead): an absolute path, as sbatch needs, with %A (the array's job
    /// id) and %a (the task).
    public static func taskLogPattern(in folder: String) -> String {
        (absolutePath(folder) as NSString).appendingPathComponent("%A_%a.out")
    }

    /// The batch script of a job array over `runs` (absolute folders): task i changes to
    /// `workingFolder` and runs `command` + [runs[i]], its output appended to
    /// runs[i]/output.log.
    public static func batchScript(_ o: Options, command: [String], runs: [String], workingFolder: String,
                                   logFolder: String, title: String) -> String {
        var lines = [
            "#!/bin/bash",
            "# \(title)",
            "# Written by Tickets; submit it again with: sbatch <this file>",
            "#SBATCH --job-name=\(o.jobName)",
            "#SBATCH --array=0-\(runs.count - 1)" + (o.throttle.map { "%\($0)" } ?? ""),
            "#SBATCH --output=\(taskLogPattern(in: logFolder))",
            "#SBATCH --cpus-per-task=\(o.cpus)",
        ]
        if let p = o.partition { lines.append("#SBATCH --partition=\(p)") }
        if let t = o.time { lines.append("#SBATCH --time=\(t)") }
        if let m = o.mem { lines.append("#SBATCH --mem=\(m)") }
        for e in o.extra {
            let line = e.trimmingCharacters(in: .whitespaces)
            lines.append(line.hasPrefix("#SBATCH") ? line : "#SBATCH " + line)
        }
        lines += [
            "",
            "# One engine thread per core Slurm gave the task.",
            "export TICKETS_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"",
            "cd \(shellQuoted(workingFolder)) || exit 1",
            "case \"$SLURM_ARRAY_TASK_ID\" in",
        ]
        for (i, run) in runs.enumerated() { lines.append("  \(i)) run=\(shellQuoted(run)) ;;") }
        lines += [
            "  *) echo \"no run for array task $SLURM_ARRAY_TASK_ID\" >&2; exit 64 ;;",
            "esac",
            "exec " + command.map(shellQuoted).joined(separator: " ") + " \"$run\" >> \"$run/output.log\" 2>&1",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// Submits a batch script; returns the job's id. sbatch missing or refusing is an
    /// error carrying its own message.
    public static func submit(script path: String, environment: [String: String]? = nil) throws -> String {
        let r: CommandResult
        do {
            r = try runCommand("sbatch", ["--parsable", path], environment: environment, timeout: 120)
        } catch let e as EngineError where e.message.hasPrefix("sbatch: command not found") {
            throw EngineError("cannot submit to Slurm: sbatch is not installed here (is this a Slurm login node? scripts/slurm-local starts a one-node cluster on this machine)")
        }
        guard r.status == 0 else {
            throw EngineError("sbatch failed (exit \(r.status)): \(r.message)")
        }
        // --parsable prints "1234" or "1234;cluster".
        let id = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first.map(String.init) ?? ""
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw EngineError("sbatch did not print a job id; it printed: \(r.message)")
        }
        return id
    }

    /// One array task as the queue shows it.
    public struct TaskState: Sendable, Equatable {
        public var job: String
        public var task: Int
        /// PENDING, RUNNING, COMPLETED, CANCELLED, TIMEOUT, FAILED, OUT_OF_MEMORY, ...
        public var state: String
        public init(job: String, task: Int, state: String) { self.job = job; self.task = task; self.state = state }
        public var isActive: Bool { Slurm.activeStates.contains(state) }
    }

    /// States in which a task has not ended yet.
    public static let activeStates: Set<String> = ["PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "REQUEUED",
                                                    "RESIZING", "SUSPENDED", "STAGE_OUT", "SIGNALING", "REQUEUE_HOLD",
                                                    "REQUEUE_FED", "RESV_DEL_HOLD"]

    /// The tasks of these array jobs that Slurm still remembers (finished ones stay for
    /// MinJobAge, 5 minutes by default). A job it has forgotten is simply absent.
    public static func queue(jobs: [String], environment: [String: String]? = nil) throws -> [TaskState] {
        guard !jobs.isEmpty else { return [] }
        let r = try runCommand("squeue", ["-h", "-r", "-t", "all", "-j", jobs.joined(separator: ","), "-o", "%F|%K|%T"],
                               environment: environment, timeout: 60)
        if r.status != 0 {
            if r.message.contains("Invalid job id") { return [] }
            throw EngineError("squeue failed (exit \(r.status)): \(r.message)")
        }
        return parseQueue(r.stdout)
    }

    /// Lines "1234|3|RUNNING" as squeue -o "%F|%K|%T" prints them.
    public static func parseQueue(_ text: String) -> [TaskState] {
        text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count == 3, let task = Int(f[1]) else { return nil }
            return TaskState(job: f[0], task: task, state: f[2])
        }
    }

    /// Cancels array tasks ("1234_3") or whole jobs ("1234").
    public static func cancel(_ ids: [String], environment: [String: String]? = nil) throws {
        guard !ids.isEmpty else { return }
        let r = try runCommand("scancel", ids, environment: environment, timeout: 60)
        guard r.status == 0 else { throw EngineError("scancel failed (exit \(r.status)): \(r.message)") }
    }

    /// A word as bash reads it literally: 'it'\''s'.
    public static func shellQuoted(_ s: String) -> String {
        if !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }), s.allSatisfy(\.isASCII) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func absolutePath(_ p: String) -> String {
        p.hasPrefix("/") ? p : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(p)
    }
}
