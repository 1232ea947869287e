// The naive pooling kernels: every tap of every window, the padding visited and
// skipped, sums in Float64. The kernels in Pool2D.swift are tested against them.

/// x (N, C, H, W) → y (N, C, OH, OW) and argmax (index ih·W + iw in the plane).
public func maxPool2dForwardReference(_ s: Pool2DShape, x: [Float]) -> (y: [Float], argmax: [Int32]) {
    var y = [Float](repeating: 0, count: s.outputCount)
    var argmax = [Int32](repeating: 0, count: s.outputCount)
    for plane in 0..<s.batch * s.channels {
        for oh in 0..<s.outHeight {
            for ow in 0..<s.outWidth {
                var best = -Float.infinity
                var bestAt: Int? = nil
                for i in 0..<s.kernelHeight {
                    for j in 0..<s.kernelWidth {
                        guard let at = s.tap(oh, ow, i, j) else { continue }
                        let v = x[plane * s.inPlane + at]
                        if bestAt == nil || v > best || v.isNaN { best = v; bestAt = at }
                    }
                }
                y[plane * s.outPlane + oh * s.outWidth + ow] = best
                argmax[plane * s.outPlane + oh * s.outWidth + ow] = Int32(bestAt ?? 0)
            }
        }
    }
    return (y, argmax)
}

/// dy (N, C, OH, OW) → dx (N, C, H, W): each dy entry goes to the input its window's
/// maximum came from (found again here, not read from the forward's argmax).
public func maxPool2dBackwardReference(_ s: Pool2DShape, x: [Float], dy: [Float]) -> [Float] {
    let (_, argmax) = maxPool2dForwardReference(s, x: x)
    var dx = [Double](repeating: 0, count: s.inputCount)
    for plane in 0..<s.batch * s.channels {
        for k in 0..<s.outPlane {
            dx[plane * s.inPlane + Int(argmax[plane * s.outPlane + k])] += Double(dy[plane * s.outPlane + k])
        }
    }
    return dx.map { Float($0) }
}

/// x (N, C, H, W) → y (N, C, OH, OW), each window's sum over KH·KW (padding counted).
public func avgPool2dForwardReference(_ s: Pool2DShape, x: [Float]) -> [Float] {
    var y = [Float](repeating: 0, count: s.outputCount)
    for plane in 0..<s.batch * s.channels {
        for oh in 0..<s.outHeight {
            for ow in 0..<s.outWidth {
                var sum = 0.0
                for i in 0..<s.kernelHeight {
                    for j in 0..<s.kernelWidth {
                        if let at = s.tap(oh, ow, i, j) { sum += Double(x[plane * s.inPlane + at]) }
                    }
                }
                y[plane * s.outPlane + oh * s.outWidth + ow] = Float(sum / Double(s.kernelHeight * s.kernelWidth))
            }
        }
    }
    return y
}

/// dy (N, C, OH, OW) → dx (N, C, H, W).
public func avgPool2dBackwardReference(_ s: Pool2DShape, dy: [Float]) -> [Float] {
    var dx = [Double](repeating: 0, count: s.inputCount)
    for plane in 0..<s.batch * s.channels {
        for oh in 0..<s.outHeight {
            for ow in 0..<s.outWidth {
                let g = Double(dy[plane * s.outPlane + oh * s.outWidth + ow]) / Double(s.kernelHeight * s.kernelWidth)
                for i in 0..<s.kernelHeight {
                    for j in 0..<s.kernelWidth {
                        if let at = s.tap(oh, ow, i, j) { dx[plane * s.inPlane + at] += g }
                    }
                }
            }
        }
    }
    return dx.map { Float($0) }
}

/// x (N, C, H, W) → y (N, C), the mean of each plane.
public func globalAvgPool2dForwardReference(_ s: Pool2DShape, x: [Float]) -> [Float] {
    (0..<s.batch * s.channels).map { plane in
        var sum = 0.0
        for k in 0..<s.inPlane { sum += Double(x[plane * s.inPlane + k]) }
        return Float(sum / Double(s.inPlane))
    }
}

/// dy (N, C) → dx (N, C, H, W).
public func globalAvgPool2dBackwardReference(_ s: Pool2DShape, dy: [Float]) -> [Float] {
    (0..<s.batch * s.channels * s.inPlane).map { k in dy[k / s.inPlane] / Float(s.inPlane) }
}

extension Pool2DShape {
    /// The index ih·W + iw in the plane of tap (i, j) of window (oh, ow), or nil in the padding.
    func tap(_ oh: Int, _ ow: Int, _ i: Int, _ j: Int) -> Int? {
        let ih = oh * strideHeight - padding + i, iw = ow * strideWidth - padding + j
        guard ih >= 0, ih < inHeight, iw >= 0, iw < inWidth else { return nil }
        return ih * inWidth + iw
    }
}
