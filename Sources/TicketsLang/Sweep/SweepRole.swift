/// How this process takes part in sweeps. The `tks` command sets it; a session
/// started any other way is `.normal`.
public enum SweepRole {
    /// sweep() runs sweeps as its arguments say.
    case normal
    /// `tks --sweep-worker RUN`: this process exists to do one run. The script is run
    /// from the top; the first sweep() of the run's experiment does the run in this
    /// session and stops the script (`SweepStop`). Sweeps of other experiments start
    /// nothing: they return what their folders hold.
    case worker(run: String)
    /// `tks sweep lesson.tks --slurm ...`: the command line's options win over the
    /// script's own; a sweep submitted without waiting stops the script (`SweepStop`).
    case command(SweepOverrides)
}

/// The options of `tks sweep` (nil: the script's own).
public struct SweepOverrides {
    public var backend: String?
    public var workers: Int?
    public var folder: String?
    public var partition: String?
    public var time: String?
    public var cpus: Int?
    public var mem: String?
    public var sbatch: [String] = []
    public var wait: Bool?
    public var tks: String?
    public init() {}
}

/// Stops a script successfully: a worker has done its run, or `tks sweep` has
/// submitted a sweep to Slurm. `message` is what the command prints last.
public struct SweepStop: Error {
    public let message: String?
    /// The exit status: 0, the worker's run failed (70), or another process is running
    /// it (`inUse`).
    public let status: Int32
    /// A worker's exit status when its run folder is locked by another process
    /// (EX_TEMPFAIL): the run is neither done nor failed here.
    public static let inUse: Int32 = 75
}
