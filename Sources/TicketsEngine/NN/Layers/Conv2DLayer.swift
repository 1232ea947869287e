/// A 2-D convolution, y = conv(x, m ⊙ W) + b, as PyTorch's `nn.Conv2d(C, O, k,
/// stride, padding, bias)`: square k×k kernels, one stride and one zero padding for
/// both axes. Shapes: x (B, C, H, W), W (O, C, k, k), b (O) or none, y (B, O, OH, OW)
/// with OH = ⌊(H + 2·padding − k) / stride⌋ + 1 (OW likewise).
///
/// The weight is a prunable `.weight`: its mask lives on the parameter and masked
/// weights are kept at exactly zero in W, so the kernels need no mask. The work is the
/// per-sample im2col + sgemm kernels of NN/Kernels (the faster of the two layouts
/// measured there); the layer runs them sample by sample, half the batch on each core
/// when the batch is big enough, each thread with its own column scratch and its own
/// partial weight gradient, allocated once.
public final class Conv2D: Layer {
    public let name: String
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let weight: Parameter
    public let bias: Parameter?
    public var training = true

    /// The geometry of one sample. The layer loops over samples itself, so a batch of
    /// any size uses it and needs no geometry of its own.
    let geometry: Conv2DShape
    private let out = Buffer(), dx = Buffer()
    /// One im2col scratch per thread: (C·k·k, OH·OW).
    private let scratch: [Buffer]
    private let dWeight: PartialGradient
    private let dBias: PartialGradient?
    var input: UnsafePointer<Float>?
    /// oneDNN's primitives by number of samples, one per thread (nil where oneDNN
    /// cannot make them: the layer then runs its im2col kernels), made on first use.
    private var dnnlConvolutions: [Int: [DNNLConvolution?]] = [:]
    /// Tickets' own Winograd kernels, for a 3×3 stride-1 layer where Winograd is chosen
    /// and oneDNN offers none (ConvAlgorithm.ownWinograd).
    private let winograd: WinogradConvolution?

    /// Makes oneDNN's primitives for the sample counts a batch of `batch` is split into
    /// (before the split: the two threads only read them).
    private func prepareConvolutions(batch: Int) {
        for samples in Set([batch, (batch + 1) / 2, batch - (batch + 1) / 2]) where samples > 0 {
            _ = dnnlConvolution(samples: samples, thread: 0)
        }
    }

    /// oneDNN's convolution for `samples` samples on `thread`: Winograd when chosen and
    /// offered (3×3, stride 1), else direct, else nil.
    private func dnnlConvolution(samples: Int, thread: Int) -> DNNLConvolution? {
        if dnnlConvolutions[samples] == nil {
            dnnlConvolutions[samples] = (0..<2).map { _ in
                var made: DNNLConvolution? = nil
                if ConvAlgorithm.selected == .winograd && kernelSize == 3 && stride == 1 && inChannels >= winogradMinChannels {
                    made = DNNLConvolution.make(geometry, samples: samples, bias: bias != nil, algorithm: .winograd)
                }
                return made ?? DNNLConvolution.make(geometry, samples: samples, bias: bias != nil, algorithm: .direct)
            }
        }
        return dnnlConvolutions[samples]![thread]
    }

