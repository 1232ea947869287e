/// One stage of a net, with an explicit backward pass.
///
/// Activations are a batch of samples, row-major, each sample of `inputShape`
/// (`[784]` for a flat vector, `[C, H, W]` for an image). `forward` returns a pointer
/// into the layer's own output buffer, valid until its next forward; `backward` takes
/// the gradient of the loss with respect to that output, writes the gradients of the
/// layer's parameters (see `Parameter.accumulateGradient`) and returns the gradient
/// with respect to the layer's input (nil when `needInputGrad` is false).
public protocol Layer: AnyObject {
    /// The name users read: "fc1", "conv2", "relu1".
    var name: String { get }
    /// What the layer is: "linear", "relu", ...
    var kind: String { get }
    /// The shape of one input sample and of one output sample.
    var inputShape: [Int] { get }
    var outputShape: [Int] { get }
    /// The layer's own parameters, in state-dict order ("weight" before "bias").
    var parameters: [Parameter] { get }
    /// Layers inside this one (a residual block's); empty for a plain layer.
    var children: [Layer] { get }
    /// Training or evaluation mode (batch norm and dropout behave differently).
    var training: Bool { get set }

    func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float>
    func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>?
    /// Draws the layer's weights afresh (biases as the initializer says); a layer
    /// without weights does nothing.
    func initialize(_ initializer: Initializer, rng: inout RNG)
    /// One line for the net's summary ("fc1 784→300").
    var summary: String { get }
    /// An independent copy: the same parameters (values and masks) and mode.
    func copy() -> Layer

    /// The forward of Pearlmutter's R-operator (NN/HessianVector.swift), after a
    /// forward pass of the same batch: R{y} for R{x}, with the parameters' directions
    /// from `r`. Returns a pointer into scratch `r` keeps for the layer.
    func forwardR(_ rx: UnsafePointer<Float>, batch: Int, _ r: RPass) throws -> UnsafePointer<Float>
    /// The backward of R, after `forwardR`: (dy, R{dy}) → (dx, R{dx}), adding
    /// R{∂L/∂θ} of the layer's parameters to `r`; runs the ordinary backward for dx.
    /// The default throws: a layer kind without R passes has no Hessian-vector product.
    func backwardR(_ dy: UnsafePointer<Float>, _ rdy: UnsafePointer<Float>, batch: Int,
                   _ r: RPass) throws -> (dx: UnsafePointer<Float>, rdx: UnsafePointer<Float>)
}

extension Layer {
    public var children: [Layer] { [] }
    public func initialize(_ initializer: Initializer, rng: inout RNG) {}
    public var inputSize: Int { inputShape.reduce(1, *) }
    public var outputSize: Int { outputShape.reduce(1, *) }
}

/// "1×28×28"
public func shapeText(_ shape: [Int]) -> String { shape.map(String.init).joined(separator: "×") }
