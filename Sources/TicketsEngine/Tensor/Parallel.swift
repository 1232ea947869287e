import Dispatch
import Foundation
import Synchronization
import CBLAS

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
public final class TwoWay: @unchecked Sendable {
    public static let shared = TwoWay()

    private let generation = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let sleeping = Atomic<Bool>(false)
    private let busy = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    nonisolated(unsafe) private var job: ((Int) -> Void)?

    private init() {
        let t = Thread { [unowned self] in self.helperLoop() }
        t.name = "tickets-two-way"
        t.start()
    }

    /// Runs body(0) here and body(1) on the helper, and returns when both are done.
    /// A call made while another is running (from another thread) runs both halves here.
    public func run(_ body: (Int) -> Void) {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
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
