import CKernels
import Dispatch
import Foundation
import Synchronization

/// Wraps a value the caller guarantees is used safely across threads (disjoint writes).
struct UnsafeSendable<T>: @unchecked Sendable { let value: T }

/// Runs body(0..<n) on all cores and waits. Each index must touch disjoint memory.
/// For coarse work (files); the training step uses `TwoWay`.
func parallelFor(_ n: Int, _ body: (Int) -> Void) {
    if n == 1 { body(0); return }
    withoutActuallyEscaping(body) { b in
        let box = UnsafeSendable(value: b)
        DispatchQueue.concurrentPerform(iterations: n) { i in box.value(i) }
    }
}

/// Splits fine-grained work (one matrix product of a training step, ~100 µs) between
/// this thread and one helper thread that spins while work is frequent. A woken
/// Dispatch worker takes tens of microseconds to start, which ate most of the gain;
/// a spinning one starts in well under one. After about a millisecond without work the
/// helper sleeps on a semaphore and costs nothing.
///
/// There is one per process (`shared`): the machine's cores are a process-wide resource,
/// as OpenBLAS's threads are. Its configuration is fixed when it starts: with
/// `TICKETS_THREADS=1` in the environment (a sweep runs one process per core) it starts
/// no helper and runs both halves on the calling thread.
public final class TwoWay: @unchecked Sendable {
    public static let shared = TwoWay(threads: TwoWay.threadsFromEnvironment())

    /// Multiply-adds above which a matrix product is split between the two threads
    /// (below it, the hand-off costs more than it saves).
    public static let minimumWork = 1 << 20

    /// 1 or 2: whether a helper thread runs work beside the caller.
    public let threads: Int

    private let generation = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let sleeping = Atomic<Bool>(false)
    private let busy = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    nonisolated(unsafe) private var job: ((Int) -> Void)?

    private init(threads: Int) {
        self.threads = threads
        guard threads > 1 else { return }
        let t = Thread { [unowned self] in self.helperLoop() }
        t.name = "tickets-two-way"
        t.stackSize = 16 << 20   // oneDNN's kernels run here too and want a main-thread-sized stack
        t.start()
    }

    /// Runs body(0) here and body(1) on the helper, and returns when both are done.
    /// A call made while another is running (from another thread) runs both halves here.
    public func run(_ body: (Int) -> Void) {
        guard threads > 1, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            body(0); body(1); return
        }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { b in
            job = b
            let g = generation.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
            if sleeping.load(ordering: .sequentiallyConsistent) { wake.signal() }
            b(0)
            while finished.load(ordering: .acquiring) != g { spinHint() }
            job = nil
        }
    }

    /// TICKETS_THREADS if it is 1 or 2, else 2 when the machine has two cores or more.
    static func threadsFromEnvironment() -> Int {
        if let v = ProcessInfo.processInfo.environment["TICKETS_THREADS"], let n = Int(v), n >= 1 { return min(n, 2) }
        return ProcessInfo.processInfo.activeProcessorCount >= 2 ? 2 : 1
    }

    private func helperLoop() {
        tickets_flush_denormals()
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                spinHint()
                if spins > 100_000 {
                    sleeping.store(true, ordering: .sequentiallyConsistent)
                    if generation.load(ordering: .sequentiallyConsistent) == seen { wake.wait() }
                    sleeping.store(false, ordering: .sequentiallyConsistent)
                    spins = 0
                }
            }
            seen = generation.load(ordering: .acquiring)
            job?(1)
            finished.store(seen, ordering: .releasing)
        }
    }
}

/// Runs body over 0..<n in two halves on both cores when n is large, else at once here.
/// Elementwise passes over a big layer's weights (the optimizer step) use it.
func splitRange(_ n: Int, minimum: Int = 1 << 16, _ body: (Range<Int>) -> Void) {
    if n < minimum { body(0..<n); return }
    let mid = (n / 2 + 15) & ~15
    TwoWay.shared.run { i in body(i == 0 ? 0..<mid : mid..<n) }
}

@inline(__always) private func spinHint() { tickets_cpu_relax() }

/// Runs body with denormal floats flushed to zero on the calling thread, then restores
/// the thread's mode (the helper thread of `TwoWay` flushes them always). Training runs
/// in it: denormals are ~100× slower on x86. The mode is restored because the calling
/// thread is also the interpreter's, whose numbers keep their IEEE meaning.
public func withDenormalsFlushed<T>(_ body: () throws -> T) rethrows -> T {
    let saved = tickets_fp_mode()
    tickets_flush_denormals()
    defer { tickets_set_fp_mode(saved) }
    return try body()
}
