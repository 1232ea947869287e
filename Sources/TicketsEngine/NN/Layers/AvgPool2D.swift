/// 2-D average pooling, PyTorch's `nn.AvgPool2d(k, stride)` (stride k unless given,
/// no padding, floor mode): y[n, c] is the mean of each k×k window of x[n, c].
/// Shapes: x (B, C, H, W) → y (B, C, OH, OW).
public final class AvgPool2D: Layer {
    public let name: String
    public let kernelSize: Int
    public let stride: Int
    public let inputShape: [Int]
    public let outputShape: [Int]
    public var training = true
    private let out = Buffer(), dx = Buffer()

    public init(name: String, inputShape: [Int], kernelSize: Int, stride: Int? = nil) throws {
        let one = try poolGeometry(name, "average pooling", inputShape, kernelSize, stride)
        self.name = name; self.kernelSize = kernelSize; self.stride = stride ?? kernelSize
        self.inputShape = inputShape
        outputShape = [inputShape[0], one.outHeight, one.outWidth]
    }

    public func copy() -> Layer {
        let p = AvgPool2D(uncheckedName: name, inputShape: inputShape, outputShape: outputShape,
                          kernelSize: kernelSize, stride: stride)
        p.training = training
        return p
    }
    private init(uncheckedName name: String, inputShape: [Int], outputShape: [Int], kernelSize: Int, stride: Int) {
        self.name = name; self.inputShape = inputShape; self.outputShape = outputShape
        self.kernelSize = kernelSize; self.stride = stride
    }

    public var kind: String { "avgpool" }
    public var parameters: [Parameter] { [] }
    /// "pool1 avg pool 2×2"
    public var summary: String { "\(name) avg pool \(kernelSize)×\(kernelSize)" + (stride != kernelSize ? " stride \(stride)" : "") }

    private func geometry(_ batch: Int) -> Pool2DShape {
        checkedGeometry {
            try Pool2DShape(batch: batch, channels: inputShape[0], inHeight: inputShape[1], inWidth: inputShape[2],
                            kernelHeight: kernelSize, kernelWidth: kernelSize, stride: stride)
        }
    }

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

