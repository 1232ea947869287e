/// The basic block of the CIFAR ResNets (He et al. 2016, §4.2), as open_lth's
/// `cifar_resnet.Model.Block`:
///
///     out = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))
///
/// conv1 is 3×3 with stride 1, or 2 when the block halves the image; conv2 is 3×3 with
/// stride 1; neither has a bias (the batch norms shift). The shortcut is the identity
/// when the block keeps the shape, else a 1×1 convolution with stride 2 and a batch
/// norm (children `shortcut` and `shortcut_bn`). Its layers are its `children`, so
/// their parameters are keyed "block4.conv1.weight", "block4.shortcut.weight", ... and
/// the convolutions ("block4.conv1", "block4.shortcut") are prunable layers of the net.
/// Shapes: x (B, C, H, W) → y (B, O, H/s, W/s).
public final class ResidualBlock: Layer {
    public let name: String
    public let conv1: Conv2D
    public let bn1: BatchNorm
    public let conv2: Conv2D
    public let bn2: BatchNorm
    /// The projection shortcut, when the block changes the shape; nil: the identity.
    public let shortcut: (conv: Conv2D, bn: BatchNorm)?
    public var training = true

    let relu1: ReLU
    let out = Buffer(), dx = Buffer(), dsum = Buffer()

    /// A block from [C, H, W] images to `outChannels` channels; `downsample` halves
    /// the image (stride 2).
    public init(name: String, inputShape: [Int], outChannels: Int, downsample: Bool) throws {
        let stride = downsample ? 2 : 1
        conv1 = try Conv2D(name: "conv1", inputShape: inputShape, outChannels: outChannels,
                           kernelSize: 3, stride: stride, padding: 1, bias: false)
        bn1 = try BatchNorm(name: "bn1", inputShape: conv1.outputShape)
        relu1 = ReLU(name: "relu1", shape: conv1.outputShape)
        conv2 = try Conv2D(name: "conv2", inputShape: conv1.outputShape, outChannels: outChannels,
                           kernelSize: 3, stride: 1, padding: 1, bias: false)
        bn2 = try BatchNorm(name: "bn2", inputShape: conv2.outputShape)
        if downsample || inputShape[0] != outChannels {
            let c = try Conv2D(name: "shortcut", inputShape: inputShape, outChannels: outChannels,
                               kernelSize: 1, stride: 2, padding: 0, bias: false)
            guard c.outputShape == conv2.outputShape else {
                throw EngineError("\(name): the shortcut gives \(shapeText(c.outputShape)) but the block \(shapeText(conv2.outputShape))")
            }
            shortcut = (c, try BatchNorm(name: "shortcut_bn", inputShape: c.outputShape))
        } else {
            shortcut = nil
        }
        self.name = name
    }

    private init(copying b: ResidualBlock) {
        name = b.name
        conv1 = b.conv1.clone(); bn1 = b.bn1.clone(); conv2 = b.conv2.clone(); bn2 = b.bn2.clone()
        shortcut = b.shortcut.map { ($0.conv.clone(), $0.bn.clone()) }
        relu1 = ReLU(name: "relu1", shape: b.conv1.outputShape)
        training = b.training
    }
    public func copy() -> Layer { ResidualBlock(copying: self) }

    public var kind: String { "block" }
    public var inputShape: [Int] { conv1.inputShape }
    public var outputShape: [Int] { conv2.outputShape }
    /// The block holds no parameters of its own: they are its children's.
    public var parameters: [Parameter] { [] }
    public var children: [Layer] {
        var layers: [Layer] = [conv1, bn1, conv2, bn2]
        if let s = shortcut { layers += [s.conv, s.bn] }
        return layers
    }
    /// "block4 residual 16→32 stride 2, 1×1 shortcut"
    public var summary: String {
        "\(name) residual \(conv1.inChannels)→\(conv2.outChannels)" + (conv1.stride != 1 ? " stride \(conv1.stride)" : "")
            + (shortcut != nil ? ", 1×1 shortcut" : "")
    }

    // x (B, C, H, W) -> y (B, O, OH, OW)
    public func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        var h = conv1.forward(x, batch: batch)
        h = bn1.forward(h, batch: batch)
        h = relu1.forward(h, batch: batch)
        h = conv2.forward(h, batch: batch)
        h = bn2.forward(h, batch: batch)
        var s = x
        if let (conv, bn) = shortcut { s = bn.forward(conv.forward(x, batch: batch), batch: batch) }
        let n = batch * outputSize
        let y = out.ensure(n)
        splitRange(n) { Kernels.addThenReLU(h, s, y, $0) }
        return UnsafePointer(y)
    }

    // dy (B, O, OH, OW) -> dx (B, C, H, W): the gradient through the final ReLU feeds
    // both branches, and dx is the sum of what each gives back.
    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>? {
        let n = batch * outputSize
        let g = dsum.ensure(n), y = UnsafePointer(out.ptr)
        splitRange(n) { Kernels.reluGradient(dy, y, g, $0) }
        let gp = UnsafePointer(g)
        var main: UnsafePointer<Float>? = bn2.backward(gp, batch: batch, needInputGrad: true)
        if let d = main { main = conv2.backward(d, batch: batch, needInputGrad: true) }
        if let d = main { main = relu1.backward(d, batch: batch, needInputGrad: true) }
        if let d = main { main = bn1.backward(d, batch: batch, needInputGrad: true) }
        if let d = main { main = conv1.backward(d, batch: batch, needInputGrad: needInputGrad) }
        var side: UnsafePointer<Float>? = gp
        if let (conv, bn) = shortcut {
            side = bn.backward(gp, batch: batch, needInputGrad: true)
            if let d = side { side = conv.backward(d, batch: batch, needInputGrad: needInputGrad) }
        }
        guard needInputGrad, let a = main, let b = side else { return nil }
        let m = batch * inputSize
        let d = dx.ensure(m)
        splitRange(m) { Kernels.add(a, b, d, $0) }
        return UnsafePointer(d)
    }
}

extension Kernels {
    /// y[i] = max(a[i] + b[i], 0)
    @inline(never)
    static func addThenReLU(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ r: Range<Int>) {
        for i in r { y[i] = max(a[i] + b[i], 0) }
    }

    /// g[i] = dy[i] where y[i] > 0, else 0 (the gradient through a ReLU from its output).
    @inline(never)
    static func reluGradient(_ dy: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ g: UnsafeMutablePointer<Float>, _ r: Range<Int>) {
        for i in r { g[i] = y[i] > 0 ? dy[i] : 0 }
    }

    /// c[i] = a[i] + b[i]
    @inline(never)
    static func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ r: Range<Int>) {
        for i in r { c[i] = a[i] + b[i] }
    }
}
