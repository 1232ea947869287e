import CKernels
import Foundation

/// The CPU's FP32 peak, measured rather than looked up: fused multiply-adds on the
/// widest vectors the CPU has (`CPUFeatures.vectorBits`), 12 independent chains, on
/// each of the engine's threads at once. A dense epoch's FLOPs over its time, divided
/// by this, is the fraction of the machine it uses (scripts/bench prints it), a floor
/// that a slow kernel set cannot hide behind: `Floor` is timed on the same kernels as
/// the epoch, this is not.
public enum Peak {
    /// FP32 operations a second (a multiply-add counts 2) on `threads` threads.
    public static func fp32FlopsPerSecond(threads: Int = TwoWay.shared.threads, seconds: Double = 0.2) -> Double {
        let bits = CPUFeatures.current.vectorBits >= 512 ? 512 : 256
        let lanes = bits / 32, chains = 12
        var iterations = 1 << 16
        // Grow the loop until one run takes a tenth of the time asked for.
        while true {
            let t = time(threads: threads) { _ in _ = tickets_fma_loop(Int32(bits), iterations) }
            if t > seconds / 10 || iterations > 1 << 30 { break }
            iterations *= 4
        }
        var best = Double.infinity
        for _ in 0..<5 { best = min(best, time(threads: threads) { _ in _ = tickets_fma_loop(Int32(bits), iterations) }) }
        return Double(threads) * Double(iterations * chains * lanes * 2) / best
    }

    /// FLOPs of one dense training step of an MLP with `sizes` at `batch`: forward and
    /// weight gradient for every layer, input gradient for all but the first (as `Floor`).
    public static func mlpStepFlops(sizes: [Int], batch: Int) -> Double {
        let layers = Array(zip(sizes, sizes.dropFirst()))
        let weights = layers.reduce(0) { $0 + $1.0 * $1.1 }
        let inner = layers.dropFirst().reduce(0) { $0 + $1.0 * $1.1 }
        return 2 * Double(batch) * Double(2 * weights + inner)
    }

    private static func time(threads: Int, _ body: (Int) -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        if threads > 1 { TwoWay.shared.run(body) } else { body(0) }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
