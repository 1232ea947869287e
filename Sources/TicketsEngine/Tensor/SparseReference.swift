/// Naive dense references for the sparse kernels (SparseKernels.swift), in the usual
/// batch-major layout and Double accumulation: the masked Linear layer written as
/// plainly as possible. Tests check each fast kernel against the one here.
public enum SparseReference {
    /// y (B, out) = x·(m⊙W)ᵀ + b. x (B, in), W and m (out, in) row-major, b (out) or nil.
    public static func forward(x: [Float], weights: [Float], mask: [Float], bias: [Float]?,
                               batch: Int, inputs: Int, outputs: Int) -> [Float] {
        var y = [Float](repeating: 0, count: batch * outputs)
        for b in 0..<batch {
            for r in 0..<outputs {
                var s = Double(bias?[r] ?? 0)
                for c in 0..<inputs where mask[r * inputs + c] != 0 {
                    s += Double(weights[r * inputs + c]) * Double(x[b * inputs + c])
                }
                y[b * outputs + r] = Float(s)
            }
        }
        return y
    }

    /// dx (B, in) = dy·(m⊙W). dy (B, out), W and m (out, in).
    public static func inputGradient(dy: [Float], weights: [Float], mask: [Float],
                                     batch: Int, inputs: Int, outputs: Int) -> [Float] {
        var dx = [Float](repeating: 0, count: batch * inputs)
        for b in 0..<batch {
            for c in 0..<inputs {
                var s = 0.0
                for r in 0..<outputs where mask[r * inputs + c] != 0 {
                    s += Double(dy[b * outputs + r]) * Double(weights[r * inputs + c])
                }
                dx[b * inputs + c] = Float(s)
            }
        }
        return dx
    }

    /// dW (out, in) = m⊙(dyᵀ·x): the weight gradient, zero at pruned weights.
    /// dy (B, out), x (B, in), m (out, in).
    public static func weightGradient(dy: [Float], x: [Float], mask: [Float],
                                      batch: Int, inputs: Int, outputs: Int) -> [Float] {
        var g = [Float](repeating: 0, count: outputs * inputs)
        for r in 0..<outputs {
            for c in 0..<inputs where mask[r * inputs + c] != 0 {
                var s = 0.0
                for b in 0..<batch { s += Double(dy[b * outputs + r]) * Double(x[b * inputs + c]) }
                g[r * inputs + c] = Float(s)
            }
        }
        return g
    }
}
