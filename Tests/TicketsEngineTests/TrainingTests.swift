import Testing
@testable import TicketsEngine

struct TrainingTests {
    /// A small separable problem: class = which of the 4 input features is largest.
    static func toyData(n: Int = 400, seed: UInt64 = 0) -> Dataset {
        var rng = RNG(seed: seed)
        func make(_ n: Int) -> ([Float], [Int32]) {
            var x = [Float](), y = [Int32]()
            for _ in 0..<n {
                let row = (0..<4).map { _ in Float(rng.uniform()) }
                x += row
                y.append(Int32(row.firstIndex(of: row.max()!)!))
            }
            return (x, y)
        }
        let (trX, trY) = make(n), (teX, teY) = make(n / 2)
        return try! Dataset.memory(name: "toy", trainX: trX, trainY: trY, testX: teX, testY: teY, features: 4, classes: 4)
    }

    @Test func trainingLearnsAToyProblem() throws {
        let data = Self.toyData(n: 2000)
        let net = try Network.mlp([4, 32, 4], initializer: .kaiming, seed: 1)
        let before = try Trainer.evaluate(net, on: data)
        var cfg = TrainConfig(); cfg.epochs = 30; cfg.lr = 0.1; cfg.batch = 20; cfg.momentum = 0.9
        let h = try Trainer.train(net, on: data, cfg)
        #expect(h.epochs.count == 30 && h.epochs.last!.loss < h.epochs.first!.loss)
        let after = try Trainer.evaluate(net, on: data)
        #expect(after.acc > 0.85 && after.acc > before.acc, "accuracy \(before.acc) → \(after.acc)")
    }

    @Test func sameSeedSameResult() throws {
        let data = Self.toyData()
        func run() throws -> [Float] {
            let net = try Network.mlp([4, 16, 4], seed: 2)
            var cfg = TrainConfig(); cfg.epochs = 2; cfg.batch = 16; cfg.seed = 5
            _ = try Trainer.train(net, on: data, cfg)
            return net.linears.flatMap(\.weight.value.data)
        }
        #expect(try run() == run())
    }

    /// Pruned weights stay exactly zero while surviving weights, negative ones included,
    /// keep learning (public LTH code once froze every negative weight).
    @Test(arguments: [TrainConfig.Method.sgd, .adam])
    func maskedWeightsStayZeroAndSurvivorsLearn(method: TrainConfig.Method) throws {
        let data = Self.toyData()
        let net = try Network.mlp([4, 16, 4], seed: 3)
        let m = try Pruning.random(net, densities: ["fc1": 0.5, "fc2": 0.5], seed: 1)
        try m.apply(to: net)
        let before = net.linears.map(\.weight.value.data)
        var cfg = TrainConfig(); cfg.epochs = 3; cfg.batch = 10; cfg.method = method
        cfg.lr = method == .sgd ? 0.1 : 0.01; cfg.momentum = method == .sgd ? 0.9 : 0; cfg.weightDecay = 1e-3
        _ = try Trainer.train(net, on: data, cfg)
        var negativeMoved = 0, positiveMoved = 0
        for (l, (t, w0)) in zip(net.linears, zip(m.tensors, before)) {
            for i in 0..<t.count {
                if t.data[i] == 0 {
                    #expect(l.weight.value.data[i] == 0, "pruned \(l.name)[\(i)] became \(l.weight.value.data[i])")
                } else if l.weight.value.data[i] != w0[i] {
                    if w0[i] < 0 { negativeMoved += 1 } else { positiveMoved += 1 }
                }
            }
        }
        let survivorsNegative = zip(m.tensors, before).map { t, w in (0..<t.count).filter { t.data[$0] != 0 && w[$0] < 0 }.count }.reduce(0, +)
        #expect(negativeMoved == survivorsNegative && negativeMoved > 0 && positiveMoved > 0)
    }

