import TicketsEngine

/// A sweep submitted to Slurm, seen from the language: what `sweep(..., backend="slurm")`
/// returns at once. status(s), wait(s) and collect(s) read its folder (and the queue).
final class SweepObject: DeclaredMembers {
    let sweep: SweepFolder
    /// The jobs this call submitted (empty: every run was done or queued already).
    let submitted: [String]
    init(_ sweep: SweepFolder, submitted: [String]) { self.sweep = sweep; self.submitted = submitted }
    var typeName: String { "sweep" }

    func describe() -> String {
        let n = sweep.runs.count
        let jobs = submitted.isEmpty ? "nothing submitted (every run is done or queued)"
            : "submitted as Slurm job\(submitted.count == 1 ? "" : "s") \(submitted.joined(separator: ", "))"
        return "sweep \(sweep.experiment)  \(n) run\(n == 1 ? "" : "s")  \(jobs)  (\(sweep.path); status(s), wait(s), collect(s))"
    }

    static let members: [Member<SweepObject>] = [
        Member("folder", "the sweep's folder") { .string($0.sweep.path) },
        Member("experiment", "the experiment's name") { .string($0.sweep.experiment) },
        Member("runs", "how many runs the grid has") { .int($0.sweep.runs.count) },
        Member("jobs", "the ids of every Slurm job submitted for the sweep") { .list($0.sweep.jobs.map { .string($0.id) }) },
        Member("grid", "the grid") { ValueJSON.value($0.sweep.grid) },
    ]
}
