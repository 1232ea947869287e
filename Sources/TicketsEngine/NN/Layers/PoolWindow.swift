/// A pooling layer's window: its name, a k×k kernel, the stride (k unless given) and
/// the input and output shapes they give, checked once when the layer is made. Max and
/// average pooling share it; they differ only in their kernels.
struct PoolWindow {
    let name: String
    let kernelSize: Int
    let stride: Int
    let inputShape: [Int]
    let outputShape: [Int]

    /// `what` names the pooling in errors ("max pooling").
    init(name: String, what: String, inputShape: [Int], kernelSize: Int, stride: Int?) throws {
        let one = try poolGeometry(name, what, inputShape, kernelSize, stride)
        self.name = name; self.kernelSize = kernelSize; self.stride = stride ?? kernelSize
        self.inputShape = inputShape
        outputShape = [inputShape[0], one.outHeight, one.outWidth]
    }

    /// The geometry of a batch (its size was checked by the net).
    func geometry(_ batch: Int) -> Pool2DShape {
        checkedGeometry {
            try Pool2DShape(batch: batch, channels: inputShape[0], inHeight: inputShape[1], inWidth: inputShape[2],
                            kernelHeight: kernelSize, kernelWidth: kernelSize, stride: stride)
        }
    }

    /// "pool1 max pool 2×2", "pool1 avg pool 3×3 stride 1"
    func summary(_ word: String) -> String {
        "\(name) \(word) pool \(kernelSize)×\(kernelSize)" + (stride != kernelSize ? " stride \(stride)" : "")
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