    /// A convolution of `inputShape` = [C, H, W] images. Throws, naming the layer, when
    /// the input is not an image or the kernel does not fit it.
    public init(name: String, inputShape: [Int], outChannels: Int, kernelSize: Int = 3,
                stride: Int = 1, padding: Int = 1, bias: Bool = true) throws {
        guard inputShape.count == 3 else {
            throw EngineError("\(name): a convolution takes images (channels×height×width), but gets \(shapeText(inputShape)) values; convolutions come before flatten()")
        }
        let (c, h, w) = (inputShape[0], inputShape[1], inputShape[2])
        guard outChannels >= 1, kernelSize >= 1, stride >= 1, padding >= 0 else {
            throw EngineError("\(name): channels, kernel and stride must be at least 1 and padding at least 0")
        }
        guard kernelSize <= h + 2 * padding, kernelSize <= w + 2 * padding else {
            throw EngineError("\(name) gets \(shapeText(inputShape)) images: a \(kernelSize)×\(kernelSize) kernel with padding \(padding) does not fit them (it would leave 0×0)")
        }
        do {
            geometry = try Conv2DShape(batch: 1, inChannels: c, inHeight: h, inWidth: w, outChannels: outChannels,
                                       kernelHeight: kernelSize, kernelWidth: kernelSize, stride: stride, padding: padding)
        } catch let e as EngineError {
            throw EngineError("\(name): \(e.message)")
        }
        self.name = name; self.inChannels = c; self.outChannels = outChannels
        self.kernelSize = kernelSize; self.stride = stride; self.padding = padding
        self.inputShape = inputShape
        outputShape = [outChannels, geometry.outHeight, geometry.outWidth]
        weight = Parameter("weight", role: .weight, shape: [outChannels, c, kernelSize, kernelSize])
        self.bias = bias ? Parameter("bias", role: .bias, shape: [outChannels]) : nil
        let perThread = max(geometry.scratchCount(.perSample, samples: 1), 1)
        scratch = [Buffer(perThread), Buffer(perThread)]
        dWeight = PartialGradient(count: geometry.weightCount)
        dBias = bias ? PartialGradient(count: outChannels) : nil
        winograd = Conv2D.ownWinograd(geometry)
    }

    /// Tickets' Winograd for this geometry when the choice of kernels says so.
    private static func ownWinograd(_ s: Conv2DShape) -> WinogradConvolution? {
        guard ConvAlgorithm.ownWinograd, WinogradConvolution.pays(s) else { return nil }
        return WinogradConvolution(s)
    }

    private init(copying l: Conv2D) {
        name = l.name; inChannels = l.inChannels; outChannels = l.outChannels
        kernelSize = l.kernelSize; stride = l.stride; padding = l.padding
        inputShape = l.inputShape; outputShape = l.outputShape; geometry = l.geometry
        weight = l.weight.copy(); bias = l.bias?.copy(); training = l.training
        scratch = l.scratch.map { Buffer($0.capacity) }
        dWeight = PartialGradient(count: l.dWeight.count)
        dBias = l.dBias.map { PartialGradient(count: $0.count) }
        winograd = Conv2D.ownWinograd(l.geometry)
    }

    /// An independent copy: the same parameters (values and mask) and mode.
    public func clone() -> Conv2D { Conv2D(copying: self) }
    public func copy() -> Layer { clone() }

