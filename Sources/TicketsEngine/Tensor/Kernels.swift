import CKernels

/// Elementwise kernels over raw pointers, on a range of indices. They are separate,
/// non-inlined functions on purpose: a loop inside a closure that captures buffer
/// pointers is not vectorised by the compiler (measured 2.5× slower), a loop here is.
enum Kernels {
    /// w ⊙= m
    @inline(never)
    static func maskMultiply(_ w: UnsafeMutablePointer<Float>, _ m: UnsafePointer<Float>, _ r: Range<Int>) {
        for i in r { w[i] *= m[i] }
    }

    /// out[i] = Float(bytes[i]) · scale (pixels to Floats as a batch is gathered)
    @inline(never)
    static func bytesToFloats(_ bytes: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<Float>, count: Int, scale: Float) {
        tickets_bytes_to_floats(bytes, out, count, scale)
    }

    /// SGD without momentum: w ← (w − η(g⊙m + λw)) ⊙ m; m nil means all ones.
    @inline(never)
    static func sgd(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafePointer<Float>?,
                    lr: Float, wd: Float, _ r: Range<Int>) {
        if let m {
            for i in r { w[i] = (w[i] - lr * (g[i] * m[i] + wd * w[i])) * m[i] }
        } else {
            for i in r { w[i] -= lr * (g[i] + wd * w[i]) }
        }
    }

    /// SGD with Nesterov momentum, PyTorch's form: d = g⊙m + λw; v ← μv + d;
    /// w ← (w − η(d + μv)) ⊙ m.
    @inline(never)
    static func sgdNesterov(_ w: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                            _ m: UnsafePointer<Float>?, lr: Float, mu: Float, wd: Float, _ r: Range<Int>) {
        if let m {
            for i in r {
                let d = g[i] * m[i] + wd * w[i]
                v[i] = mu * v[i] + d
                w[i] = (w[i] - lr * (d + mu * v[i])) * m[i]
            }
        } else {
            for i in r {
                let d = g[i] + wd * w[i]
                v[i] = mu * v[i] + d
                w[i] -= lr * (d + mu * v[i])
            }
        }
    }

    /// SGD with momentum: v ← μv + g⊙m + λw; w ← (w − ηv) ⊙ m.
    @inline(never)
    static func sgdMomentum(_ w: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                            _ m: UnsafePointer<Float>?, lr: Float, mu: Float, wd: Float, _ r: Range<Int>) {
        if let m {
            for i in r {
                v[i] = mu * v[i] + g[i] * m[i] + wd * w[i]
                w[i] = (w[i] - lr * v[i]) * m[i]
            }
        } else {
            for i in r {
                v[i] = mu * v[i] + g[i] + wd * w[i]
                w[i] -= lr * v[i]
            }
        }
    }

    /// Adam with bias correction folded into s1 = η/(1 − β1ᵗ) and inv2 = 1/(1 − β2ᵗ);
    /// the loop is in C (CKernels) so that its square root vectorises.
    static func adam(_ w: UnsafeMutablePointer<Float>, _ m1: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
                     _ g: UnsafePointer<Float>, _ m: UnsafePointer<Float>?,
                     s1: Float, inv2: Float, b1: Float, b2: Float, eps: Float, wd: Float, _ r: Range<Int>) {
        tickets_adam(w, m1, v, g, m, s1, inv2, b1, b2, eps, wd, r.lowerBound, r.upperBound)
    }

    /// AdamW: Adam with decoupled weight decay, decay = η·λ (see CKernels).
    static func adamw(_ w: UnsafeMutablePointer<Float>, _ m1: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
                      _ g: UnsafePointer<Float>, _ m: UnsafePointer<Float>?,
                      s1: Float, inv2: Float, b1: Float, b2: Float, eps: Float, decay: Float, _ r: Range<Int>) {
        tickets_adamw(w, m1, v, g, m, s1, inv2, b1, b2, eps, decay, r.lowerBound, r.upperBound)
    }
}
