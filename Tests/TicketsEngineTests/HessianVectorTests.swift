import Foundation
import Testing
@testable import TicketsEngine

/// The exact Hessian-vector product (Pearlmutter's R-operator, NN/HessianVector.swift)
/// of every layer kind against a central finite difference of the engine's gradients,
/// (∇L(θ + εv) − ∇L(θ − εv)) / 2ε taken in Float64, on nets small enough that the step
/// flips no ReLU gate and no max-pooling window. v covers every trained parameter
/// (weights, biases, batch norm's scale and shift).
struct HessianVectorTests {
    /// The relative error ‖Hv − FD‖ / ‖FD‖ over all trained parameters.
    static func relativeError(_ net: Network, _ batch: ScoringBatch, training: Bool, temperature: Double = 1,
                              seed: UInt64 = 1, step: Double = 1e-3) throws -> Double {
        let params = net.trainableParameters
        var rng = RNG(seed: seed)
        let v: [[Float]] = params.map { p in
            (0..<p.count).map { j in p.mask.map { $0.data[j] } == 0 ? 0 : Float(rng.normal()) }
        }
        let hv = try Pruning.hessianVectorProduct(net, batch, direction: Array(zip(params, v)), of: params,
                                                  temperature: temperature, training: training)
        let theta = params.map { $0.value.data }
        let thetaNorm = theta.joined().reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let vNorm = v.joined().reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let eps = step * thetaNorm / vNorm
        func gradients(_ sign: Double) throws -> [[Float]] {
            for (i, p) in params.enumerated() {
                p.value.data = zip(theta[i], v[i]).map { Float(Double($0) + sign * eps * Double($1)) }
                p.applyMask()
            }
            return try Pruning.lossGradients(net, batch, of: params, temperature: temperature, training: training).grads
        }
        let gates = Self.gates(net)
        let plus = try gradients(1)
        let gatesPlus = Self.gates(net)
        let minus = try gradients(-1)
        let gatesMinus = Self.gates(net)
        for (i, p) in params.enumerated() { p.value.data = theta[i] }
        var err = 0.0, norm = 0.0
        for i in params.indices {
            for j in 0..<params[i].count {
                let fd = (Double(plus[i][j]) - Double(minus[i][j])) / (2 * eps)
                err += (Double(hv[i][j]) - fd) * (Double(hv[i][j]) - fd)
                norm += fd * fd
            }
        }
        #expect(norm > 0)
        #expect(gatesPlus == gates && gatesMinus == gates, "the step flipped a ReLU gate or a pooling window: the test needs another seed")
        return (err / norm).squareRoot()
    }

    /// Every ReLU's on/off pattern and every max pooling's argmax of the last forward
    /// pass: the finite difference is only a test of the R passes where they are the same
    /// at θ and at θ ± εv.
    static func gates(_ net: Network) -> [[Int32]] {
        func on(_ p: UnsafePointer<Float>, _ n: Int) -> [Int32] { (0..<n).map { p[$0] > 0 ? 1 : 0 } }
        var out: [[Int32]] = []
        for (_, l) in net.allLayers {
            if let r = l as? ReLU { out.append(on(r.out.ptr, r.out.capacity)) }
            if let m = l as? MaxPool2D { out.append(Array(UnsafeBufferPointer(start: m.argmax.ptr, count: m.argmax.capacity))) }
            if let b = l as? ResidualBlock {
                out.append(on(b.out.ptr, b.out.capacity))
                out.append(on(b.relu1.out.ptr, b.relu1.out.capacity))
            }
        }
        return out
    }

    static func batch(count: Int, sampleSize: Int, classes: Int, seed: UInt64) -> ScoringBatch {
        var rng = RNG(seed: seed)
        return ScoringBatch(x: (0..<(count * sampleSize)).map { _ in Float(rng.normal()) },
                            y: (0..<count).map { Int32($0 % classes) }, sampleSize: sampleSize)
    }

    static func net(_ layers: [Layer], seed: UInt64 = 2) throws -> Network {
        let n = try Network(architecture: "test", layers: layers, initializer: .kaiming, seed: seed)
        n.initialize(seed: seed)
        var rng = RNG(seed: seed + 100)
        // Batch norm away from its identity start, so every term of its R passes counts.
        for (_, l) in n.allLayers {
            guard let bn = l as? BatchNorm else { continue }
            bn.gamma.value.data = bn.gamma.value.data.map { _ in Float(0.5 + rng.uniform()) }
            bn.beta.value.data = bn.beta.value.data.map { _ in Float(rng.normal() * 0.3) }
            bn.runningMean.value.data = bn.runningMean.value.data.map { _ in Float(rng.normal() * 0.2) }
            bn.runningVar.value.data = bn.runningVar.value.data.map { _ in Float(0.5 + rng.uniform()) }
        }
        return n
    }

