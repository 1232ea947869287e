import Synchronization

/// Ctrl-C as a request, never a kill: the signal handler sets the flag; training
/// loops and the interpreter check it between steps and stop cleanly.
public enum Interrupt {
    private static let flag = Atomic<Bool>(false)

    public static var requested: Bool { flag.load(ordering: .relaxed) }
    public static func request() { flag.store(true, ordering: .relaxed) }
    public static func clear() { flag.store(false, ordering: .relaxed) }
}
