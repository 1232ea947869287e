// im2col turns a convolution into a matrix product. For one sample x (C, H, W) its
// column matrix col has one row per filter tap (c, i, j) — C·KH·KW rows — and one
// column per output pixel (oh, ow) — OH·OW columns:
//
//     col[(c·KH + i)·KW + j, oh·OW + ow] = x[c, oh·stride − padding + i, ow·stride − padding + j]
//
// (zero where that position falls in the padding). Then the convolution of the sample
// is w (O, C·KH·KW) · col, an (O, OH·OW) matrix: the sample's output in NCHW order.
// col2im is its adjoint: it adds every entry of a column matrix back onto the input
// position it was read from, which is how the input gradient is formed.

/// The output columns ow in lo..<hi whose input column ow·stride − padding + tap lies
/// inside 0..<inSize (the rest read padding). Works for rows too.
@inline(__always)
func validOutputRange(tap: Int, inSize: Int, outSize: Int, stride: Int, padding: Int) -> Range<Int> {
    // Smallest ow with ow·stride ≥ padding − tap.
    let first = max(0, padding - tap)
    let lo = (first + stride - 1) / stride
    // Largest ow with ow·stride ≤ inSize − 1 + padding − tap.
    let last = inSize - 1 + padding - tap
    let hi = last < 0 ? 0 : min(outSize, last / stride + 1)
    return lo < hi ? lo..<hi : lo..<lo
}

/// x (C, H, W) → col (C·KH·KW, OH·OW), row stride `ldc` (OH·OW for a sample's own
/// matrix; N·OH·OW when the sample's block sits inside a whole-batch matrix).
/// Every entry of the block is written.
@inline(never)
func im2col(_ s: Conv2DShape, _ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, ldc: Int) {
    let outW = s.outWidth, inW = s.inWidth, step = s.stride
    for c in 0..<s.inChannels {
        let plane = x + c * s.inPlane
        for i in 0..<s.kernelHeight {
            let rows = validOutputRange(tap: i, inSize: s.inHeight, outSize: s.outHeight, stride: step, padding: s.padding)
            for j in 0..<s.kernelWidth {
                let cols = validOutputRange(tap: j, inSize: inW, outSize: outW, stride: step, padding: s.padding)
                let row = col + ((c * s.kernelHeight + i) * s.kernelWidth + j) * ldc
                for oh in 0..<s.outHeight {
                    let dst = row + oh * outW
                    guard rows.contains(oh), !cols.isEmpty else {
                        dst.update(repeating: 0, count: outW)
                        continue
                    }
                    let src = plane + (oh * step - s.padding + i) * inW   // input row ih
                    let shift = j - s.padding                              // iw = ow·stride + shift
                    dst.update(repeating: 0, count: cols.lowerBound)
                    if step == 1 {
                        (dst + cols.lowerBound).update(from: src + cols.lowerBound + shift, count: cols.count)
                    } else {
                        for ow in cols { dst[ow] = src[ow * step + shift] }
                    }
                    (dst + cols.upperBound).update(repeating: 0, count: outW - cols.upperBound)
                }
            }
        }
    }
}

/// col (C·KH·KW, OH·OW), row stride `ldc` → dx (C, H, W): dx is overwritten with the
/// sum, over every entry of col, of that entry at the input position it was read from
/// (padding positions are dropped). The adjoint of `im2col`.
@inline(never)
func col2im(_ s: Conv2DShape, _ col: UnsafePointer<Float>, ldc: Int, _ dx: UnsafeMutablePointer<Float>) {
    let outW = s.outWidth, inW = s.inWidth, step = s.stride
    dx.update(repeating: 0, count: s.inChannels * s.inPlane)
    for c in 0..<s.inChannels {
        let plane = dx + c * s.inPlane
        for i in 0..<s.kernelHeight {
            let rows = validOutputRange(tap: i, inSize: s.inHeight, outSize: s.outHeight, stride: step, padding: s.padding)
            for j in 0..<s.kernelWidth {
                let cols = validOutputRange(tap: j, inSize: inW, outSize: outW, stride: step, padding: s.padding)
                let row = col + ((c * s.kernelHeight + i) * s.kernelWidth + j) * ldc
                for oh in rows {
                    let src = row + oh * outW
                    let dst = plane + (oh * step - s.padding + i) * inW   // input row ih
                    let shift = j - s.padding                              // iw = ow·stride + shift
                    if step == 1 {   // a separate loop, so that it vectorises
                        addRow(src + cols.lowerBound, into: dst + cols.lowerBound + shift, count: cols.count)
                    } else {
                        for ow in cols { dst[ow * step + shift] += src[ow] }
                    }
                }
            }
        }
    }
}

/// dst[k] += src[k] for k in 0..<count.
@inline(never)
private func addRow(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int) {
    for k in 0..<count { dst[k] += src[k] }
}
