/// Updates parameters from the gradients a backward pass left in them. Masked weights
/// have their gradient and their value multiplied by the mask as they are updated, so
/// they stay exactly zero however the optimizer's state evolves.
///
/// An optimizer is made for a list of parameters and keeps its state (momentum,
/// moments) per parameter, in that order.
public protocol Optimizer: AnyObject {
    var parameters: [Parameter] { get }
    /// One update of every parameter from its gradient.
    func step()
    /// Ends the optimizer's hold on its parameters (undoes any fused update it set up).
    func finish()
}

/// The mask's values, or nil for a dense tensor.
@inline(__always)
func withMaskPointer<R>(_ mask: Tensor?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let mask else { return body(nil) }
    return mask.data.withUnsafeBufferPointer { body($0.baseAddress!) }
}