    @Test func linearAndReLUWithAMask() throws {
        let net = try Network.mlp([6, 5, 4, 3], initializer: .torch, seed: 3)
        // Prune a third of fc1: its weights stay zero and their direction is masked.
        let m = Tensor(shape: [5, 6], data: (0..<30).map { $0 % 3 == 0 ? 0 : 1 })
        net.prunable[0].weight.mask = m
        net.prunable[0].weight.applyMask()
        let b = Self.batch(count: 8, sampleSize: 6, classes: 3, seed: 4)
        for t in [1.0, 200.0] {
            let err = try Self.relativeError(net, b, training: false, temperature: t)
            #expect(err < 2e-3, "T=\(t): relative error \(err)")
        }
    }

    @Test func convolutionMaxPoolingFlatten() throws {
        let conv = try Conv2D(name: "conv1", inputShape: [2, 6, 6], outChannels: 3, kernelSize: 3, stride: 1, padding: 1)
        let pool = try MaxPool2D(name: "pool1", inputShape: [3, 6, 6], kernelSize: 2)
        let conv2 = try Conv2D(name: "conv2", inputShape: [3, 3, 3], outChannels: 4, kernelSize: 2, stride: 1, padding: 0, bias: false)
        let net = try Self.net([conv, ReLU(name: "relu1", shape: [3, 6, 6]), pool, conv2,
                                Flatten(name: "flatten", inputShape: [4, 2, 2]), Linear(name: "fc", inFeatures: 16, outFeatures: 3)])
        let err = try Self.relativeError(net, Self.batch(count: 5, sampleSize: 72, classes: 3, seed: 5), training: false)
        #expect(err < 2e-3, "relative error \(err)")
    }

    @Test func averagePoolingAndGlobalAveragePool() throws {
        let conv = try Conv2D(name: "conv1", inputShape: [1, 6, 6], outChannels: 3, kernelSize: 3, stride: 1, padding: 1)
        let pool = try AvgPool2D(name: "pool1", inputShape: [3, 6, 6], kernelSize: 3, stride: 1)
        let conv2 = try Conv2D(name: "conv2", inputShape: [3, 4, 4], outChannels: 4, kernelSize: 3, stride: 2, padding: 1)
        let net = try Self.net([conv, ReLU(name: "relu1", shape: [3, 6, 6]), pool, conv2,
                                GlobalAvgPool(name: "gap", inputShape: [4, 2, 2]), Linear(name: "fc", inFeatures: 4, outFeatures: 3)])
        let err = try Self.relativeError(net, Self.batch(count: 4, sampleSize: 36, classes: 3, seed: 6), training: false)
        #expect(err < 2e-3, "relative error \(err)")
    }

    /// Batch norm on features and on images, in training mode (the batch's statistics
    /// move with the weights) and in evaluation mode (the running ones).
    @Test func batchNormInBothModes() throws {
        let conv = try Conv2D(name: "conv1", inputShape: [1, 5, 5], outChannels: 3, kernelSize: 3, stride: 1, padding: 1)
        let net = try Self.net([conv, BatchNorm(name: "bn1", inputShape: [3, 5, 5]), ReLU(name: "relu1", shape: [3, 5, 5]),
                                Flatten(name: "flatten", inputShape: [3, 5, 5]), Linear(name: "fc1", inFeatures: 75, outFeatures: 6),
                                BatchNorm(name: "bn2", inputShape: [6]), ReLU(name: "relu2", shape: [6]),
                                Linear(name: "fc2", inFeatures: 6, outFeatures: 3)])
        let b = Self.batch(count: 6, sampleSize: 25, classes: 3, seed: 7)
        for training in [true, false] {
            let err = try Self.relativeError(net, b, training: training)
            #expect(err < 2e-3, "training \(training): relative error \(err)")
        }
    }

    /// Dropout in training mode keeps the forward's mask; in evaluation mode it is the
    /// identity.
    @Test func dropoutWithItsMaskFixed() throws {
        let net = try Self.net([Linear(name: "fc1", inFeatures: 5, outFeatures: 8), ReLU(name: "relu1", shape: [8]),
                                Dropout(name: "dropout1", inputShape: [8], probability: 0.5, seed: 9),
                                Linear(name: "fc2", inFeatures: 8, outFeatures: 3)])
        let b = Self.batch(count: 6, sampleSize: 5, classes: 3, seed: 12)
        for training in [true, false] {
            let err = try Self.relativeError(net, b, training: training, step: 1e-4)
            #expect(err < 2e-3, "training \(training): relative error \(err)")
        }
    }

