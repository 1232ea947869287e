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
        let params = net.linears.flatMap { [($0.weight, $0.weightGrad), ($0.bias, $0.biasGrad)] }
        if momentum != 0 && velocity.count != params.count {
            velocity = params.map { [Float](repeating: 0, count: $0.0.count) }
        }
        for (k, (p, g)) in params.enumerated() {
            let n = p.count
            let lr = lr, mu = momentum, wd = weightDecay
            p.data.withUnsafeMutableBufferPointer { w in
                g.data.withUnsafeBufferPointer { g in
                    if mu == 0 {
                        for i in 0..<n { w[i] -= lr * (g[i] + wd * w[i]) }
                    } else {
                        velocity[k].withUnsafeMutableBufferPointer { v in
                            for i in 0..<n {
                                v[i] = mu * v[i] + g[i] + wd * w[i]
                                w[i] -= lr * v[i]
                            }
                        }
                    }
                }
            }
        }
        for l in net.linears { l.applyMask() }
    }
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
        let params = net.linears.flatMap { [($0.weight, $0.weightGrad), ($0.bias, $0.biasGrad)] }
        if m.count != params.count {
            m = params.map { [Float](repeating: 0, count: $0.0.count) }
            v = m
        }
        t += 1
        let c1 = 1 - powf(beta1, Float(t)), c2 = 1 - powf(beta2, Float(t))
        let lr = lr, b1 = beta1, b2 = beta2, eps = eps, wd = weightDecay
        for (k, (p, g)) in params.enumerated() {
            let n = p.count
            p.data.withUnsafeMutableBufferPointer { w in
                g.data.withUnsafeBufferPointer { g in
                    m[k].withUnsafeMutableBufferPointer { m in
                        v[k].withUnsafeMutableBufferPointer { v in
                            for i in 0..<n {
                                let gi = g[i] + wd * w[i]
                                m[i] = b1 * m[i] + (1 - b1) * gi
                                v[i] = b2 * v[i] + (1 - b2) * gi * gi
                                w[i] -= lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
                            }
                        }
                    }
                }
            }
        }
        for l in net.linears { l.applyMask() }
    }
}
