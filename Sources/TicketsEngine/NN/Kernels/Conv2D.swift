// The fast 2-D convolution: im2col (Im2col.swift) and one OpenBLAS product per sample
// (this file) or per batch (Conv2D+WholeBatch.swift); the naive loops it is tested
// against are in Conv2DReference.swift. Layout and threading rules: Layout.swift.
//
// All pointers are to whole tensors (sample 0); `samples` picks the samples a call
// works on, `outChannels` the output channels, both default to all. `scratch` is
// `shape.scratchCount(strategy, samples: samples.count)` Floats the caller owns, so a
// training step allocates nothing; nil allocates (and frees) it inside the call.
//
// Concurrency: calls on disjoint `samples` ranges (each with its own scratch) may run
// at once in conv2dForward and conv2dBackwardInput. conv2dBackwardWeight sums over
// samples, so concurrent calls either write to separate partial dW/db buffers (then
// `addPartialGradients`) or take disjoint `outChannels` ranges of the same dW/db.
// conv2dForward may also be split by `outChannels` (each call then unfolds the same
// samples again, so splitting by samples is cheaper).

/// y = conv(x, w) + b.
/// x (N, C, H, W), w (O, C, KH, KW), b (O) or nil → y (N, O, OH, OW), written for the
/// given samples and output channels only.
public func conv2dForward(_ s: Conv2DShape, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                          bias: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>,
                          samples: Range<Int>? = nil, outChannels: Range<Int>? = nil,
                          strategy: Conv2DStrategy = .perSample, scratch: UnsafeMutablePointer<Float>? = nil) {
    let samples = checkedRange(samples, s.batch), outChannels = checkedRange(outChannels, s.outChannels)
    withScratch(s.scratchCount(strategy, samples: samples.count), scratch) { col in
        switch strategy {
        case .perSample:
            conv2dForwardPerSample(s, x, weight, bias, y, samples, outChannels, col)
        case .wholeBatch:
            conv2dForwardWholeBatch(s, x, weight, bias, y, samples, outChannels, col)
        }
    }
}

/// The gradients of y = conv(x, w) + b for a gradient dy of y.
/// x (N, C, H, W), w (O, C, KH, KW), dy (N, O, OH, OW) → dx (N, C, H, W) when dx is
/// not nil (overwritten, for the given samples); dW (O, C, KH, KW) and, when not nil,
/// db (O): the sums over the given samples, added to what is there when `accumulate`,
/// else written over it. One scratch serves both passes.
public func conv2dBackward(_ s: Conv2DShape, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                           dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>?,
                           dWeight: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>?,
                           samples: Range<Int>? = nil, accumulate: Bool = false,
                           strategy: Conv2DStrategy = .perSample, scratch: UnsafeMutablePointer<Float>? = nil) {
    let samples = checkedRange(samples, s.batch)
    withScratch(s.scratchCount(strategy, samples: samples.count), scratch) { col in
        conv2dBackwardWeight(s, x: x, dy: dy, dWeight: dWeight, dBias: dBias, samples: samples,
                             accumulate: accumulate, strategy: strategy, scratch: col)
        if let dx {
            conv2dBackwardInput(s, weight: weight, dy: dy, dx: dx, samples: samples,
                                strategy: strategy, scratch: col)
        }
    }
}

/// dW = Σₙ dy[n] · col(x[n])ᵀ and db = Σₙ Σ_pixels dy[n], over the given samples,
/// for the given output channels' rows of dW and entries of db.
/// x (N, C, H, W), dy (N, O, OH, OW) → dW (O, C, KH, KW), db (O) or nil.
public func conv2dBackwardWeight(_ s: Conv2DShape, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                 dWeight: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>?,
                                 samples: Range<Int>? = nil, outChannels: Range<Int>? = nil,
                                 accumulate: Bool = false, strategy: Conv2DStrategy = .perSample,
                                 scratch: UnsafeMutablePointer<Float>? = nil) {
    let samples = checkedRange(samples, s.batch), outChannels = checkedRange(outChannels, s.outChannels)
    if !accumulate {
        (dWeight + outChannels.lowerBound * s.kernelVolume).update(repeating: 0, count: outChannels.count * s.kernelVolume)
        if let dBias { (dBias + outChannels.lowerBound).update(repeating: 0, count: outChannels.count) }
    }
    withScratch(s.scratchCount(strategy, samples: samples.count), scratch) { col in
        switch strategy {
        case .perSample:
            conv2dBackwardWeightPerSample(s, x, dy, dWeight, dBias, samples, outChannels, col)
        case .wholeBatch:
            conv2dBackwardWeightWholeBatch(s, x, dy, dWeight, dBias, samples, outChannels, col)
        }
    }
}

