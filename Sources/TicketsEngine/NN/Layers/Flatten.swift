/// Flatten, PyTorch's `nn.Flatten()`: a sample of shape [C, H, W] is read as C·H·W
/// values in (c, h, w) order, which is how it already lies in memory (NCHW), so
/// forward passes its input on and backward its gradient: no copy either way. A
/// linear layer after it therefore takes a PyTorch checkpoint's weights unchanged.
/// Shapes: x (B, C, H, W) → y (B, C·H·W).
public final class Flatten: Layer {
    public let name: String
    public let inputShape: [Int]
    public var training = true

    public init(name: String = "flatten", inputShape: [Int]) { self.name = name; self.inputShape = inputShape }

    public func copy() -> Layer {
        let f = Flatten(name: name, inputShape: inputShape)
        f.training = training
        return f
    }

    public var kind: String { "flatten" }
    public var outputShape: [Int] { [inputSize] }
    public var parameters: [Parameter] { [] }
    /// "flatten 64×14×14→12544"
    public var summary: String { "\(name) \(shapeText(inputShape))→\(inputSize)" }

    public func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> { x }

    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>? {
        needInputGrad ? dy : nil
    }
}
