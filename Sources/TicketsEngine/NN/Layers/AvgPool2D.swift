/// 2-D average pooling, PyTorch's `nn.AvgPool2d(k, stride)` (stride k unless given,
/// no padding, floor mode): y[n, c] is the mean of each k×k window of x[n, c].
/// Shapes: x (B, C, H, W) → y (B, C, OH, OW).
public final class AvgPool2D: Layer {
    let window: PoolWindow
    public var name: String { window.name }
    public var kernelSize: Int { window.kernelSize }
    public var stride: Int { window.stride }
    public var inputShape: [Int] { window.inputShape }
    public var outputShape: [Int] { window.outputShape }
    public var training = true
    private let out = Buffer(), dx = Buffer()

    public init(name: String, inputShape: [Int], kernelSize: Int, stride: Int? = nil) throws {
        window = try PoolWindow(name: name, what: "average pooling", inputShape: inputShape, kernelSize: kernelSize, stride: stride)
    }
    private init(window: PoolWindow) { self.window = window }

    public func copy() -> Layer {
        let p = AvgPool2D(window: window)
        p.training = training
        return p
    }

    public var kind: String { "avgpool" }
    public var parameters: [Parameter] { [] }
    public var summary: String { window.summary("avg") }

    private func geometry(_ batch: Int) -> Pool2DShape { window.geometry(batch) }

    // x (B, C, H, W) -> y (B, C, OH, OW)
    public func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        let s = geometry(batch)
        let y = out.ensure(s.outputCount)
        splitSamples(batch, work: s.inputCount) { _, samples in avgPool2dForward(s, x: x, y: y, samples: samples) }
        return UnsafePointer(y)
    }

    // dy (B, C, OH, OW) -> dx (B, C, H, W)
    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>? {
        guard needInputGrad else { return nil }
        let s = geometry(batch)
        let d = dx.ensure(s.inputCount)
        splitSamples(batch, work: s.inputCount) { _, samples in avgPool2dBackward(s, dy: dy, dx: d, samples: samples) }
        return UnsafePointer(d)
    }
}