    public var kind: String { "conv2d" }
    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }
    /// "conv1 conv 1→64 3×3 pad 1" (stride when not 1, "no bias" when without one)
    public var summary: String {
        var s = "\(name) conv \(inChannels)→\(outChannels) \(kernelSize)×\(kernelSize)"
        if stride != 1 { s += " stride \(stride)" }
        if padding != 0 { s += " pad \(padding)" }
        if bias == nil { s += " no bias" }
        return s
    }

    /// fan_in = C·k·k and fan_out = O·k·k: the connections into and out of one unit.
    public func initialize(_ initializer: Initializer, rng: inout RNG) {
        let area = kernelSize * kernelSize
        let (w, b) = initializer.draw(weights: weight.count, biases: bias == nil ? 0 : outChannels,
                                      fanIn: inChannels * area, fanOut: outChannels * area, rng: &rng)
        weight.value.data = w
        bias?.value.data = b
        weight.applyMask()
    }

    /// Multiply-adds of one pass over the batch.
    private func work(_ batch: Int) -> Int { batch * geometry.weightCount * geometry.outPlane }

    // x (B, C, H, W) -> y (B, O, OH, OW)
    public func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        input = x
        let y = out.ensure(batch * outputSize)
        let s = geometry, inSize = inputSize, outSize = outputSize
        let scratch = scratch.map(\.ptr)
        if let winograd {
            weight.value.data.withUnsafeBufferPointer { w in
                winograd.prepare(weights: w.baseAddress!)
                withOptionalValues(bias) { b in
                    _ = splitSamples(batch, work: work(batch)) { thread, samples in
                        let lo = samples.lowerBound
                        winograd.forward(x: x + lo * inSize, samples: samples.count, bias: b, y: y + lo * outSize, thread: thread)
                    }
                }
            }
            return UnsafePointer(y)
        }
        prepareConvolutions(batch: batch)
        weight.value.data.withUnsafeBufferPointer { w in
            withOptionalValues(bias) { b in
                _ = splitSamples(batch, work: work(batch)) { thread, samples in
                    if let conv = dnnlConvolution(samples: samples.count, thread: thread) {
                        conv.forward(x: x + samples.lowerBound * inSize, w: w.baseAddress!, b: b,
                                     y: y + samples.lowerBound * outSize, thread: thread)
                        return
                    }
                    for n in samples {
                        conv2dForward(s, x: x + n * inSize, weight: w.baseAddress!, bias: b, y: y + n * outSize,
                                      scratch: scratch[thread])
                    }
                }
            }
        }
        return UnsafePointer(y)
    }

    // dy (B, O, OH, OW) -> dx (B, C, H, W) = col2im(Wᵀ·dy), dW (O, C, k, k) = Σ_n dy[n]·col(x[n])ᵀ,
    // db (O) = Σ dy over samples and pixels. dx uses W before any fused update: every
    // thread computes its samples' dx and partial dW first, the update comes after.
    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>? {
        guard let x = input else { return nil }
        let s = geometry, inSize = inputSize, outSize = outputSize
        let d: UnsafeMutablePointer<Float>? = needInputGrad ? dx.ensure(batch * inSize) : nil
        let scratch = scratch.map(\.ptr), dWeight = dWeight, dBias = dBias, winograd = winograd
        if winograd == nil { prepareConvolutions(batch: batch) }
        let threads = weight.value.data.withUnsafeBufferPointer { w in
            if let winograd { winograd.prepare(weights: w.baseAddress!) }
            return splitSamples(batch, work: work(batch) * (needInputGrad ? 2 : 1)) { thread, samples in
                let dw = dWeight.zeroedPart(thread), db = dBias?.zeroedPart(thread)
                if let winograd {
                    let lo = samples.lowerBound
                    winograd.backward(x: x + lo * inSize, dy: dy + lo * outSize, samples: samples.count, dw: dw, db: db,
                                      dx: d.map { $0 + lo * inSize }, thread: thread)
                    return
                }
                if let conv = dnnlConvolution(samples: samples.count, thread: thread) {
                    let lo = samples.lowerBound
                    conv.backward(x: x + lo * inSize, dy: dy + lo * outSize, w: w.baseAddress!, dw: dw, db: db,
                                  dx: d.map { $0 + lo * inSize }, thread: thread)
                    return
                }
                for n in samples {
                    conv2dBackwardWeight(s, x: x + n * inSize, dy: dy + n * outSize, dWeight: dw, dBias: db,
                                         accumulate: true, scratch: scratch[thread])
                    if let d {
                        conv2dBackwardInput(s, weight: w.baseAddress!, dy: dy + n * outSize, dx: d + n * inSize,
                                            scratch: scratch[thread])
                    }
                }
            }
        }
        dWeight.deliver(to: weight, threads: threads)
        if let bias, let dBias { dBias.deliver(to: bias, threads: threads) }
        return d.map { UnsafePointer($0) }
    }
}

/// Runs body with a pointer to the parameter's values, or nil without a parameter.
func withOptionalValues<R>(_ p: Parameter?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let p else { return body(nil) }
    return p.value.data.withUnsafeBufferPointer { body($0.baseAddress!) }
}
