import Foundation
import TicketsEngine

/// Sweeps: an experiment over a grid of arguments, one run folder per combination,
/// on this machine or on a Slurm cluster, merged into one table.
func sweepBuiltins() -> [BuiltinGroup] {
    [BuiltinGroup("Runs and sweeps", runBuiltins() + [
        Builtin("sweep", [
            .any("experiment", what: "function", "a function of keyword arguments defined in a script, returning a table or a record"),
            .record("grid", what: "a record of lists like {lr: [0.01, 0.1], seed: [0, 1, 2]}", optional: false, "the values of each argument to vary: every combination is one run"),
            .optionalInt("workers", min: 0, "local: runs at a time, each in a tks process of its own (default 1; 0: one by one in this session); slurm: array tasks at a time (default: no limit)"),
            .choice("backend", ["local", "slurm"], "local", "where the runs run"),
            .optionalString("folder", "the sweep's folder (default runs/<the experiment's name>)"),
            .optionalString("partition", "slurm: the partition"),
            .optionalString("time", "slurm: the wall time of a run, as \"30\" (minutes) or \"2:00:00\""),
            .optionalInt("cpus", min: 1, "slurm: cores per run (default 1); the run's engine threads follow"),
            .optionalString("mem", "slurm: memory per run, as \"4G\""),
            Param("sbatch", .list(what: "a list of strings"), default: .list([]), "slurm: more #SBATCH lines, as [\"--account=lab\"]"),
            .bool("wait", false, "slurm: wait for the runs and return the table (else return the sweep at once)"),
            .optionalString("tks", "the tks command workers run (default: this one; on a cluster, a path every node can reach)"),
            .bool("quiet", false, "no progress line"),
        ], doc: """
        Runs an experiment once per combination of the grid and returns one table: the
        grid's columns, then the experiment's results (a table per run, stacked with the
        grid's values repeated). Each run has its own run folder (runs/<experiment>/
        <experiment>-<hash of its name, code and arguments>); a finished run is never
        run again, so calling the same sweep after Ctrl-C, a crash or a grown grid runs
        only what is missing. A failed run is reported, the others go on, and the table
        shows it with its error.
          fn experiment(lr=0.1, seed=0) ... return {acc: r.acc} end
          t = sweep(experiment, grid={lr: [0.01, 0.1], seed: 0..2}, workers=2)
        backend="local": workers=N runs N at a time, each in a tks process of its own
        (a crash or Ctrl-C of one loses nothing of the others), with N × threads ≤ cores.
        Each worker runs the script that defines the experiment from the top to its
        sweep call, then the run: keep costly work inside the experiment or after the
        sweep. workers=0 runs in this session (the only way for an experiment typed at
        the prompt). An experiment with a parameter `run` receives its run folder.
        backend="slurm": one job array (sbatch), one task per unfinished run, in the same
        folder (which must be on a file system the nodes share); returns a sweep at once
        (wait=true: waits and returns the table). status(s), wait(s), collect(s). Calling
        it again submits only the runs neither finished nor queued. docs/sweeps.md.
        """, validate: checkSweepOptions) { a in try runSweep(a) },
        Builtin("status", [
            .any("sweep", what: "sweep or folder", "a sweep (from sweep(..., backend=\"slurm\")) or its folder"),
        ], doc: """
        Where each run of a sweep stands, as a table: the grid's columns, state
        ("done", "failed", "running", "pending", "stopped" when its Slurm task ended
        before it finished, "waiting" when not started or submitted), the Slurm task,
        seconds (of a finished run) and error. The run folders are the authority; the
        queue (squeue) tells pending from running.
        """) { a in
            let sweep = try sweepFolder(a)
            let statuses = try SweepCollect.statuses(sweep)
            a.ctx.announce("sweep \(sweep.experiment): " + SweepCollect.summary(statuses))
            return .object(SweepCollect.statusTable(sweep, statuses))
        },
        Builtin("collect", [
            .any("sweep", what: "sweep or folder", "a sweep or its folder"),
        ], doc: """
        The merged table of a sweep's finished runs (and its failed ones, with their
        error), as sweep returns it; runs still under way are left out.
        """) { a in
            .object(try SweepCollect.table(try sweepFolder(a)).table)
        },
        Builtin("wait", [
            .any("sweep", what: "sweep or folder", "a sweep or its folder"),
            .number("every", 2, .positive, "seconds between looks at the queue"),
            .bool("quiet", false, "no progress line"),
        ], doc: """
        Waits until no run of the sweep is pending or running, showing done / running /
        pending / failed and the time left, then returns collect(sweep). Ctrl-C stops
        the waiting; the runs go on.
        """) { a in
            let sweep = try sweepFolder(a)
            _ = try SweepSlurm.wait(sweep, a.ctx, every: try a.number("every"), quiet: try a.bool("quiet"))
            return .object(try SweepCollect.table(sweep).table)
        },
    ])]
}

/// The sweep an argument names: a sweep value, or a folder holding sweep.json.
func sweepFolder(_ a: Args) throws -> SweepFolder {
    switch try a.value("sweep") {
    case .object(let s as SweepObject): return try SweepFolder.read(s.sweep.path)
    case .string(let path): return try SweepFolder.read(absolutePath(path))
    case let v: throw a.fail("sweep", "must be a sweep (from sweep(..., backend=\"slurm\")) or its folder, got \(describeBrief(v))")
    }
}

