/// Stochastic gradient descent with momentum (plain or Nesterov) and L2 weight decay,
/// PyTorch's form: g ← g + λw; v ← μv + g; w ← w − η v (Nesterov: w ← w − η(g + μv)).
///
/// Plain SGD (no momentum, no weight decay) is fused into the backward pass: `begin`
/// sets each parameter's `fusedRate`, the layers then subtract η·gradient from the
/// weights as they compute it, and `step` has nothing left to do.
public final class SGD: Optimizer {
    public let parameters: [Parameter]
    public var lr: Float {
        didSet { if armed && fused { for p in parameters { p.fusedRate = lr } } }
    }
    public private(set) var momentum: Float, weightDecay: Float, nesterov: Bool
    private var velocity: [[Float]]
    /// Whether the update happens in the backward pass (plain SGD, unless `fuse` was false).
    public let fused: Bool
    private var armed = false

    public init(_ parameters: [Parameter], lr: Float, momentum: Float = 0, weightDecay: Float = 0,
                nesterov: Bool = false, fuse: Bool = true) {
        self.parameters = parameters
        self.lr = lr; self.momentum = momentum; self.weightDecay = weightDecay; self.nesterov = nesterov
        fused = fuse && momentum == 0 && weightDecay == 0
        velocity = momentum == 0 ? [] : parameters.map { [Float](repeating: 0, count: $0.count) }
        begin()
    }

    public func begin() {
        armed = true
        if fused { for p in parameters { p.fusedRate = lr } }
        if !velocity.isEmpty { for (k, p) in parameters.enumerated() { compressState(&velocity[k], for: p) } }
    }

    public func finish() {
        armed = false
        for p in parameters { p.fusedRate = nil }
        if !velocity.isEmpty { for (k, p) in parameters.enumerated() { expandState(&velocity[k], for: p) } }
    }

    public func adopt(_ cfg: TrainConfig) -> Bool {
        guard cfg.method == .sgd else { return false }
        let wantsFused = cfg.momentum == 0 && cfg.weightDecay == 0
        guard wantsFused == fused, (cfg.momentum == 0) == (momentum == 0) else { return false }
        lr = Float(cfg.lr); momentum = Float(cfg.momentum); weightDecay = Float(cfg.weightDecay); nesterov = cfg.nesterov
        return true
    }

    public func step() {
        if fused { return }
        let lr = lr, mu = momentum, wd = weightDecay, nesterov = nesterov
        for (k, p) in parameters.enumerated() where p.trainable {
            // One pass per tensor: v ← μv + m⊙g + λw; w ← (w − ηv) ⊙ m (no mask: m = 1).
            p.withUpdateBuffers { wp, gp, m, count in
                if mu == 0 {
                    splitRange(count) { Kernels.sgd(wp, gp, m, lr: lr, wd: wd, $0) }
                } else {
                    velocity[k].withUnsafeMutableBufferPointer { v in
                        let vp = v.baseAddress!
                        if nesterov {
                            splitRange(count) { Kernels.sgdNesterov(wp, vp, gp, m, lr: lr, mu: mu, wd: wd, $0) }
                        } else {
                            splitRange(count) { Kernels.sgdMomentum(wp, vp, gp, m, lr: lr, mu: mu, wd: wd, $0) }
                        }
                    }
                }
            }
        }
    }
}
