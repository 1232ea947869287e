/// One stage of a feed-forward net, with an explicit backward pass.
/// Activations are (batch, features) row-major. `forward` returns a pointer into the
/// layer's own output buffer, valid until its next forward; `backward` takes the
/// gradient of the loss with respect to that output and returns the gradient with
/// respect to the layer's input (or nil when `needInputGrad` is false).
public protocol Layer: AnyObject {
    var name: String { get }
    var inputSize: Int { get }
    var outputSize: Int { get }
    func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float>
    func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>?
    /// One line for the net's summary ("fc1 784→300").
    var summary: String { get }
}
