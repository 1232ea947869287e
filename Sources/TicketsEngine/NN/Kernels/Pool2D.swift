import CKernels

// Max, average and global average pooling over NCHW images (Layout.swift), the
// geometry in Pool2DShape. The naive references are in Pool2DReference.swift.
//
// Every kernel works on a range of samples (all when nil) and writes only those
// samples' outputs, so calls on disjoint ranges may run at once.

/// y[n, c, oh, ow] = max of x[n, c] over the window; argmax keeps where it was.
/// x (N, C, H, W) → y (N, C, OH, OW), argmax (N, C, OH, OW) holding ih·W + iw, the
/// index within the sample's channel plane (PyTorch's `return_indices` convention).
/// Padding counts as −∞; on ties the first in row-major order wins, a NaN wins over
/// any number (as PyTorch's CPU kernel).
public func maxPool2dForward(_ s: Pool2DShape, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                             argmax: UnsafeMutablePointer<Int32>, samples: Range<Int>? = nil) {
    let samples = checkedRange(samples, s.batch)
    let first = samples.lowerBound * s.channels, planes = samples.count * s.channels
    if s.kernelHeight == 2 && s.kernelWidth == 2 && s.strideHeight == 2 && s.strideWidth == 2 && s.padding == 0 {
        // The common window (LeNet, VGG, Conv-2/4/6), in C: CKernels/pool.c.
        tickets_maxpool2x2(x + first * s.inPlane, y + first * s.outPlane, argmax + first * s.outPlane,
                           planes, s.inHeight, s.inWidth, s.outHeight, s.outWidth)
        return
    }
    for plane in first..<first + planes {
        maxPoolPlane(s, x + plane * s.inPlane, y + plane * s.outPlane, argmax + plane * s.outPlane)
    }
}

/// dx[n, c, argmax] += dy[n, c, oh, ow]; dx is overwritten for the given samples
/// (zero where no window chose the input).
/// dy (N, C, OH, OW), argmax (N, C, OH, OW) from the forward pass → dx (N, C, H, W).
public func maxPool2dBackward(_ s: Pool2DShape, dy: UnsafePointer<Float>, argmax: UnsafePointer<Int32>,
                              dx: UnsafeMutablePointer<Float>, samples: Range<Int>? = nil) {
    let samples = checkedRange(samples, s.batch)
    for plane in samples.lowerBound * s.channels..<samples.upperBound * s.channels {
        let dxp = dx + plane * s.inPlane, dyp = dy + plane * s.outPlane, at = argmax + plane * s.outPlane
        dxp.update(repeating: 0, count: s.inPlane)
        for k in 0..<s.outPlane { dxp[Int(at[k])] += dyp[k] }
    }
}

/// y[n, c, oh, ow] = (sum of x[n, c] over the window) / (KH·KW).
/// x (N, C, H, W) → y (N, C, OH, OW). The divisor is the full window even where it
/// overlaps the padding: PyTorch's default `count_include_pad=True`.
public func avgPool2dForward(_ s: Pool2DShape, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                             samples: Range<Int>? = nil) {
    let samples = checkedRange(samples, s.batch)
    let scale = 1 / Float(s.kernelHeight * s.kernelWidth)
    for plane in samples.lowerBound * s.channels..<samples.upperBound * s.channels {
        let xp = x + plane * s.inPlane, yp = y + plane * s.outPlane
        for oh in 0..<s.outHeight {
            let rows = s.window(oh, stride: s.strideHeight, kernel: s.kernelHeight, inSize: s.inHeight)
            for ow in 0..<s.outWidth {
                let cols = s.window(ow, stride: s.strideWidth, kernel: s.kernelWidth, inSize: s.inWidth)
                var sum: Float = 0
                for ih in rows { for iw in cols { sum += xp[ih * s.inWidth + iw] } }
                yp[oh * s.outWidth + ow] = sum * scale
            }
        }
    }
}

/// dx[n, c, ih, iw] = Σ over the windows holding (ih, iw) of dy / (KH·KW); overwritten
/// for the given samples. dy (N, C, OH, OW) → dx (N, C, H, W).
public func avgPool2dBackward(_ s: Pool2DShape, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>,
                              samples: Range<Int>? = nil) {
    let samples = checkedRange(samples, s.batch)
    let scale = 1 / Float(s.kernelHeight * s.kernelWidth)
    for plane in samples.lowerBound * s.channels..<samples.upperBound * s.channels {
        let dxp = dx + plane * s.inPlane, dyp = dy + plane * s.outPlane
        dxp.update(repeating: 0, count: s.inPlane)
        for oh in 0..<s.outHeight {
            let rows = s.window(oh, stride: s.strideHeight, kernel: s.kernelHeight, inSize: s.inHeight)
            for ow in 0..<s.outWidth {
                let cols = s.window(ow, stride: s.strideWidth, kernel: s.kernelWidth, inSize: s.inWidth)
                let g = dyp[oh * s.outWidth + ow] * scale
                for ih in rows { for iw in cols { dxp[ih * s.inWidth + iw] += g } }
            }
        }
    }
}

/// y[n, c] = mean of x[n, c] over the plane: `nn.AdaptiveAvgPool2d(1)` followed by a
/// flatten. x (N, C, H, W) → y (N, C). The shape is `Pool2DShape(globalOver:…)` (its
/// kernel is the plane; a shape with a smaller kernel is read as its input size only).
public func globalAvgPool2dForward(_ s: Pool2DShape, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                                   samples: Range<Int>? = nil) {
    let samples = checkedRange(samples, s.batch)
    let scale = 1 / Float(s.inPlane)
    for plane in samples.lowerBound * s.channels..<samples.upperBound * s.channels {
        y[plane] = planeSum(x + plane * s.inPlane, count: s.inPlane) * scale
    }
}

/// dx[n, c, h, w] = dy[n, c] / (H·W), overwritten for the given samples.
/// dy (N, C) → dx (N, C, H, W).
public func globalAvgPool2dBackward(_ s: Pool2DShape, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>,
                                    samples: Range<Int>? = nil) {
    let samples = checkedRange(samples, s.batch)
    let scale = 1 / Float(s.inPlane)
    for plane in samples.lowerBound * s.channels..<samples.upperBound * s.channels {
        (dx + plane * s.inPlane).update(repeating: dy[plane] * scale, count: s.inPlane)
    }
}

/// One (n, c) plane of max pooling: x (H, W) → y (OH, OW), argmax (OH, OW).
@inline(never)
private func maxPoolPlane(_ s: Pool2DShape, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                          _ argmax: UnsafeMutablePointer<Int32>) {
    for oh in 0..<s.outHeight {
        let rows = s.window(oh, stride: s.strideHeight, kernel: s.kernelHeight, inSize: s.inHeight)
        for ow in 0..<s.outWidth {
            let cols = s.window(ow, stride: s.strideWidth, kernel: s.kernelWidth, inSize: s.inWidth)
            var best = -Float.infinity
            var bestAt = rows.lowerBound * s.inWidth + cols.lowerBound
            for ih in rows {
                for iw in cols {
                    let v = x[ih * s.inWidth + iw]
                    if v > best || v.isNaN { best = v; bestAt = ih * s.inWidth + iw }
                }
            }
            y[oh * s.outWidth + ow] = best
            argmax[oh * s.outWidth + ow] = Int32(bestAt)
        }
    }
}