    /// Plain SGD fused into the backward pass updates exactly as the SGD optimizer does,
    /// masked weights included.
    @Test func fusedSGDMatchesTheOptimizer() throws {
        let data = Self.toyData(n: 40)
        func run(fused: Bool) throws -> [Float] {
            let net = try Network.mlp([4, 16, 4], seed: 3)
            try Pruning.random(net, densities: ["fc1": 0.5, "fc2": 0.75], seed: 2).apply(to: net)
            let opt = SGD(net.trainableParameters, lr: 0.3, fuse: fused)
            defer { opt.finish() }
            var dl = [Float](repeating: 0, count: 40 * 4)
            let x = data.train.floats()
            for _ in 0..<3 {
                let logits = x.withUnsafeBufferPointer { net.forward($0.baseAddress!, batch: 40) }
                data.train.labels.withUnsafeBufferPointer { y in dl.withUnsafeMutableBufferPointer { g in
                    _ = softmaxCrossEntropy(logits: logits, labels: y.baseAddress!, batch: 40, classes: 4, grad: g.baseAddress!)
                } }
                dl.withUnsafeBufferPointer { net.backward($0.baseAddress!, batch: 40) }
                opt.step()
            }
            return net.linears.flatMap { $0.weight.value.data + $0.bias.value.data }
        }
        let a = try run(fused: true), b = try run(fused: false)
        for (x, y) in zip(a, b) { #expect(abs(x - y) < 1e-6) }
        #expect(a.filter { $0 == 0 }.count >= 32 + 16)   // the pruned weights stayed zero
    }

    @Test func nanLossIsAnErrorNotACrash() throws {
        let data = Self.toyData()
        let net = try Network.mlp([4, 16, 4], seed: 3)
        var cfg = TrainConfig(); cfg.lr = 1e30; cfg.epochs = 3
        #expect(throws: EngineError.self) { try Trainer.train(net, on: data, cfg) }
    }

    @Test func anEmptyDataSetIsAnError() throws {
        let empty = try Dataset.memory(name: "empty", trainX: [], trainY: [], testX: [], testY: [], features: 4, classes: 2)
        #expect(throws: EngineError.self) { try Trainer.train(try Network.mlp([4, 2]), on: empty, TrainConfig()) }
        #expect(try Trainer.evaluate(try Network.mlp([4, 2]), on: empty).count == 0)
    }

    @Test func shapeMismatchIsAnError() throws {
        let net = try Network.mlp([5, 3], seed: 0)
        #expect(throws: EngineError.self) { try Trainer.train(net, on: Self.toyData(), TrainConfig()) }
    }

    @Test func sgdMomentumStepByHand() throws {
        let net = try Network.mlp([1, 1], seed: 0)
        let l = net.linears[0]
        l.weight.value.data = [1]; l.bias.value.data = [0]
        let opt = SGD(net.trainableParameters, lr: 0.1, momentum: 0.5, weightDecay: 0.1)
        l.weight.grad!.data = [2]; l.bias.grad!.data = [0]
        opt.step()   // v = 2 + 0.1·1 = 2.1; w = 1 − 0.21 = 0.79
        #expect(abs(l.weight.value.data[0] - 0.79) < 1e-6)
        l.weight.grad!.data = [2]
        opt.step()   // v = 0.5·2.1 + 2 + 0.079 = 3.129; w = 0.79 − 0.3129 = 0.4771
        #expect(abs(l.weight.value.data[0] - 0.4771) < 1e-6)
    }

    @Test func adamFirstStepMovesByLearningRate() throws {
        let net = try Network.mlp([1, 1], seed: 0)
        let l = net.linears[0]
        l.weight.value.data = [1]; l.bias.value.data = [0]
        l.weight.grad!.data = [-3]; l.bias.grad!.data = [0]
        Adam(net.trainableParameters, lr: 0.01).step()   // bias-corrected m̂/√v̂ = sign(g) on the first step
        #expect(abs(l.weight.value.data[0] - 1.01) < 1e-5)
    }
}

/// The optimizers and schedules the papers use, one step at a time by hand.
struct OptimizerTests {
    @Test func adamwDecaysTheWeightsApartFromTheGradient() throws {
        let net = try Network.mlp([1, 1], seed: 0)
        let l = net.linears[0]
        l.weight.value.data = [1]; l.bias.value.data = [0]
        l.weight.grad!.data = [-3]; l.bias.grad!.data = [0]
        // w·(1 − η·λ) − η·sign(g) on the first step: 1·(1 − 0.001) + 0.01 = 1.009
        Adam(net.trainableParameters, lr: 0.01, weightDecay: 0.1, decoupled: true).step()
        #expect(abs(l.weight.value.data[0] - 1.009) < 1e-5)
    }

    @Test func nesterovStepsByHand() throws {
        let net = try Network.mlp([1, 1], seed: 0)
        let l = net.linears[0]
        l.weight.value.data = [1]; l.bias.value.data = [0]
        let opt = SGD(net.trainableParameters, lr: 0.1, momentum: 0.5, nesterov: true)
        l.weight.grad!.data = [2]; l.bias.grad!.data = [0]
        opt.step()   // v = 2; w = 1 − 0.1·(2 + 0.5·2) = 0.7
        #expect(abs(l.weight.value.data[0] - 0.7) < 1e-6)
        opt.step()   // v = 0.5·2 + 2 = 3; w = 0.7 − 0.1·(2 + 1.5) = 0.35
        #expect(abs(l.weight.value.data[0] - 0.35) < 1e-6)
    }

    @Test func schedulesByHand() {
        let step = LRSchedule.step(milestones: [10, 20], gamma: 0.1)
        #expect(step.rate(base: 1, at: 9) == 1 && abs(step.rate(base: 1, at: 10) - 0.1) < 1e-12 && abs(step.rate(base: 1, at: 25) - 0.01) < 1e-12)
        let cos = LRSchedule.cosine(total: 100, minimum: 0)
        #expect(cos.rate(base: 1, at: 0) == 1 && abs(cos.rate(base: 1, at: 50) - 0.5) < 1e-12 && cos.rate(base: 1, at: 100) < 1e-12)
        #expect(cos.rate(base: 1, at: 150) < 1e-12)
        #expect(LRSchedule.constant.rate(base: 0.4, at: 0, warmup: 4) == 0.1 && LRSchedule.constant.rate(base: 0.4, at: 3, warmup: 4) == 0.4)
        // With warm-up, cosine anneals over the iterations after it.
        #expect(abs(cos.rate(base: 1, at: 55, warmup: 10) - 0.5) < 1e-12)
    }

    @Test func twoCallsTrainAsOne() throws {
        let data = TrainingTests.toyData(n: 90)
        for method in TrainConfig.Method.allCases {
            var cfg = TrainConfig(); cfg.batch = 20; cfg.method = method
            cfg.lr = method == .sgd ? 0.1 : 0.01; cfg.momentum = method == .sgd ? 0.9 : 0
            cfg.weightDecay = method == .adamw ? 0.01 : 0
            let one = try Network.mlp([4, 8, 4], seed: 1), two = try Network.mlp([4, 8, 4], seed: 1)
            cfg.steps = 13
            _ = try Trainer.train(one, on: data, cfg)
            cfg.steps = 6
            _ = try Trainer.train(two, on: data, cfg)
            cfg.steps = 7
            _ = try Trainer.train(two, on: data, cfg)
            #expect(zip(one.namedParameters, two.namedParameters).allSatisfy { $0.1.value.data == $1.1.value.data },
                    "\(method): two calls differ from one")
            #expect(one.step == 13 && two.step == 13)
        }
    }
}
