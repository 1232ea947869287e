// The whole-batch layout of the fast convolution (`Conv2DStrategy.wholeBatch`): the
// column matrices of all the samples a call works on sit side by side in one
// (C·KH·KW, M·OH·OW) matrix, M = samples.count, so each pass is one big product.
// The output of that product is (O, M·OH·OW), channel-major across the batch, so it
// is reordered into NCHW (forward) or gathered from it (backward); that copy, and the
// column matrix growing with M, are what this layout costs over the per-sample one.
//
// Scratch: col (C·KH·KW, M·OH·OW) then out (O, M·OH·OW), as `Conv2DShape.scratchCount`.

func conv2dForwardWholeBatch(_ s: Conv2DShape, _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
                             _ b: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>,
                             _ samples: Range<Int>, _ outChannels: Range<Int>, _ scratch: UnsafeMutablePointer<Float>) {
    let plane = s.outPlane, volume = s.kernelVolume, width = samples.count * plane
    let col = scratch, out = scratch + volume * width
    unfoldBatch(s, x, samples, col, width: width)
    // out[o0..<o1] (o, M·OH·OW) = w[o0..<o1] (o, C·KH·KW) · col (C·KH·KW, M·OH·OW)
    let o0 = outChannels.lowerBound
    gemm(transA: false, transB: false, m: outChannels.count, n: width, k: volume,
         w + o0 * volume, lda: volume, col, ldb: width, out + o0 * width, ldc: width)
    // y[n, o] = out[o, block of n] + b[o]
    for (k, n) in samples.enumerated() {
        for o in outChannels {
            copyAddingConstant(out + o * width + k * plane, b?[o] ?? 0,
                               y + (n * s.outChannels + o) * plane, count: plane)
        }
    }
}

func conv2dBackwardWeightWholeBatch(_ s: Conv2DShape, _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                    _ dw: UnsafeMutablePointer<Float>, _ db: UnsafeMutablePointer<Float>?,
                                    _ samples: Range<Int>, _ outChannels: Range<Int>,
                                    _ scratch: UnsafeMutablePointer<Float>) {
    let plane = s.outPlane, volume = s.kernelVolume, width = samples.count * plane
    let col = scratch, dout = scratch + volume * width
    unfoldBatch(s, x, samples, col, width: width)
    gatherBatch(s, dy, samples, outChannels, dout, width: width)
    // dW[o0..<o1] (o, C·KH·KW) += dout[o0..<o1] (o, M·OH·OW) · colᵀ (M·OH·OW, C·KH·KW)
    let o0 = outChannels.lowerBound
    gemm(transA: false, transB: true, m: outChannels.count, n: volume, k: width,
         dout + o0 * width, lda: width, col, ldb: width, beta: 1, dw + o0 * volume, ldc: volume)
    if let db {
        for o in outChannels { db[o] += planeSum(dout + o * width, count: width) }
    }
}

func conv2dBackwardInputWholeBatch(_ s: Conv2DShape, _ w: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                   _ dx: UnsafeMutablePointer<Float>, _ samples: Range<Int>,
                                   _ scratch: UnsafeMutablePointer<Float>) {
    let plane = s.outPlane, volume = s.kernelVolume, width = samples.count * plane
    let dcol = scratch, dout = scratch + volume * width
    gatherBatch(s, dy, samples, 0..<s.outChannels, dout, width: width)
    // dcol (C·KH·KW, M·OH·OW) = wᵀ (C·KH·KW, O) · dout (O, M·OH·OW)
    gemm(transA: true, transB: false, m: volume, n: width, k: s.outChannels,
         w, lda: volume, dout, ldb: width, dcol, ldc: width)
    for (k, n) in samples.enumerated() {
        col2im(s, dcol + k * plane, ldc: width, dx + n * s.inChannels * s.inPlane)
    }
}

/// x (N, C, H, W) → col (C·KH·KW, M·OH·OW): sample n's column matrix in the block of
/// columns k·OH·OW..<(k+1)·OH·OW, where k is n's place in `samples`.
private func unfoldBatch(_ s: Conv2DShape, _ x: UnsafePointer<Float>, _ samples: Range<Int>,
                         _ col: UnsafeMutablePointer<Float>, width: Int) {
    for (k, n) in samples.enumerated() {
        im2col(s, x + n * s.inChannels * s.inPlane, col + k * s.outPlane, ldc: width)
    }
}

/// dy (N, O, OH, OW) → dout (O, M·OH·OW) for the given output channels.
private func gatherBatch(_ s: Conv2DShape, _ dy: UnsafePointer<Float>, _ samples: Range<Int>,
                         _ outChannels: Range<Int>, _ dout: UnsafeMutablePointer<Float>, width: Int) {
    let plane = s.outPlane
    for (k, n) in samples.enumerated() {
        for o in outChannels {
            (dout + o * width + k * plane).update(from: dy + (n * s.outChannels + o) * plane, count: plane)
        }
    }
}

/// dst[i] = src[i] + c
@inline(never)
func copyAddingConstant(_ src: UnsafePointer<Float>, _ c: Float, _ dst: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { dst[i] = src[i] + c }
}
