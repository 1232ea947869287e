import Foundation

/// Adam (Kingma & Ba) with bias correction. Weight decay is L2 (added to the gradient,
/// as torch.optim.Adam does) or, with `decoupled`, AdamW's (Loshchilov & Hutter: the
/// weights shrink by η·λ each step, as torch.optim.AdamW does). The LTH paper trains
/// LeNet with Adam 1.2e-3.
public final class Adam: Optimizer {
    public let parameters: [Parameter]
    public var lr: Float
    public private(set) var beta1: Float, beta2: Float, eps: Float, weightDecay: Float
    public let decoupled: Bool
    private var m: [[Float]], v: [[Float]]
    /// Steps taken (bias correction uses it).
    public private(set) var t = 0

    public init(_ parameters: [Parameter], lr: Float, beta1: Float = 0.9, beta2: Float = 0.999,
                eps: Float = 1e-8, weightDecay: Float = 0, decoupled: Bool = false) {
        self.parameters = parameters
        self.lr = lr; self.beta1 = beta1; self.beta2 = beta2; self.eps = eps; self.weightDecay = weightDecay
        self.decoupled = decoupled
        m = parameters.map { [Float](repeating: 0, count: $0.count) }
        v = m
    }

    public func begin() {
        for (k, p) in parameters.enumerated() { compressState(&m[k], for: p); compressState(&v[k], for: p) }
    }
    public func finish() {
        for (k, p) in parameters.enumerated() { expandState(&m[k], for: p); expandState(&v[k], for: p) }
    }

    public func adopt(_ cfg: TrainConfig) -> Bool {
        guard cfg.method == (decoupled ? .adamw : .adam) else { return false }
        lr = Float(cfg.lr); beta1 = Float(cfg.beta1); beta2 = Float(cfg.beta2); weightDecay = Float(cfg.weightDecay)
        return true
    }

    public func step() {
        t += 1
        let c1 = 1 - powf(beta1, Float(t)), c2 = 1 - powf(beta2, Float(t))
        let lr = lr, b1 = beta1, b2 = beta2, eps = eps, wd = weightDecay, decoupled = decoupled
        for (k, p) in parameters.enumerated() where p.trainable {
            p.withUpdateBuffers { wp, gp, mk, count in
                m[k].withUnsafeMutableBufferPointer { m1 in
                    v[k].withUnsafeMutableBufferPointer { v in
                        let mp = m1.baseAddress!, vp = v.baseAddress!
                        splitRange(count) {
                            if decoupled {
                                Kernels.adamw(wp, mp, vp, gp, mk, s1: lr / c1, inv2: 1 / c2, b1: b1, b2: b2, eps: eps, decay: lr * wd, $0)
                            } else {
                                Kernels.adam(wp, mp, vp, gp, mk, s1: lr / c1, inv2: 1 / c2, b1: b1, b2: b2, eps: eps, wd: wd, $0)
                            }
                        }
                    }
                }
            }
        }
    }
}
