/// Global average pooling, PyTorch's `nn.AdaptiveAvgPool2d(1)` then `nn.Flatten()`:
/// each channel's plane becomes its mean. Shapes: x (B, C, H, W) → y (B, C).
public final class GlobalAvgPool: Layer {
    public let name: String
    public let inputShape: [Int]
    public var training = true
    private let out = Buffer(), dx = Buffer()

    public init(name: String, inputShape: [Int]) throws {
        guard inputShape.count == 3 else {
            throw EngineError("\(name): global average pooling takes images (channels×height×width), but gets \(shapeText(inputShape)) values; it comes before flatten()")
        }
        self.name = name; self.inputShape = inputShape
    }
    private init(uncheckedName name: String, inputShape: [Int]) { self.name = name; self.inputShape = inputShape }

    public func copy() -> Layer {
        let p = GlobalAvgPool(uncheckedName: name, inputShape: inputShape)
        p.training = training
        return p
    }

    public var kind: String { "gap" }
    public var outputShape: [Int] { [inputShape[0]] }
    public var parameters: [Parameter] { [] }
    /// "gap global avg pool 64×8×8→64"
    public var summary: String { "\(name) global avg pool \(shapeText(inputShape))→\(inputShape[0])" }

    private func geometry(_ batch: Int) -> Pool2DShape {
        checkedGeometry { try Pool2DShape(globalOver: batch, channels: inputShape[0], height: inputShape[1], width: inputShape[2]) }
    }

    // x (B, C, H, W) -> y (B, C)
    public func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        let s = geometry(batch)
        let y = out.ensure(s.outputCount)
        splitSamples(batch, work: s.inputCount) { _, samples in globalAvgPool2dForward(s, x: x, y: y, samples: samples) }
        return UnsafePointer(y)
    }

    // dy (B, C) -> dx (B, C, H, W)
    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>? {
        guard needInputGrad else { return nil }
        let s = geometry(batch)
        let d = dx.ensure(s.inputCount)
        splitSamples(batch, work: s.inputCount) { _, samples in globalAvgPool2dBackward(s, dy: dy, dx: d, samples: samples) }
        return UnsafePointer(d)
    }
}
