// The naive 2-D convolution: the definition, loop by loop, with Float64 sums. Slow
// and obviously right; the fast kernels in Conv2D.swift are tested against it.

/// y[n, o, oh, ow] = b[o] + Σ_{c, i, j} w[o, c, i, j] · x[n, c, oh·s − p + i, ow·s − p + j]
/// (terms outside the image are zero).
/// x (N, C, H, W), w (O, C, KH, KW), b (O) or nil → y (N, O, OH, OW).
public func conv2dForwardReference(_ s: Conv2DShape, x: [Float], weight: [Float], bias: [Float]?) -> [Float] {
    var y = [Float](repeating: 0, count: s.outputCount)
    for n in 0..<s.batch {
        for o in 0..<s.outChannels {
            for oh in 0..<s.outHeight {
                for ow in 0..<s.outWidth {
                    var sum = Double(bias?[o] ?? 0)
                    for c in 0..<s.inChannels {
                        for i in 0..<s.kernelHeight {
                            for j in 0..<s.kernelWidth {
                                guard let at = s.inputIndex(n, c, oh, ow, i, j) else { continue }
                                sum += Double(weight[s.weightIndex(o, c, i, j)]) * Double(x[at])
                            }
                        }
                    }
                    y[s.outputIndex(n, o, oh, ow)] = Float(sum)
                }
            }
        }
    }
    return y
}

/// The gradients of `conv2dForwardReference` for a gradient dy of its output, by
/// sending each dy entry back along every product that formed it.
/// x (N, C, H, W), w (O, C, KH, KW), dy (N, O, OH, OW) → dx (N, C, H, W), dW (O, C, KH, KW), db (O).
public func conv2dBackwardReference(_ s: Conv2DShape, x: [Float], weight: [Float], dy: [Float])
    -> (dx: [Float], dWeight: [Float], dBias: [Float]) {
    var dx = [Double](repeating: 0, count: s.inputCount)
    var dw = [Double](repeating: 0, count: s.weightCount)
    var db = [Double](repeating: 0, count: s.outChannels)
    for n in 0..<s.batch {
        for o in 0..<s.outChannels {
            for oh in 0..<s.outHeight {
                for ow in 0..<s.outWidth {
                    let g = Double(dy[s.outputIndex(n, o, oh, ow)])
                    db[o] += g
                    for c in 0..<s.inChannels {
                        for i in 0..<s.kernelHeight {
                            for j in 0..<s.kernelWidth {
                                guard let at = s.inputIndex(n, c, oh, ow, i, j) else { continue }
                                let k = s.weightIndex(o, c, i, j)
                                dx[at] += g * Double(weight[k])
                                dw[k] += g * Double(x[at])
                            }
                        }
                    }
                }
            }
        }
    }
    return (dx.map { Float($0) }, dw.map { Float($0) }, db.map { Float($0) })
}

extension Conv2DShape {
    /// The index in x of the input that tap (i, j) of output pixel (oh, ow) reads in
    /// channel c of sample n, or nil when it falls in the padding.
    func inputIndex(_ n: Int, _ c: Int, _ oh: Int, _ ow: Int, _ i: Int, _ j: Int) -> Int? {
        let ih = oh * stride - padding + i, iw = ow * stride - padding + j
        guard ih >= 0, ih < inHeight, iw >= 0, iw < inWidth else { return nil }
        return ((n * inChannels + c) * inHeight + ih) * inWidth + iw
    }

    func outputIndex(_ n: Int, _ o: Int, _ oh: Int, _ ow: Int) -> Int {
        ((n * outChannels + o) * outHeight + oh) * outWidth + ow
    }

    func weightIndex(_ o: Int, _ c: Int, _ i: Int, _ j: Int) -> Int {
        ((o * inChannels + c) * kernelHeight + i) * kernelWidth + j
    }
}
