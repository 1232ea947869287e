import Foundation
import Testing
@testable import TicketsEngine

/// The convolutional models (their sizes against PyTorch's, their names), the layers'
/// two-core split against the naive kernels, and training conv nets: masks, batch-norm
/// modes, dropout and augmentation streams.
struct ConvNetTests {
    /// Images of 3 classes (a bright row, column or diagonal in a noisy C×S×S image).
    static func imageData(channels: Int = 1, size: Int = 8, train: Int = 120, test: Int = 30, seed: UInt64 = 0) throws -> Dataset {
        var rng = RNG(seed: seed)
        func make(_ n: Int) throws -> Split {
            var x = [Float](), y = [Int32]()
            for i in 0..<n {
                let c = i % 3, k = rng.below(size)
                var img = (0..<(channels * size * size)).map { _ in Float(rng.uniform() * 0.3) }
                for ch in 0..<channels {
                    for j in 0..<size {
                        let (r, col) = c == 0 ? (k, j) : c == 1 ? (j, k) : (j, j)
                        img[(ch * size + r) * size + col] = 0.9
                    }
                }
                x += img; y.append(Int32(c))
            }
            return try Split(x, labels: y, sampleSize: channels * size * size)
        }
        return try Dataset(name: "images", source: "memory", sampleShape: [channels, size, size], classes: 3,
                           train: make(train), test: make(test))
    }

    /// Trainable values and prunable weights of PyTorch's equivalent modules (counted
    /// with `sum(p.numel() for p in m.parameters())` on the same definitions).
    @Test func modelSizesMatchPyTorch() throws {
        let cifar = [3, 32, 32], fashion = [1, 28, 28]
        let cases: [(Network, Int, Int)] = [
            (try .conv(depth: 2, inputShape: cifar, classes: 10), 4_301_642, 4_300_992),
            (try .conv(depth: 4, inputShape: cifar, classes: 10), 2_425_930, 2_425_024),
            (try .conv(depth: 6, inputShape: cifar, classes: 10), 2_262_602, 2_261_184),
            (try .conv(depth: 2, inputShape: fashion, classes: 10), 3_317_450, 3_316_800),
            (try .conv(depth: 6, inputShape: fashion, classes: 10), 1_802_698, 1_801_280),
            (try .vgg(depth: 11, inputShape: cifar, classes: 10), 9_231_114, 9_222_848),
            (try .vgg(depth: 16, inputShape: cifar, classes: 10), 14_728_266, 14_715_584),
            (try .vgg(depth: 19, inputShape: cifar, classes: 10), 20_040_522, 20_024_000),
            (try .resnet(depth: 20, inputShape: cifar, classes: 10), 272_474, 270_896),
        ]
        for (net, parameters, weights) in cases {
            #expect(net.parameterCount == parameters, "\(net.architecture)")
            #expect(net.weightCount == weights, "\(net.architecture)")
        }
    }

    @Test func layerNamesAsUsersReadThem() throws {
        let c2 = try Network.conv(depth: 2, inputShape: [1, 28, 28], classes: 10)
        #expect(c2.architecture == "conv2 1×28×28→10")
        #expect(c2.prunableNames == ["conv1", "conv2", "fc1", "fc2", "fc3"])
        #expect(c2.layers.map(\.name) == ["conv1", "relu1", "conv2", "relu2", "pool1", "flatten", "fc1", "relu3", "fc2", "relu4", "fc3"])
        #expect(c2.convolutionNames == ["conv1", "conv2"])
        let v = try Network.vgg(depth: 11, inputShape: [3, 32, 32], classes: 10)
        #expect(v.layers.prefix(4).map(\.name) == ["conv1", "bn1", "relu1", "pool1"])
        #expect(v.prunableNames.last == "fc" && v.convolutionNames.count == 8)
        let r = try Network.resnet(depth: 20, inputShape: [3, 32, 32], classes: 10)
        #expect(r.architecture == "resnet20 3×32×32→10")
        #expect(r.prunableNames.count == 22)   // conv, 18 block convs, 2 shortcuts, fc
        #expect(r.prunableNames.contains("block4.shortcut") && r.prunableNames.contains("block9.conv2"))
        #expect(r.parameter("block4.shortcut_bn.running_var") != nil)
        #expect(r.parameter("block1.bn1.weight")?.role == .bias)
    }

