/// Batch normalisation over channels, PyTorch's `nn.BatchNorm2d(C)` for images
/// x (B, C, H, W) and `nn.BatchNorm1d(C)` for flat features x (B, C), with its
/// defaults: momentum 0.1, ε = 1e-5, affine, running statistics tracked.
///
///   training:  y = γ·(x − μ)/√(σ² + ε) + β with the batch's mean μ and biased
///              variance σ² per channel; the running statistics move towards them
///              (running_var with the unbiased variance, as PyTorch);
///   eval:      the same with running_mean and running_var.
///
/// γ ("weight") and β ("bias") are trained and never pruned (role `.bias`);
/// running_mean and running_var are buffers: kept, snapshotted and rewound, not
/// trained. A training batch with a single value per channel (one sample before a
/// 1-D batch norm, say the last batch of an epoch) has no variance: PyTorch refuses
/// it; here it is normalised with the running statistics, as in eval mode, and leaves
/// them unchanged. The kernels (NN/Kernels/BatchNorm.swift) split by channel, so the
/// two cores take half the channels each.
public final class BatchNorm: Layer {
    public let name: String
    public let inputShape: [Int]
    public let channels: Int
    /// Values per channel per sample: H·W for images, 1 for flat features.
    public let spatial: Int
    public let momentum: Float = 0.1
    public let eps: Float = 1e-5
    public let gamma: Parameter
    public let beta: Parameter
    public let runningMean: Parameter
    public let runningVar: Parameter
    public var training = true

    private let out = Buffer(), dx = Buffer()
    let savedMean: Buffer, savedInvStd: Buffer, dGamma: Buffer, dBeta: Buffer
    var input: UnsafePointer<Float>?
    /// Whether the last forward normalised with the batch's statistics.
    var usedBatchStatistics = false

    /// Batch norm of [C] features or [C, H, W] images.
    public init(name: String, inputShape: [Int]) throws {
        guard inputShape.count == 1 || inputShape.count == 3, inputShape.allSatisfy({ $0 >= 1 }) else {
            throw EngineError("\(name): batch norm takes images (channels×height×width) or flat features, but gets \(shapeText(inputShape))")
        }
        self.name = name; self.inputShape = inputShape
        channels = inputShape[0]
        spatial = inputShape.dropFirst().reduce(1, *)
        gamma = Parameter("weight", role: .bias, shape: [channels])
        beta = Parameter("bias", role: .bias, shape: [channels])
        runningMean = Parameter("running_mean", role: .buffer, shape: [channels])
        runningVar = Parameter("running_var", role: .buffer, shape: [channels])
        savedMean = Buffer(channels); savedInvStd = Buffer(channels)
        dGamma = Buffer(channels); dBeta = Buffer(channels)
        resetStatistics()
    }

    private init(copying l: BatchNorm) {
        name = l.name; inputShape = l.inputShape; channels = l.channels; spatial = l.spatial
        gamma = l.gamma.copy(); beta = l.beta.copy()
        runningMean = l.runningMean.copy(); runningVar = l.runningVar.copy()
        savedMean = Buffer(channels); savedInvStd = Buffer(channels)
        dGamma = Buffer(channels); dBeta = Buffer(channels)
        training = l.training
    }

    /// An independent copy: the same scale, shift, running statistics and mode.
    public func clone() -> BatchNorm { BatchNorm(copying: self) }
    public func copy() -> Layer { clone() }

    public var kind: String { "batchnorm" }
    public var outputShape: [Int] { inputShape }
    public var parameters: [Parameter] { [gamma, beta, runningMean, runningVar] }
    /// "bn1 batch norm 64"
    public var summary: String { "\(name) batch norm \(channels)" }

    /// γ = 1, β = 0 and fresh running statistics (mean 0, variance 1), whatever the
    /// initializer: PyTorch's reset_parameters.
    public func initialize(_ initializer: Initializer, rng: inout RNG) { resetStatistics() }

    private func resetStatistics() {
        gamma.value.data = [Float](repeating: 1, count: channels)
        beta.value.data = [Float](repeating: 0, count: channels)
        runningMean.value.data = [Float](repeating: 0, count: channels)
        runningVar.value.data = [Float](repeating: 1, count: channels)
    }

    private func geometry(_ batch: Int) -> BatchNormShape {
        checkedGeometry { try BatchNormShape(batch: batch, channels: channels, spatial: spatial) }
    }

