/// y = max(0, x), elementwise. Backward: dx = dy where y > 0, else 0.
public final class ReLU: Layer {
    public let name: String
    public let inputShape: [Int]
    public var training = true
    let out = Buffer(), dx = Buffer()

    public init(name: String = "relu", shape: [Int]) { self.name = name; self.inputShape = shape }

    public func copy() -> Layer {
        let r = ReLU(name: name, shape: inputShape)
        r.training = training
        return r
    }

    public var kind: String { "relu" }
    public var outputShape: [Int] { inputShape }
    public var parameters: [Parameter] { [] }
    public var summary: String { "relu" }

    // x (B, N) -> y (B, N)
    public func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        let n = batch * inputSize
        let y = out.ensure(n)
        for i in 0..<n { y[i] = max(x[i], 0) }
        return UnsafePointer(y)
    }

    // dy (B, N) -> dx (B, N)
    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>? {
        guard needInputGrad else { return nil }
        let n = batch * inputSize
        let g = dx.ensure(n), y = out.ptr
        for i in 0..<n { g[i] = y[i] > 0 ? dy[i] : 0 }
        return UnsafePointer(g)
    }
}
