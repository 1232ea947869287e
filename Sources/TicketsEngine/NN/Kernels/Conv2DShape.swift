/// The geometry of a 2-D convolution: a batch of images x (N, C, H, W) convolved with
/// weights w (O, C, KH, KW) at one stride and one zero padding for both axes (what
/// PyTorch's `nn.Conv2d(C, O, (KH, KW), stride, padding)` does; no dilation, no groups).
/// Making one validates it, so the kernels that take it never see an impossible
/// geometry:
///
///     let s = try Conv2DShape(batch: 60, inChannels: 1, inHeight: 28, inWidth: 28,
///                             outChannels: 64, kernelHeight: 3, kernelWidth: 3, padding: 1)
///     s.outHeight   // 28
public struct Conv2DShape: Equatable, Sendable, CustomStringConvertible {
    public let batch: Int
    public let inChannels: Int
    public let inHeight: Int
    public let inWidth: Int
    public let outChannels: Int
    public let kernelHeight: Int
    public let kernelWidth: Int
    public let stride: Int
    public let padding: Int
    /// ⌊(H + 2·padding − KH) / stride⌋ + 1, as in PyTorch.
    public let outHeight: Int
    /// ⌊(W + 2·padding − KW) / stride⌋ + 1.
    public let outWidth: Int

    public init(batch: Int, inChannels: Int, inHeight: Int, inWidth: Int,
                outChannels: Int, kernelHeight: Int, kernelWidth: Int,
                stride: Int = 1, padding: Int = 0) throws {
        try requireAtLeast(1, [("batch", batch), ("input channels", inChannels), ("input height", inHeight),
                               ("input width", inWidth), ("output channels", outChannels),
                               ("kernel height", kernelHeight), ("kernel width", kernelWidth),
                               ("stride", stride)], in: "conv2d")
        try requireAtLeast(0, [("padding", padding)], in: "conv2d")
        let paddedHeight = inHeight + 2 * padding, paddedWidth = inWidth + 2 * padding
        if kernelHeight > paddedHeight || kernelWidth > paddedWidth {
            throw EngineError("conv2d: a \(kernelHeight)×\(kernelWidth) kernel does not fit a \(inHeight)×\(inWidth) input with padding \(padding).")
        }
        self.batch = batch; self.inChannels = inChannels; self.inHeight = inHeight; self.inWidth = inWidth
        self.outChannels = outChannels; self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        self.stride = stride; self.padding = padding
        outHeight = (paddedHeight - kernelHeight) / stride + 1
        outWidth = (paddedWidth - kernelWidth) / stride + 1
        // Every buffer (and the whole-batch column matrix, the largest) must be
        // addressable with BLAS's 32-bit sizes.
        _ = try checkedElementCount([batch, inChannels, inHeight, inWidth], "conv2d's input")
        _ = try checkedElementCount([batch, outChannels, outHeight, outWidth], "conv2d's output")
        _ = try checkedElementCount([outChannels, inChannels, kernelHeight, kernelWidth], "conv2d's weight")
        _ = try checkedElementCount([inChannels, kernelHeight, kernelWidth, outHeight, outWidth, batch],
                                    "conv2d's column matrix")
    }

    /// "60×1×28×28 ∗ 64×1×3×3 /1 pad 1 → 60×64×28×28"
    public var description: String {
        "\(batch)×\(inChannels)×\(inHeight)×\(inWidth) ∗ \(outChannels)×\(inChannels)×\(kernelHeight)×\(kernelWidth)"
            + " /\(stride) pad \(padding) → \(batch)×\(outChannels)×\(outHeight)×\(outWidth)"
    }

    /// H·W, the values in one input plane.
    public var inPlane: Int { inHeight * inWidth }
    /// OH·OW, the values in one output plane (columns of a sample's column matrix).
    public var outPlane: Int { outHeight * outWidth }
    /// C·KH·KW, the values one output pixel reads (rows of the column matrix).
    public var kernelVolume: Int { inChannels * kernelHeight * kernelWidth }

    /// N·C·H·W
    public var inputCount: Int { batch * inChannels * inPlane }
    /// N·O·OH·OW
    public var outputCount: Int { batch * outChannels * outPlane }
    /// O·C·KH·KW
    public var weightCount: Int { outChannels * kernelVolume }

    /// A 1×1 kernel at stride 1 without padding: a sample's column matrix is the sample
    /// itself (C, H·W), so the kernels skip im2col and col2im.
    public var isPointwise: Bool { kernelHeight == 1 && kernelWidth == 1 && stride == 1 && padding == 0 }

    /// The Floats of scratch one call of the fast kernels needs for `samples` samples.
    /// Per sample it is one column matrix (C·KH·KW, OH·OW), reused sample after sample,
    /// so it does not grow with the batch; whole-batch it is the column matrix of all
    /// the samples plus the output in (O, N·OH·OW) order.
    public func scratchCount(_ strategy: Conv2DStrategy, samples: Int) -> Int {
        switch strategy {
        case .perSample: return isPointwise ? 0 : kernelVolume * outPlane
        case .wholeBatch: return (kernelVolume + outChannels) * outPlane * samples
        }
    }
}

/// How the fast convolution lays out its matrix products.
///
/// - `perSample`: for each sample n, y[n] (O, OH·OW) = w (O, C·KH·KW) · col(x[n]).
///   The product lands in NCHW order directly, and the column matrix (C·KH·KW, OH·OW)
///   is small enough to stay in cache (Conv-2's second layer: 576 × 784 Floats,
///   1.8 MB) and does not grow with the batch. This is the default.
/// - `wholeBatch`: one product Y (O, N·OH·OW) = w · [col(x[0]) … col(x[N−1])]. BLAS gets
///   one big matrix instead of N medium ones, which should pay when OH·OW is small,
///   but the column matrix grows with the batch (120 MB of scratch for Conv-2's second
///   layer at batch 60) and Y must be reordered into NCHW.
///
/// Why per sample: measured on one thread (ConvBenchmarkTests, a busy shared 2-core
/// machine, best of three runs), one forward + backward of Conv-2's first two layers
/// at batch 60 took 106 ms per sample against 147 ms whole-batch; two 64-channel 8×8
/// convolutions at batch 128 (a ResNet-20 last stage), where whole-batch should shine,
/// 47 against 50 ms. Medium products already keep OpenBLAS busy; the big column matrix
/// only adds memory traffic. `wholeBatch` is kept for comparison (its own file).
public enum Conv2DStrategy: Sendable, CaseIterable {
    case perSample
    case wholeBatch
}
