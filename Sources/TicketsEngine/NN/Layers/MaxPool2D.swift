/// 2-D max pooling, PyTorch's `nn.MaxPool2d(k, stride)` (stride k unless given, no
/// padding, floor mode): y[n, c] is the maximum of each k×k window of x[n, c].
/// Shapes: x (B, C, H, W) → y (B, C, OH, OW), OH = ⌊(H − k) / stride⌋ + 1.
/// Backward sends each dy entry to the input its window's maximum came from.
public final class MaxPool2D: Layer {
    let window: PoolWindow
    public var name: String { window.name }
    public var kernelSize: Int { window.kernelSize }
    public var stride: Int { window.stride }
    public var inputShape: [Int] { window.inputShape }
    public var outputShape: [Int] { window.outputShape }
    public var training = true
    private let out = Buffer(), dx = Buffer()
    let argmax = IndexBuffer()

    public init(name: String, inputShape: [Int], kernelSize: Int, stride: Int? = nil) throws {
        window = try PoolWindow(name: name, what: "max pooling", inputShape: inputShape, kernelSize: kernelSize, stride: stride)
    }
    private init(window: PoolWindow) { self.window = window }

    public func copy() -> Layer {
        let p = MaxPool2D(window: window)
        p.training = training
        return p
    }

    public var kind: String { "maxpool" }
    public var parameters: [Parameter] { [] }
    public var summary: String { window.summary("max") }

    private func geometry(_ batch: Int) -> Pool2DShape { window.geometry(batch) }

    // x (B, C, H, W) -> y (B, C, OH, OW), argmax (B, C, OH, OW)
    public func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        let s = geometry(batch)
        let y = out.ensure(s.outputCount), at = argmax.ensure(s.outputCount)
        splitSamples(batch, work: s.inputCount) { _, samples in
            maxPool2dForward(s, x: x, y: y, argmax: at, samples: samples)
        }
        return UnsafePointer(y)
    }

    // dy (B, C, OH, OW) -> dx (B, C, H, W)
    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>? {
        guard needInputGrad else { return nil }
        let s = geometry(batch)
        let d = dx.ensure(s.inputCount), at = UnsafePointer(argmax.ptr)
        splitSamples(batch, work: s.inputCount) { _, samples in
            maxPool2dBackward(s, dy: dy, argmax: at, dx: d, samples: samples)
        }
        return UnsafePointer(d)
    }
}