/// dx[n] = col2im(wᵀ · dy[n]) for the given samples (overwritten).
/// w (O, C, KH, KW), dy (N, O, OH, OW) → dx (N, C, H, W).
public func conv2dBackwardInput(_ s: Conv2DShape, weight: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                dx: UnsafeMutablePointer<Float>, samples: Range<Int>? = nil,
                                strategy: Conv2DStrategy = .perSample, scratch: UnsafeMutablePointer<Float>? = nil) {
    let samples = checkedRange(samples, s.batch)
    withScratch(s.scratchCount(strategy, samples: samples.count), scratch) { col in
        switch strategy {
        case .perSample:
            conv2dBackwardInputPerSample(s, weight, dy, dx, samples, col)
        case .wholeBatch:
            conv2dBackwardInputWholeBatch(s, weight, dy, dx, samples, col)
        }
    }
}

// MARK: - Per sample

private func conv2dForwardPerSample(_ s: Conv2DShape, _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
                                    _ b: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>,
                                    _ samples: Range<Int>, _ outChannels: Range<Int>, _ col: UnsafeMutablePointer<Float>) {
    let plane = s.outPlane, volume = s.kernelVolume, o0 = outChannels.lowerBound
    for n in samples {
        let xn = x + n * s.inChannels * s.inPlane
        let yn = y + n * s.outChannels * plane
        if !s.isPointwise { im2col(s, xn, col, ldc: plane) }
        if let b {
            for o in outChannels { (yn + o * plane).update(repeating: b[o], count: plane) }
        }
        // y[n][o0..<o1] (o, OH·OW) (+)= w[o0..<o1] (o, C·KH·KW) · col (C·KH·KW, OH·OW)
        gemm(transA: false, transB: false, m: outChannels.count, n: plane, k: volume,
             w + o0 * volume, lda: volume, s.isPointwise ? xn : UnsafePointer(col), ldb: plane,
             beta: b == nil ? 0 : 1, yn + o0 * plane, ldc: plane)
    }
}

private func conv2dBackwardWeightPerSample(_ s: Conv2DShape, _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                           _ dw: UnsafeMutablePointer<Float>, _ db: UnsafeMutablePointer<Float>?,
                                           _ samples: Range<Int>, _ outChannels: Range<Int>,
                                           _ col: UnsafeMutablePointer<Float>) {
    let plane = s.outPlane, volume = s.kernelVolume, o0 = outChannels.lowerBound
    for n in samples {
        let xn = x + n * s.inChannels * s.inPlane
        let dyn = dy + n * s.outChannels * plane
        if !s.isPointwise { im2col(s, xn, col, ldc: plane) }
        // dW[o0..<o1] (o, C·KH·KW) += dy[n][o0..<o1] (o, OH·OW) · colᵀ (OH·OW, C·KH·KW)
        gemm(transA: false, transB: true, m: outChannels.count, n: volume, k: plane,
             dyn + o0 * plane, lda: plane, s.isPointwise ? xn : UnsafePointer(col), ldb: plane,
             beta: 1, dw + o0 * volume, ldc: volume)
        if let db {
            for o in outChannels { db[o] += planeSum(dyn + o * plane, count: plane) }
        }
    }
}

private func conv2dBackwardInputPerSample(_ s: Conv2DShape, _ w: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                          _ dx: UnsafeMutablePointer<Float>, _ samples: Range<Int>,
                                          _ col: UnsafeMutablePointer<Float>) {
    let plane = s.outPlane, volume = s.kernelVolume
    for n in samples {
        let dxn = dx + n * s.inChannels * s.inPlane
        // dcol (C·KH·KW, OH·OW) = wᵀ (C·KH·KW, O) · dy[n] (O, OH·OW); pointwise, dcol is dx[n].
        gemm(transA: true, transB: false, m: volume, n: plane, k: s.outChannels,
             w, lda: volume, dy + n * s.outChannels * plane, ldb: plane,
             s.isPointwise ? dxn : col, ldc: plane)
        if !s.isPointwise { col2im(s, col, ldc: plane, dxn) }
    }
}

// MARK: - Helpers

/// Σ p[0..<count], in Float (one output plane: hundreds of values).
@inline(never)
func planeSum(_ p: UnsafePointer<Float>, count: Int) -> Float {
    var sum: Float = 0
    for i in 0..<count { sum += p[i] }
    return sum
}

/// The range a kernel works on: all of 0..<count when nil.
func checkedRange(_ r: Range<Int>?, _ count: Int) -> Range<Int> {
    guard let r else { return 0..<count }
    // Internal invariant: layers split 0..<count themselves; a script never passes a range.
    precondition(r.lowerBound >= 0 && r.upperBound <= count, "kernel range \(r) outside 0..<\(count)")
    return r
}

/// Runs body with the caller's scratch, or with `count` Floats allocated for the call.
func withScratch(_ count: Int, _ given: UnsafeMutablePointer<Float>?,
                 _ body: (UnsafeMutablePointer<Float>) -> Void) {
    if let given { body(given); return }
    let owned = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
    defer { owned.deallocate() }
    body(owned)
}
