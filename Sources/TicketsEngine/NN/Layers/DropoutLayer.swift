/// Inverted dropout, PyTorch's `nn.Dropout(p)`: in training mode each value is zeroed
/// with probability p and the survivors are scaled by 1/(1 − p); in eval mode it is
/// the identity (the input itself is passed on, no copy). Shapes: x (B, …) → y (B, …).
///
/// Reproducible: the values dropped at iteration t are drawn from stream t of the
/// layer's seed (which the model builder derives from the net's seed and the layer's
/// position), so a run gives the same masks every time, and two `train` calls drop
/// what one call of both lengths drops. The trainer tells the layer the iteration
/// (`Network.prepareIteration`); outside training it stays where it was.
public final class Dropout: Layer, IterationSeeded {
    public let name: String
    public let inputShape: [Int]
    /// p, the chance that a value is zeroed.
    public let probability: Double
    public let seed: UInt64
    public var iteration = 0
    public var training = true
    let out = Buffer(), dx = Buffer(), keep = Buffer()
    /// Whether the last forward dropped values (training mode, p > 0).
    var dropped = false

    public init(name: String, inputShape: [Int], probability: Double, seed: UInt64) throws {
        guard probability >= 0, probability < 1 else {
            throw EngineError("\(name): the dropout probability must be in [0, 1), got \(formatDecimal(probability))")
        }
        self.name = name; self.inputShape = inputShape; self.probability = probability; self.seed = seed
    }

    private init(copying l: Dropout) {
        name = l.name; inputShape = l.inputShape; probability = l.probability; seed = l.seed
        iteration = l.iteration; training = l.training
    }
    public func copy() -> Layer { Dropout(copying: self) }

    public var kind: String { "dropout" }
    public var outputShape: [Int] { inputShape }
    public var parameters: [Parameter] { [] }
    /// "dropout1 dropout 0.5"
    public var summary: String { "\(name) dropout \(formatDecimal(probability))" }

    private func geometry(_ batch: Int) -> DropoutShape {
        checkedGeometry { try DropoutShape(count: batch * inputSize, probability: probability) }
    }

    // x (B, N) -> y (B, N) = x · keep
    public func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        dropped = training && probability > 0
        guard dropped else { return x }
        let s = geometry(batch)
        let y = out.ensure(s.count), k = keep.ensure(s.count)
        var rng = RNG(seed: seed, stream: UInt64(iteration))
        dropoutForward(s, x: x, y: y, mask: k, rng: &rng)
        return UnsafePointer(y)
    }

    // dy (B, N) -> dx (B, N) = dy · keep
    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>? {
        guard needInputGrad else { return nil }
        guard dropped else { return dy }
        let s = geometry(batch)
        let d = dx.ensure(s.count)
        dropoutBackward(s, dy: dy, mask: keep.ptr, dx: d)
        return UnsafePointer(d)
    }
}

/// A layer whose randomness depends on the training iteration (dropout): the trainer
/// sets `iteration` before each step's forward pass.
public protocol IterationSeeded: AnyObject {
    var iteration: Int { get set }
}