/// Options that belong to the other backend are mistakes.
func checkSweepOptions(_ a: Args) throws {
    let slurmOnly = ["partition", "time", "cpus", "mem", "wait"]
    if try a.string("backend") == "local" {
        for name in slurmOnly where a.has(name) {
            throw a.fail(name, "is for backend=\"slurm\"; this sweep runs locally")
        }
        if !(try a.list("sbatch")).items.isEmpty { throw a.fail("sbatch", "is for backend=\"slurm\"; this sweep runs locally") }
    } else if a.has("workers"), try a.int("workers") < 1 {
        throw a.fail("workers", "must be at least 1 with backend=\"slurm\" (the most array tasks at a time), got \(try a.int("workers"))")
    }
    for (i, line) in (try a.list("sbatch")).items.enumerated() {
        guard case .string = line else { throw a.fail("sbatch", "must hold strings, got \(describeBrief(line)) at [\(i)]") }
    }
}

func runSweep(_ a: Args) throws -> Value {
    guard let interp = a.ctx as? Interpreter else { throw a.fail("needs an interpreter") }
    guard a.ctx.writesFiles else { throw a.fail("cannot run a sweep: writing files is turned off in this session") }
    let experiment = try a.value("experiment")
    let settings = a.ctx.settings
    switch settings.sweepRole {
    case .worker(let runPath):
        return try SweepWorker.reach(a, interp, experiment: experiment, runPath: runPath)
    case .command(let o):
        return try sweepWithOptions(a, interp, experiment, overrides: o)
    case .normal:
        return try sweepWithOptions(a, interp, experiment, overrides: SweepOverrides())
    }
}

func sweepWithOptions(_ a: Args, _ interp: Interpreter, _ experiment: Value, overrides o: SweepOverrides) throws -> Value {
    let backend = try o.backend ?? a.string("backend")
    let workers = try o.workers ?? a.optionalInt("workers")
    let folder = try o.folder ?? a.optionalString("folder")
    let quiet = try a.bool("quiet")
    let scriptSettings = a.ctx.settings.values
    let plan = try SweepPlan.make(experiment: experiment, grid: try a.record("grid")!, folder: folder,
                                  scriptSettings: scriptSettings, needsScript: backend == "slurm" || (workers ?? 1) > 0, a: a)
    if backend == "local" {
        let n = workers ?? 1
        do {
            if n == 0 {
                try SweepLocal.inSession(plan, interp, quiet: quiet, at: a.callLoc)
            } else {
                try SweepLocal.withWorkers(plan, interp, workers: n, tks: try tksCommand(o.tks ?? a.optionalString("tks"), a),
                                           quiet: quiet, at: a.callLoc)
            }
        } catch let e as TicketsError where interp.interrupted {
            // The finished runs, merged as collect would: the statement binds them.
            if let done = try? SweepCollect.table(plan.folder).table {
                interp.interruptedWith(.object(done), "the \(done.rows.count) finished run\(done.rows.count == 1 ? "" : "s")")
            }
            throw e
        }
        return .object(try SweepCollect.table(plan.folder).table)
    }

    var options = Slurm.Options(jobName: "tks-" + plan.experiment.name)
    options.partition = try o.partition ?? a.optionalString("partition")
    options.time = try o.time ?? a.optionalString("time")
    options.cpus = try o.cpus ?? a.optionalInt("cpus") ?? 1
    options.mem = try o.mem ?? a.optionalString("mem")
    options.extra = try a.list("sbatch").items.compactMap { if case .string(let s) = $0 { return s } else { return nil } } + o.sbatch
    options.throttle = workers
    let tks = try tksCommand(o.tks ?? a.optionalString("tks"), a)
    let (jobs, count) = try SweepSlurm.submit(plan, options: options, tks: tks)
    let handle = SweepObject(plan.folder, submitted: jobs)
    if !quiet {
        let what = jobs.isEmpty ? "every run is done or queued; nothing submitted"
            : "\(count) run\(count == 1 ? "" : "s") submitted as Slurm job\(jobs.count == 1 ? "" : "s") \(jobs.joined(separator: ", "))"
        interp.progress("sweep \(plan.experiment.name): \(what) (\(plan.folder.path))", redraw: false, done: true)
    }
    if try o.wait ?? a.bool("wait") {
        // A look at the queue reads every run folder: less often for large sweeps.
        _ = try SweepSlurm.wait(plan.folder, a.ctx, every: plan.runs.count <= 50 ? 0.5 : 5, quiet: quiet)
        return .object(try SweepCollect.table(plan.folder).table)
    }
    if case .command = a.ctx.settings.sweepRole {
        throw SweepStop(message: handle.describe() + "\nwhen it is done: tks collect \(plan.folder.path)", status: 0)
    }
    return .object(handle)
}

/// The tks command workers run: given, else $TKS_BIN, else this program when it is tks.
func tksCommand(_ given: String?, _ a: Args) throws -> String {
    if let given { return absolutePath(given) }
    if let env = ProcessInfo.processInfo.environment["TKS_BIN"], !env.isEmpty { return absolutePath(env) }
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
       (exe as NSString).lastPathComponent == "tks" {
        return exe
    }
    throw a.fail("tks", "is needed: this program is not tks, so say which tks command the workers run, as tks=\"/path/to/tks\"")
}