    // x (B, C, S) -> y (B, C, S), S = H·W or 1
    public func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        input = x
        let s = geometry(batch)
        let y = out.ensure(s.count)
        usedBatchStatistics = training && s.valuesPerChannel >= 2
        let mean = savedMean.ptr, invStd = savedInvStd.ptr, momentum = momentum, eps = eps
        let batchStatistics = usedBatchStatistics
        gamma.value.data.withUnsafeBufferPointer { g in
            beta.value.data.withUnsafeBufferPointer { b in
                runningMean.value.data.withUnsafeMutableBufferPointer { rm in
                    runningVar.value.data.withUnsafeMutableBufferPointer { rv in
                        let (g, b, rm, rv) = (g.baseAddress!, b.baseAddress!, rm.baseAddress!, rv.baseAddress!)
                        splitChannels(channels, work: s.count) { cs in
                            if batchStatistics {
                                batchNormForwardTraining(s, x: x, gamma: g, beta: b, y: y, savedMean: mean, savedInvStd: invStd,
                                                         runningMean: rm, runningVar: rv, momentum: momentum, eps: eps, channels: cs)
                            } else {
                                batchNormForwardEval(s, x: x, gamma: g, beta: b, runningMean: rm, runningVar: rv,
                                                     y: y, eps: eps, channels: cs)
                            }
                        }
                    }
                }
            }
        }
        return UnsafePointer(y)
    }

    // dy (B, C, S) -> dx (B, C, S), dγ (C), dβ (C). With the batch's statistics the
    // gradient flows through μ and σ too; with the running ones, which are constants,
    // dx = γ/√(running_var + ε) · dy.
    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>? {
        guard let x = input else { return nil }
        let s = geometry(batch)
        let d: UnsafeMutablePointer<Float>? = needInputGrad ? dx.ensure(s.count) : nil
        let mean = UnsafePointer(savedMean.ptr), invStd = UnsafePointer(savedInvStd.ptr)
        let dg = dGamma.ptr, db = dBeta.ptr, eps = eps, batchStatistics = usedBatchStatistics
        gamma.value.data.withUnsafeBufferPointer { g in
            runningMean.value.data.withUnsafeBufferPointer { rm in
                runningVar.value.data.withUnsafeBufferPointer { rv in
                    let (g, rm, rv) = (g.baseAddress!, rm.baseAddress!, rv.baseAddress!)
                    splitChannels(channels, work: 2 * s.count) { cs in
                        if batchStatistics {
                            batchNormBackwardTraining(s, dy: dy, x: x, gamma: g, savedMean: mean, savedInvStd: invStd,
                                                      dx: d, dGamma: dg, dBeta: db, channels: cs)
                        } else {
                            batchNormBackwardEval(s, dy: dy, x: x, gamma: g, runningMean: rm, runningVar: rv, eps: eps,
                                                  dx: d, dGamma: dg, dBeta: db, channels: cs)
                        }
                    }
                }
            }
        }
        let n = channels
        gamma.accumulateGradient { p, alpha, beta in Kernels.addParts(dg, nil, alpha: alpha, beta: beta, into: p, 0..<n) }
        beta.accumulateGradient { p, alpha, beta in Kernels.addParts(db, nil, alpha: alpha, beta: beta, into: p, 0..<n) }
        return d.map { UnsafePointer($0) }
    }
}

/// Backward of the eval-mode batch norm, whose statistics are constants:
/// dγ (C) = Σ dy·(x − running_mean)/√(running_var + ε), dβ (C) = Σ dy (written over),
/// and dx (N, C, S) = γ/√(running_var + ε) · dy when not nil.
func batchNormBackwardEval(_ s: BatchNormShape, dy: UnsafePointer<Float>, x: UnsafePointer<Float>,
                           gamma: UnsafePointer<Float>, runningMean: UnsafePointer<Float>, runningVar: UnsafePointer<Float>,
                           eps: Float, dx: UnsafeMutablePointer<Float>?,
                           dGamma: UnsafeMutablePointer<Float>, dBeta: UnsafeMutablePointer<Float>, channels: Range<Int>) {
    for c in channels {
        let invStd = 1 / (Double(runningVar[c]) + Double(eps)).squareRoot()
        var sumDy = 0.0, sumDyCentered = 0.0
        for n in 0..<s.batch {
            let at = s.offset(n, c)
            sumDy += Double(planeSum(dy + at, count: s.spatial))
            sumDyCentered += Double(planeCenteredDot(dy + at, x + at, runningMean[c], count: s.spatial))
        }
        dBeta[c] = Float(sumDy)
        dGamma[c] = Float(sumDyCentered * invStd)
        guard let dx else { continue }
        let a = Float(Double(gamma[c]) * invStd)
        for n in 0..<s.batch {
            let at = s.offset(n, c)
            normalizePlane(dy + at, 0, a, 0, dx + at, count: s.spatial)   // dx = a·(dy − 0) + 0
        }
    }
}
