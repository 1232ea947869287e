// How the image layers share a batch between the two cores. A convolution or a
// pooling treats each sample on its own, so the batch splits into two halves of
// samples, each run by one thread with its own scratch; the weight gradient, a sum
// over samples, is summed per thread into its own partial buffer and the two are
// added when the gradient is handed to the parameter. Batch norm needs all the
// samples of a channel at once, so it splits by channel instead (`splitChannels`).

/// Runs body(thread, samples) for the two halves of 0..<batch on both cores when the
/// work (multiply-adds or values touched) pays for the hand-off, else body(0, 0..<batch)
/// here. Returns how many threads' scratch was used (1 or 2). The halves must write
/// disjoint memory apart from their thread's own scratch.
@discardableResult
func splitSamples(_ batch: Int, work: Int, _ body: (_ thread: Int, _ samples: Range<Int>) -> Void) -> Int {
    if batch < 2 || work < TwoWay.minimumWork || TwoWay.shared.threads < 2 {
        body(0, 0..<batch)
        return 1
    }
    let mid = (batch + 1) / 2
    TwoWay.shared.run { i in body(i, i == 0 ? 0..<mid : mid..<batch) }
    return 2
}

/// Runs body over two halves of 0..<channels on both cores when the values touched
/// (`work`) pay for it, else over all channels here.
func splitChannels(_ channels: Int, work: Int, _ body: (Range<Int>) -> Void) {
    if channels < 2 || work < TwoWay.minimumWork / 4 || TwoWay.shared.threads < 2 {
        body(0..<channels)
        return
    }
    let mid = channels / 2
    TwoWay.shared.run { i in body(i == 0 ? 0..<mid : mid..<channels) }
}

/// The per-thread partial sums of one parameter's gradient, allocated once for the
/// layer's life. Each thread zeroes its part and adds its samples' gradients to it;
/// `deliver` then hands part 0 + part 1 to the parameter through
/// `Parameter.accumulateGradient` (its gradient, or its value for a fused SGD update).
final class PartialGradient {
    let count: Int
    private let parts: [Buffer]

    init(count: Int) {
        self.count = count
        parts = [Buffer(count), Buffer(count)]
    }

    /// Thread `thread`'s part, zeroed.
    func zeroedPart(_ thread: Int) -> UnsafeMutablePointer<Float> {
        let p = parts[thread].ptr
        p.update(repeating: 0, count: count)
        return p
    }

    /// Gives the parameter the sum of the parts the first `threads` threads filled.
    func deliver(to parameter: Parameter, threads: Int) {
        let a = UnsafePointer(parts[0].ptr)
        let b: UnsafePointer<Float>? = threads > 1 ? UnsafePointer(parts[1].ptr) : nil
        let n = count
        parameter.accumulateGradient { g, alpha, beta in
            splitRange(n) { Kernels.addParts(a, b, alpha: alpha, beta: beta, into: g, $0) }
        }
    }
}

extension Kernels {
    /// g[i] = α·(a[i] + b[i]) + β·g[i] (b nil counts as zero; β = 0 overwrites g, so
    /// whatever it held, even NaN, is gone).
    @inline(never)
    static func addParts(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>?, alpha: Float, beta: Float,
                         into g: UnsafeMutablePointer<Float>, _ r: Range<Int>) {
        switch (b, beta == 0) {
        case (let b?, true): for i in r { g[i] = alpha * (a[i] + b[i]) }
        case (let b?, false): for i in r { g[i] = alpha * (a[i] + b[i]) + beta * g[i] }
        case (nil, true): for i in r { g[i] = alpha * a[i] }
        case (nil, false): for i in r { g[i] = alpha * a[i] + beta * g[i] }
        }
    }
}

/// A kernel geometry for a batch the net has already checked (`Network.largestBatch`
/// bounds every batch the trainer and evaluation run), so making it cannot fail.
func checkedGeometry<T>(_ make: () throws -> T) -> T {
    do { return try make() } catch {
        // Internal invariant: Trainer and Trainer.evaluate keep batches within
        // Network.largestBatch, which is what the geometry checks.
        preconditionFailure("a layer was given a batch beyond Network.largestBatch: \(error)")
    }
}