    @Test func shapeErrorsNameTheLayer() {
        func message(_ f: () throws -> Network) -> String {
            do { _ = try f(); return "no error" } catch { return "\(error)" }
        }
        #expect(message { try .conv(depth: 3, inputShape: [1, 8, 8], classes: 3) } == "depth must be 2, 4 or 6 (Conv-2, Conv-4, Conv-6), got 3")
        #expect(message { try .vgg(depth: 11, inputShape: [1, 8, 8], classes: 3) } == "pool4 gets 512×1×1 images: a 2×2 window does not fit them (the pooling would leave 0×0)")
        #expect(message { try .conv(depth: 2, inputShape: [64], classes: 3) } == "conv2 takes images (channels×height×width), but the samples are 64 values")
        #expect(message { try .sequential(inputShape: [1, 8, 8], [.conv2d(channels: 4), .linear(outputs: 3)]) }
                == "fc (linear) gets 4×8×8 images; put flatten() or gap() before it")
        #expect(message { try .sequential(inputShape: [1, 8, 8], [.flatten, .conv2d(channels: 4)]) }
                == "conv1: a convolution takes images (channels×height×width), but gets 64 values; convolutions come before flatten()")
        #expect(message { try .sequential(inputShape: [1, 8, 8], [.conv2d(channels: 4), .relu, .flatten, .linear(outputs: 3)]) }
                == "relu() right after conv2d(4): conv2d and linear bring their own ReLU; leave relu() out, or write relu=false in conv2d(4)")
        #expect(message { try .sequential(inputShape: [1, 8, 8], [.conv2d(channels: 4)]) }
                == "the net ends with 4×8×8 images; end it with flatten() (or gap()) and linear(classes)")
        #expect(message { try .sequential(inputShape: [1, 8, 8], [.flatten, .linear(outputs: 2)], classes: 3) }
                == "the net ends with 2 outputs but the data set has 3 classes; end it with linear(3)")
        #expect(message { try .sequential(inputShape: [1, 8, 8], [.conv2d(channels: 2, kernel: 11, padding: 1), .flatten, .linear(outputs: 3)]) }
                == "conv1 gets 1×8×8 images: a 11×11 kernel with padding 1 does not fit them (it would leave 0×0)")
    }

    @Test func autoReLUGoesAfterTheBatchNormAndNotAfterTheLastLayer() throws {
        let net = try Network.sequential(inputShape: [1, 8, 8], [
            .conv2d(channels: 2), .batchNorm, .maxPool(kernel: 2), .conv2d(channels: 2, relu: false), .globalAvgPool,
            .linear(outputs: 4), .dropout(probability: 0.5), .linear(outputs: 3),
        ])
        #expect(net.layers.map(\.name) == ["conv1", "bn1", "relu1", "pool1", "conv2", "gap", "fc1", "relu2", "dropout1", "fc2"])
    }

    /// The layers' forward and backward, split between both cores at a batch big enough
    /// to split, against the naive kernels.
    @Test func splitConvolutionMatchesTheNaiveKernels() throws {
        let batch = 40
        let l = try Conv2D(name: "conv1", inputShape: [8, 8, 8], outChannels: 16, kernelSize: 3, stride: 1, padding: 1)
        #expect(batch * 16 * 72 * 64 >= TwoWay.minimumWork)
        var rng = RNG(seed: 3)
        l.weight.value.data = KernelTestSupport.randomArray(l.weight.count, &rng)
        l.bias!.value.data = KernelTestSupport.randomArray(16, &rng)
        let x = KernelTestSupport.randomArray(batch * l.inputSize, &rng), dy = KernelTestSupport.randomArray(batch * l.outputSize, &rng)
        let xp = UnsafeMutablePointer<Float>.allocate(capacity: x.count), dyp = UnsafeMutablePointer<Float>.allocate(capacity: dy.count)
        defer { xp.deallocate(); dyp.deallocate() }
        xp.initialize(from: x, count: x.count); dyp.initialize(from: dy, count: dy.count)
        let y = Array(UnsafeBufferPointer(start: l.forward(xp, batch: batch), count: dy.count))
        let dx = Array(UnsafeBufferPointer(start: l.backward(dyp, batch: batch, needInputGrad: true)!, count: x.count))
        let s = try Conv2DShape(batch: batch, inChannels: 8, inHeight: 8, inWidth: 8, outChannels: 16,
                                kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
        KernelTestSupport.expectClose(y, conv2dForwardReference(s, x: x, weight: l.weight.value.data, bias: l.bias!.value.data), "y")
        let ref = conv2dBackwardReference(s, x: x, weight: l.weight.value.data, dy: dy)
        KernelTestSupport.expectClose(dx, ref.dx, "dx")
        KernelTestSupport.expectClose(l.weight.grad!.data, ref.dWeight, tolerance: 1e-3, "dW")
        KernelTestSupport.expectClose(l.bias!.grad!.data, ref.dBias, tolerance: 1e-3, "db")
    }

    /// Pruned convolution weights stay exactly zero through training with plain
    /// (fused) SGD, SGD with momentum and Adam; surviving ones learn.
    @Test(arguments: [(TrainConfig.Method.sgd, 0.0), (.sgd, 0.9), (.adam, 0.0)])
    func prunedConvWeightsStayZero(method: TrainConfig.Method, momentum: Double) throws {
        let data = try Self.imageData()
        let net = try Network.sequential(inputShape: [1, 8, 8], [
            .conv2d(channels: 4), .batchNorm, .maxPool(kernel: 2), .conv2d(channels: 4), .flatten, .linear(outputs: 3),
        ], seed: 1)
        let mask = try Pruning.magnitude(net, rate: 0.5)
        try mask.apply(to: net)
        let before = net.prunable.map(\.weight.value.data)
        var cfg = TrainConfig(); cfg.epochs = 2; cfg.batch = 16; cfg.method = method; cfg.momentum = momentum
        cfg.lr = method == .adam ? 0.01 : 0.05
        _ = try Trainer.train(net, on: data, cfg)
        var moved = 0
        for ((name, w), (m, w0)) in zip(net.prunable, zip(mask.tensors, before)) {
            for i in 0..<m.count {
                if m.data[i] == 0 { #expect(w.value.data[i] == 0, "\(name)[\(i)] became \(w.value.data[i])") }
                else if w.value.data[i] != w0[i] { moved += 1 }
            }
        }
        #expect(moved > mask.keptTotal / 2)
    }

    @Test func batchNormRunningStatisticsMoveInTrainingAndServeEvaluation() throws {
        let data = try Self.imageData()
        let net = try Network.sequential(inputShape: [1, 8, 8], [.conv2d(channels: 2), .batchNorm, .flatten, .linear(outputs: 3)], seed: 2)
        let bn = try #require(net.layers.compactMap { $0 as? BatchNorm }.first)
        var cfg = TrainConfig(); cfg.steps = 3; cfg.batch = 20
        _ = try Trainer.train(net, on: data, cfg)
        #expect(bn.runningMean.value.data != [0, 0] && bn.runningVar.value.data != [1, 1])
        let stats = bn.runningMean.value.data + bn.runningVar.value.data
        let e = try Trainer.evaluate(net, on: data)
        #expect(net.allLayers.allSatisfy { !$0.layer.training })
        #expect(bn.runningMean.value.data + bn.runningVar.value.data == stats)
        // The evaluation's loss is the eval-mode reference's.
        var x = [Float](repeating: 0, count: data.test.count * 64)
        x.withUnsafeMutableBufferPointer { data.test.copy(0..<data.test.count, into: $0.baseAddress!) }
        let logits = LayerReference().forward(net, x.map(Double.init), batch: data.test.count)
        let loss = LayerReference.crossEntropy(logits, data.test.labels, classes: 3)
        #expect(abs(loss - e.loss) < 1e-4)
    }

    /// Dropout and augmentation draw from streams of the iteration: two train calls
    /// give the net one call of both lengths gives, and a repeated run the same net.
    @Test func dropoutAndAugmentationAreReproducibleAcrossCalls() throws {
        let data = try Self.imageData(channels: 2, size: 8)
        func make() throws -> Network {
            try Network.sequential(inputShape: [2, 8, 8], [
                .conv2d(channels: 3), .maxPool(kernel: 2), .flatten, .dropout(probability: 0.3), .linear(outputs: 3),
            ], seed: 4)
        }
        var cfg = TrainConfig(); cfg.batch = 16; cfg.augment = .cropFlip; cfg.seed = 9
        let once = try make(), twice = try make()
        cfg.steps = 12
        _ = try Trainer.train(once, on: data, cfg)
        cfg.steps = 5
        _ = try Trainer.train(twice, on: data, cfg)
        cfg.steps = 7
        _ = try Trainer.train(twice, on: data, cfg)
        #expect(once.stateDict().map(\.tensor.data) == twice.stateDict().map(\.tensor.data))
        let plain = try make()
        cfg.augment = .none; cfg.steps = 12
        _ = try Trainer.train(plain, on: data, cfg)
        #expect(plain.stateDict().map(\.tensor.data) != once.stateDict().map(\.tensor.data))
    }

    @Test func copiesAreIndependentAndComputeTheSame() throws {
        let net = try Network.resnet(depth: 8, inputShape: [3, 8, 8], classes: 3, seed: 5)
        let data = try Self.imageData(channels: 3, size: 8)
        var cfg = TrainConfig(); cfg.steps = 2; cfg.batch = 10
        _ = try Trainer.train(net, on: data, cfg)
        let copy = net.copy()
        let a = try Trainer.evaluate(net, on: data), b = try Trainer.evaluate(copy, on: data)
        #expect(a.loss == b.loss)
        _ = try Trainer.train(copy, on: data, cfg)
        #expect(try Trainer.evaluate(net, on: data).loss == a.loss)
    }

    @Test func largestBatchGuardsTraining() throws {
        let net = try Network.conv(depth: 2, inputShape: [1, 28, 28], classes: 10)
        #expect(net.largestBatch == Int(Int32.max) / (64 * 28 * 28))
        #expect(throws: EngineError.self) { try net.check(batch: net.largestBatch + 1) }
        #expect(net.evaluationBatch == (1 << 26) / (4 * 64 * 28 * 28 + 2 * 64 * 14 * 14 + 2 * 256 + 2 * 256 + 10))
        #expect(try Network.mlp([784, 300, 100, 10]).evaluationBatch == 1000)
    }
}
