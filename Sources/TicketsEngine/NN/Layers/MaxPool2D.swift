/// 2-D max pooling, PyTorch's `nn.MaxPool2d(k, stride)` (stride k unless given, no
/// padding, floor mode): y[n, c] is the maximum of each k×k window of x[n, c].
/// Shapes: x (B, C, H, W) → y (B, C, OH, OW), OH = ⌊(H − k) / stride⌋ + 1.
/// Backward sends each dy entry to the input its window's maximum came from.
public final class MaxPool2D: Layer {
    public let name: String
    public let kernelSize: Int
    public let stride: Int
    public let inputShape: [Int]
    public let outputShape: [Int]
    public var training = true
    private let out = Buffer(), dx = Buffer()
    private let argmax = IndexBuffer()

    public init(name: String, inputShape: [Int], kernelSize: Int, stride: Int? = nil) throws {
        let one = try poolGeometry(name, "max pooling", inputShape, kernelSize, stride)
        self.name = name; self.kernelSize = kernelSize; self.stride = stride ?? kernelSize
        self.inputShape = inputShape
        outputShape = [inputShape[0], one.outHeight, one.outWidth]
    }

    public func copy() -> Layer {
        let p = MaxPool2D(uncheckedName: name, inputShape: inputShape, outputShape: outputShape,
                          kernelSize: kernelSize, stride: stride)
        p.training = training
        return p
    }
    private init(uncheckedName name: String, inputShape: [Int], outputShape: [Int], kernelSize: Int, stride: Int) {
        self.name = name; self.inputShape = inputShape; self.outputShape = outputShape
        self.kernelSize = kernelSize; self.stride = stride
    }

    public var kind: String { "maxpool" }
    public var parameters: [Parameter] { [] }
    /// "pool1 max pool 2×2"
    public var summary: String { "\(name) max pool \(kernelSize)×\(kernelSize)" + (stride != kernelSize ? " stride \(stride)" : "") }

    private func geometry(_ batch: Int) -> Pool2DShape {
        checkedGeometry {
            try Pool2DShape(batch: batch, channels: inputShape[0], inHeight: inputShape[1], inWidth: inputShape[2],
                            kernelHeight: kernelSize, kernelWidth: kernelSize, stride: stride)
        }
    }

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

/// The geometry of one sample of a k×k pooling of `inputShape` images, or an error
/// naming the layer when the input is not an image or the window does not fit.
func poolGeometry(_ name: String, _ what: String, _ inputShape: [Int], _ k: Int, _ stride: Int?) throws -> Pool2DShape {
    guard inputShape.count == 3 else {
        throw EngineError("\(name): \(what) takes images (channels×height×width), but gets \(shapeText(inputShape)) values; pooling comes before flatten()")
    }
    guard k >= 1, (stride ?? 1) >= 1 else { throw EngineError("\(name): the window and the stride must be at least 1") }
    guard k <= inputShape[1], k <= inputShape[2] else {
        throw EngineError("\(name) gets \(shapeText(inputShape)) images: a \(k)×\(k) window does not fit them (the pooling would leave 0×0)")
    }
    do {
        return try Pool2DShape(batch: 1, channels: inputShape[0], inHeight: inputShape[1], inWidth: inputShape[2],
                               kernelHeight: k, kernelWidth: k, stride: stride)
    } catch let e as EngineError {
        throw EngineError("\(name): \(e.message)")
    }
}

/// A growable scratch of Int32 (max pooling's argmax), like `Buffer`.
final class IndexBuffer {
    private(set) var ptr: UnsafeMutablePointer<Int32>
    private var capacity: Int

    init() {
        capacity = 1
        ptr = .allocate(capacity: 1)
        ptr.initialize(to: 0)
    }
    deinit { ptr.deallocate() }

    func ensure(_ n: Int) -> UnsafeMutablePointer<Int32> {
        if n > capacity {
            ptr.deallocate()
            capacity = n
            ptr = .allocate(capacity: n)
            ptr.initialize(repeating: 0, count: n)
        }
        return ptr
    }
}