    /// Residual blocks with an identity and a projection shortcut, batch norm in both
    /// modes.
    @Test func residualBlocks() throws {
        let stem = try Conv2D(name: "conv", inputShape: [1, 4, 4], outChannels: 2, kernelSize: 3, stride: 1, padding: 1, bias: false)
        let b1 = try ResidualBlock(name: "block1", inputShape: [2, 4, 4], outChannels: 2, downsample: false)
        let b2 = try ResidualBlock(name: "block2", inputShape: [2, 4, 4], outChannels: 3, downsample: true)
        let net = try Self.net([stem, b1, b2, GlobalAvgPool(name: "gap", inputShape: [3, 2, 2]),
                                Linear(name: "fc", inFeatures: 3, outFeatures: 3)])
        let b = Self.batch(count: 4, sampleSize: 16, classes: 3, seed: 9)
        for training in [true, false] {
            let err = try Self.relativeError(net, b, training: training, step: 1e-4)
            #expect(err < 2e-3, "training \(training): relative error \(err)")
        }
    }

    /// A layer kind without R passes: one sentence naming it, no trap.
    /// The grokking MLP (embedding, sum over positions, bias-free linear layers), with
    /// a mask on the embedding; the net's shortcuts over layers (LinearFusion) are on,
    /// as a user's net has them: the product must go through the layers anyway.
    @Test func embeddingAndSumOverPositions() throws {
        let net = try EmbeddingTests.grokNet(p: 7, d: 6, h: 5, seed: 3)
        let e = net.prunable[0].weight
        e.mask = Tensor(shape: e.shape, data: (0..<e.count).map { $0 % 4 == 0 ? 0 : 1 })
        e.applyMask()
        #expect(net.fuses)
        var rng = RNG(seed: 9)
        let tokens = (0..<24).map { _ in Float(Int(rng.uniform() * 7)) }
        let b = ScoringBatch(x: tokens, y: (0..<12).map { Int32($0 % 7) }, sampleSize: 2)
        let err = try Self.relativeError(net, b, training: false)
        #expect(err < 2e-3, "relative error \(err)")
        #expect(net.fuses, "the shortcuts are back on after the product")
    }

    @Test func aLayerWithoutRPassesIsNamed() throws {
        final class Doubler: Layer {
            let name = "twice", inputShape = [3], outputShape = [3]
            var training = true
            var kind: String { "doubler" }
            var parameters: [Parameter] { [] }
            var summary: String { "twice" }
            let out = Buffer(), dx = Buffer()
            func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
                let y = out.ensure(batch * 3); for i in 0..<(batch * 3) { y[i] = 2 * x[i] }; return UnsafePointer(y)
            }
            func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>? {
                let d = dx.ensure(batch * 3); for i in 0..<(batch * 3) { d[i] = 2 * dy[i] }; return UnsafePointer(d)
            }
            func copy() -> Layer { Doubler() }
        }
        let net = try Self.net([Doubler(), Linear(name: "fc", inFeatures: 3, outFeatures: 2)])
        let p = net.trainableParameters
        #expect(throws: EngineError("hvp does not support layer kind doubler (twice) yet")) {
            try Pruning.hessianVectorProduct(net, Self.batch(count: 2, sampleSize: 3, classes: 2, seed: 1),
                                             direction: p.map { ($0, [Float](repeating: 1, count: $0.count)) }, of: p)
        }
    }

    /// v by key: a parameter the net lacks or a tensor of the wrong shape is named.
    @Test func directionsByKeyAreChecked() throws {
        let net = try Network.mlp([4, 3, 2], seed: 1)
        let b = Self.batch(count: 2, sampleSize: 4, classes: 2, seed: 1)
        #expect(throws: EngineError("v's fc1.weight is 2×4 but the net's is 3×4")) {
            try Pruning.parameterHessianVector(net, batches: [b], direction: [("fc1.weight", Tensor(zeros: [2, 4]))])
        }
        #expect(throws: EngineError("v has fc9.weight, which is not a trained parameter of the net (it has fc1.weight, fc1.bias, fc2.weight, fc2.bias)")) {
            try Pruning.parameterHessianVector(net, batches: [b], direction: [("fc9.weight", Tensor(zeros: [2, 4]))])
        }
    }
}
