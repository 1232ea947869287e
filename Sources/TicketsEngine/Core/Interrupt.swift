import Synchronization

/// Ctrl-C as a request, never a kill: the signal handler sets the flag; training
/// loops and the interpreter check it between steps and stop cleanly.
public enum Interrupt {
    private static let flag = Atomic<Bool>(false)

    public static var requested: Bool { flag.load(ordering: .relaxed) }
    public static func request() { flag.store(true, ordering: .relaxed) }
    public static func clear() { flag.store(false, ordering: .relaxed) }

    /// For loops that read a file or build a net: throws when Ctrl-C was pressed, so
    /// that a long load stops within moments, not when it is done.
    public static func check(_ doing: @autoclosure () -> String) throws {
        if requested { throw EngineError("interrupted while \(doing())") }
    }
}

/// A long run stopped by Ctrl-C (or a time limit), with what it finished: a training
/// run's finished epochs, the points of a curve measured so far. The language keeps
/// `partial` for the user instead of dropping it.
public struct Interrupted<Partial>: Error, @unchecked Sendable {   // thrown and caught on one thread
    public let message: String
    public let partial: Partial
    public init(_ message: String, partial: Partial) { self.message = message; self.partial = partial }
}
