import Foundation

/// Updates the parameters of a net from the gradients its backward pass left in each
/// Linear layer. Masked weights have zero gradient and are re-zeroed after the step,
/// so they stay exactly zero however the optimizer's state evolves.
public protocol Optimizer: AnyObject {
    func step(_ net: Network)
}

/// Stochastic gradient descent with momentum and L2 weight decay, PyTorch's form:
/// g ← g + λw; v ← μv + g; w ← w − η v.
public final class SGD: Optimizer {
    public var lr: Float, momentum: Float, weightDecay: Float
    private var velocity: [[Float]] = []

    public init(lr: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.lr = lr; self.momentum = momentum; self.weightDecay = weightDecay
    }

    public func step(_ net: Network) {
        let params = net.linears.flatMap { l in [(l.weight, l.weightGrad, l.mask), (l.bias, l.biasGrad, nil)] }
        if momentum != 0 && velocity.count != params.count {
            velocity = params.map { [Float](repeating: 0, count: $0.0.count) }
        }
        let lr = lr, mu = momentum, wd = weightDecay
        for (k, (p, g, mask)) in params.enumerated() {
            // One pass per tensor: v ← μv + m⊙g + λw; w ← (w − ηv) ⊙ m (no mask: m = 1).
            p.data.withUnsafeMutableBufferPointer { w in
                g.data.withUnsafeBufferPointer { g in
                    withMaskPointer(mask) { m in
                        let wp = w.baseAddress!, gp = g.baseAddress!
                        if mu == 0 {
                            splitRange(w.count) { Kernels.sgd(wp, gp, m, lr: lr, wd: wd, $0) }
                        } else {
                            velocity[k].withUnsafeMutableBufferPointer { v in
                                let vp = v.baseAddress!
                                splitRange(w.count) { Kernels.sgdMomentum(wp, vp, gp, m, lr: lr, mu: mu, wd: wd, $0) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The mask's values, or nil for a dense tensor.
@inline(__always)
func withMaskPointer<R>(_ mask: Tensor?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let mask else { return body(nil) }
    return mask.data.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// Adam (Kingma & Ba) with bias correction and optional L2 weight decay (added to the
/// gradient, as torch.optim.Adam does). The LTH paper trains LeNet with Adam 1.2e-3.
public final class Adam: Optimizer {
    public var lr: Float, beta1: Float, beta2: Float, eps: Float, weightDecay: Float
    private var m: [[Float]] = [], v: [[Float]] = []
    private var t = 0

    public init(lr: Float, beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 0) {
        self.lr = lr; self.beta1 = beta1; self.beta2 = beta2; self.eps = eps; self.weightDecay = weightDecay
    }

    public func step(_ net: Network) {
        let params = net.linears.flatMap { l in [(l.weight, l.weightGrad, l.mask), (l.bias, l.biasGrad, nil)] }
        if m.count != params.count {
            m = params.map { [Float](repeating: 0, count: $0.0.count) }
            v = m
        }
        t += 1
        let c1 = 1 - powf(beta1, Float(t)), c2 = 1 - powf(beta2, Float(t))
        let lr = lr, b1 = beta1, b2 = beta2, eps = eps, wd = weightDecay
        for (k, (p, g, mask)) in params.enumerated() {
            p.data.withUnsafeMutableBufferPointer { w in
                g.data.withUnsafeBufferPointer { g in
                    m[k].withUnsafeMutableBufferPointer { m1 in
                        v[k].withUnsafeMutableBufferPointer { v in
                            withMaskPointer(mask) { mk in
                                let wp = w.baseAddress!, gp = g.baseAddress!, mp = m1.baseAddress!, vp = v.baseAddress!
                                splitRange(w.count) {
                                    Kernels.adam(wp, mp, vp, gp, mk, s1: lr / c1, inv2: 1 / c2, b1: b1, b2: b2, eps: eps, wd: wd, $0)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
