import Foundation

/// A program started beside this one: a sweep's worker (a `tks` process running one
/// run), or a short command such as `sbatch`. Started with posix_spawn, waited for
/// with waitpid: no threads, no signal handlers.
///
/// A worker runs in a process group of its own, so Ctrl-C at the terminal reaches
/// only the parent, which then decides what its workers do; a worker that crashes
/// takes nothing else with it.
public final class ChildProcess {
    public let pid: pid_t
    /// The exit code once the process has ended; 128 + the signal's number when a
    /// signal ended it (as shells report it).
    public private(set) var exitStatus: Int32?

    private init(pid: pid_t) { self.pid = pid }

    /// Starts `executable` (a path; with `searchPath`, a name looked up in PATH) with
    /// `arguments`. `environment` replaces the process's environment when given.
    /// Standard input is /dev/null; standard output and error go to `output` (a file,
    /// appended to) or, when nil, to `stdoutFile` and `stderrFile`.
    public static func start(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                             output: String? = nil, stdoutFile: String? = nil, stderrFile: String? = nil,
                             ownProcessGroup: Bool = true, searchPath: Bool = false) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let outFlags = O_WRONLY | O_CREAT | O_APPEND
        if let output {
            posix_spawn_file_actions_addopen(&actions, 1, output, outFlags, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            if let stdoutFile { posix_spawn_file_actions_addopen(&actions, 1, stdoutFile, outFlags, 0o644) }
            if let stderrFile { posix_spawn_file_actions_addopen(&actions, 2, stderrFile, outFlags, 0o644) }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with no signal blocked and Ctrl-C at its default action,
        // whatever this process does with them.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if ownProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = environment ?? ProcessInfo.processInfo.environment
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }

        var pid: pid_t = 0
        let rc = searchPath
            ? posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
            : posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            if rc == ENOENT { throw EngineError("\(executable): command not found\(searchPath ? " (it is not on PATH)" : "")") }
            throw EngineError("cannot start \(executable) (\(systemReason(rc)))")
        }
        return ChildProcess(pid: pid)
    }

    /// Whether the process has ended (without waiting); then `exitStatus` is set.
    @discardableResult
    public func poll() -> Bool {
        if exitStatus != nil { return true }
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid { exitStatus = ChildProcess.decode(status); return true }
        if r < 0 && errno != EINTR { exitStatus = 127; return true }   // not our child any more
        return false
    }

    /// Waits until the process ends and returns its exit status.
    @discardableResult
    public func wait() -> Int32 {
        while exitStatus == nil {
            var status: Int32 = 0
            let r = waitpid(pid, &status, 0)
            if r == pid { exitStatus = ChildProcess.decode(status) } else if r < 0 && errno != EINTR { exitStatus = 127 }
        }
        return exitStatus!
    }

    /// Sends a signal to the process (and its group, when it has one of its own).
    public func signal(_ sig: Int32) {
        guard exitStatus == nil else { return }
        if kill(-pid, sig) != 0 { kill(pid, sig) }
    }

    static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// What a short command printed, and how it ended.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// Standard error, else standard output, trimmed: what to show when it failed.
    public var message: String {
        let e = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        return e.isEmpty ? stdout.trimmingCharacters(in: .whitespacesAndNewlines) : e
    }
}

/// Runs a command found on PATH (`sbatch`, `squeue`) to its end, capturing what it
/// prints, and stops it after `timeout` seconds. A command that is not installed is an
/// error saying so.
public func runCommand(_ name: String, _ arguments: [String], environment: [String: String]? = nil,
                       timeout: Double = 60) throws -> CommandResult {
    let folder = NSTemporaryDirectory()
    let tag = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let out = (folder as NSString).appendingPathComponent("tickets-cmd-\(tag).out")
    let err = (folder as NSString).appendingPathComponent("tickets-cmd-\(tag).err")
    defer { unlink(out); unlink(err) }
    let child = try ChildProcess.start(name, arguments, environment: environment, stdoutFile: out, stderrFile: err,
                                       ownProcessGroup: false, searchPath: !name.contains("/"))
    let deadline = Date().addingTimeInterval(timeout)
    while !child.poll() {
        if Date() > deadline {
            child.signal(SIGKILL)
            child.wait()
            throw EngineError("\(name) did not answer within \(Int(timeout)) s")
        }
        usleep(10_000)
    }
    let text = { (p: String) in (try? readFileBytes(p)).map { String(decoding: $0, as: UTF8.self) } ?? "" }
    return CommandResult(status: child.exitStatus ?? 127, stdout: text(out), stderr: text(err))
}
