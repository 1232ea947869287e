/// The geometry of 2-D pooling over x (N, C, H, W): a KH×KW window moved by a stride
/// (per axis; PyTorch's default, the kernel size, when nil) over the input with
/// `padding` on every side, giving y (N, C, OH, OW). Floor mode, as PyTorch's default
/// `ceil_mode=False`; no dilation. As in PyTorch, the padding may be at most half the
/// kernel, so every window holds at least one input value.
///
///     let s = try Pool2DShape(batch: 60, channels: 64, inHeight: 28, inWidth: 28,
///                             kernelHeight: 2, kernelWidth: 2)
///     s.outHeight   // 14
public struct Pool2DShape: Equatable, Sendable, CustomStringConvertible {
    public let batch: Int
    public let channels: Int
    public let inHeight: Int
    public let inWidth: Int
    public let kernelHeight: Int
    public let kernelWidth: Int
    public let strideHeight: Int
    public let strideWidth: Int
    public let padding: Int
    /// ⌊(H + 2·padding − KH) / strideHeight⌋ + 1
    public let outHeight: Int
    /// ⌊(W + 2·padding − KW) / strideWidth⌋ + 1
    public let outWidth: Int

    public init(batch: Int, channels: Int, inHeight: Int, inWidth: Int,
                kernelHeight: Int, kernelWidth: Int, stride: Int? = nil, padding: Int = 0) throws {
        try requireAtLeast(1, [("batch", batch), ("channels", channels), ("input height", inHeight),
                               ("input width", inWidth), ("kernel height", kernelHeight),
                               ("kernel width", kernelWidth), ("stride", stride ?? 1)], in: "pool2d")
        try requireAtLeast(0, [("padding", padding)], in: "pool2d")
        if 2 * padding > min(kernelHeight, kernelWidth) {
            throw EngineError("pool2d: padding \(padding) is more than half the \(kernelHeight)×\(kernelWidth) kernel.")
        }
        let paddedHeight = inHeight + 2 * padding, paddedWidth = inWidth + 2 * padding
        if kernelHeight > paddedHeight || kernelWidth > paddedWidth {
            throw EngineError("pool2d: a \(kernelHeight)×\(kernelWidth) window does not fit a \(inHeight)×\(inWidth) input with padding \(padding).")
        }
        self.batch = batch; self.channels = channels; self.inHeight = inHeight; self.inWidth = inWidth
        self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        strideHeight = stride ?? kernelHeight; strideWidth = stride ?? kernelWidth
        self.padding = padding
        outHeight = (paddedHeight - kernelHeight) / strideHeight + 1
        outWidth = (paddedWidth - kernelWidth) / strideWidth + 1
        _ = try checkedElementCount([batch, channels, inHeight, inWidth], "pool2d's input")
    }

    /// Global pooling: one window the size of the whole plane, y (N, C, 1, 1), which is
    /// the same memory as (N, C).
    public init(globalOver batch: Int, channels: Int, height: Int, width: Int) throws {
        try self.init(batch: batch, channels: channels, inHeight: height, inWidth: width,
                      kernelHeight: height, kernelWidth: width)
    }

    /// "60×64×28×28 pool 2×2 /2×2 pad 0 → 60×64×14×14"
    public var description: String {
        "\(batch)×\(channels)×\(inHeight)×\(inWidth) pool \(kernelHeight)×\(kernelWidth) /\(strideHeight)×\(strideWidth)"
            + " pad \(padding) → \(batch)×\(channels)×\(outHeight)×\(outWidth)"
    }

    /// H·W
    public var inPlane: Int { inHeight * inWidth }
    /// OH·OW
    public var outPlane: Int { outHeight * outWidth }
    /// N·C·H·W
    public var inputCount: Int { batch * channels * inPlane }
    /// N·C·OH·OW
    public var outputCount: Int { batch * channels * outPlane }

    /// The input rows (or columns) window `o` covers, clipped to the image.
    @inline(__always)
    func window(_ o: Int, stride: Int, kernel: Int, inSize: Int) -> Range<Int> {
        let start = o * stride - padding
        return max(start, 0)..<min(start + kernel, inSize)
    }
}
