/// The R passes (NN/HessianVector.swift) of a convolution, y = conv(x, W) + b, W the
/// masked weight (pruned entries zero in W, their direction masked in V):
///
///     R{y}  = conv(R{x}, W) + conv(x, V) + V_b
///     R{dx} = convᵀ(R{dy}, W) + convᵀ(dy, V)
///     R{dW} = Σₙ R{dy}[n]·col(x[n])ᵀ + dy[n]·col(R{x}[n])ᵀ,   R{db} = Σ R{dy}
///
/// on the im2col + sgemm kernels of NN/Kernels/Conv2D.swift, sample by sample.
extension Conv2D {
    // rx (B, C, H, W) -> ry (B, O, OH, OW)
    public func forwardR(_ rx: UnsafePointer<Float>, batch: Int, _ r: RPass) throws -> UnsafePointer<Float> {
        guard let x = input else { throw EngineError("hvp: \(name) has no forward pass to differentiate") }
        r.save(self, input: rx)
        let s = geometry, inSize = inputSize, outSize = outputSize
        let ry = r.buffer(self, 0, batch * outSize), tmp = r.buffer(self, 2, outSize)
        let col = r.buffer(self, 3, max(s.scratchCount(.perSample, samples: 1), 1))
        let v = r.direction(weight), vb = r.direction(bias)
        weight.value.data.withUnsafeBufferPointer { w in
            for n in 0..<batch {
                let yn = ry + n * outSize
                // conv(R{x}, W) + V_b
                conv2dForward(s, x: rx + n * inSize, weight: w.baseAddress!, bias: vb, y: yn, scratch: col)
                if let v {   // + conv(x, V)
                    conv2dForward(s, x: x + n * inSize, weight: v, bias: nil, y: tmp, scratch: col)
                    for i in 0..<outSize { yn[i] += tmp[i] }
                }
            }
        }
        return UnsafePointer(ry)
    }

    // dy, rdy (B, O, OH, OW) -> dx, rdx (B, C, H, W); R{dW} (O, C, k, k), R{db} (O) added to r.
    public func backwardR(_ dy: UnsafePointer<Float>, _ rdy: UnsafePointer<Float>, batch: Int,
                          _ r: RPass) throws -> (dx: UnsafePointer<Float>, rdx: UnsafePointer<Float>) {
        guard let x = input else { throw EngineError("hvp: \(name) has no forward pass to differentiate") }
        let rx = try r.input(self)
        let s = geometry, inSize = inputSize, outSize = outputSize
        let rdx = r.buffer(self, 1, batch * inSize), tmp = r.buffer(self, 4, inSize)
        let col = r.buffer(self, 3, max(s.scratchCount(.perSample, samples: 1), 1))
        let v = r.direction(weight)
        let rdw = r.result(weight), rdb = bias.map { r.result($0) }
        weight.value.data.withUnsafeBufferPointer { w in
            for n in 0..<batch {
                let xn = x + n * inSize, rxn = rx + n * inSize, dyn = dy + n * outSize, rdyn = rdy + n * outSize
                conv2dBackwardWeight(s, x: xn, dy: rdyn, dWeight: rdw, dBias: rdb, accumulate: true, scratch: col)
                conv2dBackwardWeight(s, x: rxn, dy: dyn, dWeight: rdw, dBias: nil, accumulate: true, scratch: col)
                let rdxn = rdx + n * inSize
                conv2dBackwardInput(s, weight: w.baseAddress!, dy: rdyn, dx: rdxn, scratch: col)
                if let v {
                    conv2dBackwardInput(s, weight: v, dy: dyn, dx: tmp, scratch: col)
                    for i in 0..<inSize { rdxn[i] += tmp[i] }
                }
            }
        }
        return (try inputGradient(self, dy, batch: batch), UnsafePointer(rdx))
    }
}
