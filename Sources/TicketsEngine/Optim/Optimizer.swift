/// Updates parameters from the gradients a backward pass left in them. Masked weights
/// have their gradient and their value multiplied by the mask as they are updated, so
/// they stay exactly zero however the optimizer's state evolves.
///
/// An optimizer is made for a net's parameters and keeps its state (momentum,
/// moments, step count) per parameter. A net keeps its optimizer between `train`
/// calls (`Network.optimizer`), so two calls continue as one would.
public protocol Optimizer: AnyObject {
    var parameters: [Parameter] { get }
    /// The learning rate of the next step (a schedule sets it before each step).
    var lr: Float { get set }
    /// Arms the optimizer for a run of steps (plain SGD fuses its update into the
    /// backward pass from here on).
    func begin()
    /// One update of every parameter from its gradient.
    func step()
    /// Ends a run of steps (undoes any fused update it set up); the state is kept.
    func finish()
    /// Whether it can go on under these settings, keeping its state; it then takes
    /// them (momentum, weight decay, ...). false: a new optimizer is needed.
    func adopt(_ cfg: TrainConfig) -> Bool
}

extension TrainConfig {
    /// The optimizer these settings describe, for the given parameters.
    public func makeOptimizer(_ parameters: [Parameter]) -> Optimizer {
        switch method {
        case .sgd:
            return SGD(parameters, lr: Float(lr), momentum: Float(momentum), weightDecay: Float(weightDecay), nesterov: nesterov)
        case .adam, .adamw:
            return Adam(parameters, lr: Float(lr), beta1: Float(beta1), beta2: Float(beta2),
                        weightDecay: Float(weightDecay), decoupled: method == .adamw)
        }
    }
}

/// The mask's values, or nil for a dense tensor.
@inline(__always)
func withMaskPointer<R>(_ mask: Tensor?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let mask else { return body(nil) }
    return mask.data.withUnsafeBufferPointer { body($0.baseAddress!) }
}
