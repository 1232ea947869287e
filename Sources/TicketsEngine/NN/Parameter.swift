/// A tensor a layer owns: a weight or bias it trains, or a buffer it keeps (a batch
/// norm's running mean). Masks, snapshots, optimizers, pruning, statistics and
/// checkpoints all reach a net's tensors through its parameters, by the keys of the
/// net's state dict (`fc1.weight`).
public final class Parameter {
    public enum Role: String, Sendable {
        /// Trained, and may be pruned (the weights of linear and convolution layers).
        case weight
        /// Trained, never pruned (biases, batch-norm scales and shifts).
        case bias
        /// Kept by the layer, not trained by an optimizer (running statistics).
        case buffer
    }

    /// The name within its layer: "weight", "bias", "running_mean".
    public let name: String
    public let role: Role
    public var value: Tensor
    /// The gradient of the loss with respect to `value`, written by the layer's backward
    /// pass (of the masked net, not itself masked). nil for buffers.
    public let grad: Tensor?
    /// 1 where a weight is kept; nil while the parameter is dense. Masked entries of
    /// `value` are kept at exactly zero (see `applyMask`), so layers compute with
    /// `value` alone.
    public var mask: Tensor?
    /// Set by an optimizer that fuses its update into the backward pass (plain SGD):
    /// the layer then applies value −= rate · gradient itself instead of storing the
    /// gradient, one pass less over the weights. nil: store the gradient in `grad`.
    public var fusedRate: Float?
    /// The kept values and their gradient while a training run has this weight in
    /// compressed form (see CompressedWeight.swift); nil otherwise.
    public var compressed: CompressedWeight?
    /// Whether its layer can train it in compressed form (a linear layer can; an
    /// embedding, which looks rows up, cannot).
    public var compressible = true

    public init(_ name: String, role: Role, shape: [Int]) {
        self.name = name; self.role = role
        value = Tensor(zeros: shape)
        grad = role == .buffer ? nil : Tensor(zeros: shape)
    }

    /// A copy: the same values and mask, a zero gradient, no fused update.
    public func copy() -> Parameter {
        let p = Parameter(name, role: role, shape: shape)
        p.value = value.copy()
        p.mask = mask?.copy()
        p.compressible = compressible
        return p
    }

    public var shape: [Int] { value.shape }
    public var count: Int { value.count }
    /// Whether pruning may touch it: weights only; biases and buffers never.
    public var prunable: Bool { role == .weight }
    public var trainable: Bool { role != .buffer }

    /// Zeroes the entries the mask removes (call after any change to the value or mask).
    public func applyMask() {
        guard let m = mask else { return }
        value.data.withUnsafeMutableBufferPointer { w in
            m.data.withUnsafeBufferPointer { m in
                let wp = w.baseAddress!, mp = m.baseAddress!
                splitRange(w.count) { Kernels.maskMultiply(wp, mp, $0) }
            }
        }
    }

    /// Runs `body` with where a backward pass puts this parameter's gradient and how:
    /// C ← α·G + β·C with (C, α, β) = (grad, 1, 0), or, when an optimizer fused its
    /// update, (value, −rate, 1). Then, for a fused update, re-applies the mask.
    public func accumulateGradient(_ body: (UnsafeMutablePointer<Float>, _ alpha: Float, _ beta: Float) -> Void) {
        if let rate = fusedRate {
            value.data.withUnsafeMutableBufferPointer { body($0.baseAddress!, -rate, 1) }
            applyMask()
        } else if let g = grad {
            g.data.withUnsafeMutableBufferPointer { body($0.baseAddress!, 1, 0) }
        }
    }
}
