import Foundation

/// The settings of one `train` call.
public struct TrainConfig: Sendable {
    public enum Method: String, Sendable { case sgd, adam }
    public var epochs = 1
    /// Stop after this many steps in all (nil: run every epoch to the end).
    public var steps: Int? = nil
    public var lr: Double = 0.1
    public var batch = 60
    public var method: Method = .sgd
    public var momentum: Double = 0
    public var weightDecay: Double = 0
    /// Seeds the shuffle: epoch e uses stream e of it.
    public var seed: UInt64 = 0
    /// Measure test accuracy after every epoch.
    public var evalEachEpoch = false
    public init() {}
}

/// One row of a training history.
public struct EpochRecord: Sendable {
    public var epoch: Int
    public var steps: Int
    public var loss: Double
    public var trainAcc: Double
    public var seconds: Double
    public var testAcc: Double?
    public var testLoss: Double?
}

/// What the trainer tells its caller as it goes (for a progress bar).
public struct TrainProgress: Sendable {
    public var epoch: Int, epochs: Int
    public var step: Int, stepsInEpoch: Int
    public var loss: Double
    public var seconds: Double
    public var done: Bool
}

public enum Trainer {
    /// Trains `net` on the training split with shuffled mini-batches (the last, smaller
    /// batch is kept). Stops early, keeping the net as it is after the last whole step,
    /// when `shouldStop` turns true; that and a non-finite loss are reported by throwing.
    public static func train(_ net: Network, on data: Dataset, _ cfg: TrainConfig,
                             progress: ((TrainProgress) -> Void)? = nil,
                             shouldStop: () -> Bool = { false }) throws -> [EpochRecord] {
        guard data.features == net.inputSize else {
            throw EngineError("the net takes \(net.inputSize) inputs but the data set has \(data.features) features")
        }
        guard data.classes <= net.outputSize else {
            throw EngineError("the data set has \(data.classes) classes but the net has only \(net.outputSize) outputs")
        }
        let opt: Optimizer = cfg.method == .sgd
            ? SGD(lr: Float(cfg.lr), momentum: Float(cfg.momentum), weightDecay: Float(cfg.weightDecay))
            : Adam(lr: Float(cfg.lr), weightDecay: Float(cfg.weightDecay))
        let n = data.trainX.rows, d = data.features, classes = net.outputSize
        guard n > 0 else { throw EngineError("the data set has no training examples") }
        let batch = min(cfg.batch, n)
        let stepsPerEpoch = (n + batch - 1) / batch
        let xb = Buffer(batch * d), dlogits = Buffer(batch * classes)
        var yb = [Int32](repeating: 0, count: batch)
        var history: [EpochRecord] = []
        var stepsLeft = cfg.steps ?? Int.max
        setBLASThreads(1)
        flushDenormals()
        // Plain SGD is fused into the backward pass (see Linear.fusedSGDRate).
        let fused: Float? = cfg.method == .sgd && cfg.momentum == 0 && cfg.weightDecay == 0 ? Float(cfg.lr) : nil
        for l in net.linears { l.fusedSGDRate = fused }
        defer { for l in net.linears { l.fusedSGDRate = nil } }

        for epoch in 1...max(cfg.epochs, 1) where stepsLeft > 0 {
            let start = DispatchTime.now().uptimeNanoseconds
            var rng = RNG(seed: cfg.seed, stream: UInt64(epoch))
            let order = rng.permutation(n)
            var lossSum = 0.0, correct = 0, seen = 0, stepsDone = 0
            for s in 0..<stepsPerEpoch where stepsLeft > 0 {
                if shouldStop() {
                    throw EngineError("interrupted at epoch \(epoch), step \(s) of \(stepsPerEpoch); the net keeps the weights of its last step")
                }
                let lo = s * batch, b = min(batch, n - lo)
                data.trainX.data.withUnsafeBufferPointer { src in
                    for r in 0..<b {
                        let row = Int(order[lo + r])
                        (xb.ptr + r * d).update(from: src.baseAddress! + row * d, count: d)
                        yb[r] = data.trainY[row]
                    }
                }
                let logits = net.forward(xb.ptr, batch: b)
                let (l, c) = yb.withUnsafeBufferPointer {
                    softmaxCrossEntropy(logits: logits, labels: $0.baseAddress!, batch: b, classes: classes, grad: dlogits.ptr)
                }
                guard l.isFinite else {
                    if epoch == 1 && s == 0 {
                        throw EngineError("the loss is \(l.isNaN ? "NaN" : "infinite") at the very first step: the net's weights are already broken (did an earlier run diverge?); rewind or reinit the net first")
                    }
                    throw EngineError("the loss became \(l.isNaN ? "NaN" : "infinite") at epoch \(epoch), step \(s + 1): training diverged (lr=\(cfg.lr)\(cfg.weightDecay > 0 ? ", weight_decay=\(cfg.weightDecay)" : "")); rewind or reinit the net and try a smaller learning rate")
                }
                net.backward(dlogits.ptr, batch: b)
                if fused == nil { opt.step(net) }
                net.step += 1
                lossSum += l; correct += c; seen += b; stepsDone += 1; stepsLeft -= 1
                if let progress, (s + 1) % 50 == 0 || s + 1 == stepsPerEpoch {
                    progress(TrainProgress(epoch: epoch, epochs: cfg.epochs, step: s + 1, stepsInEpoch: stepsPerEpoch,
                                           loss: lossSum / Double(seen), seconds: elapsed(since: start), done: false))
                }
            }
            var rec = EpochRecord(epoch: epoch, steps: stepsDone, loss: lossSum / Double(max(seen, 1)),
                                  trainAcc: Double(correct) / Double(max(seen, 1)), seconds: elapsed(since: start))
            if cfg.evalEachEpoch {
                let e = evaluate(net, on: data)
                rec.testAcc = e.acc; rec.testLoss = e.loss
            }
            history.append(rec)
            progress?(TrainProgress(epoch: epoch, epochs: cfg.epochs, step: stepsDone, stepsInEpoch: stepsPerEpoch,
                                    loss: rec.loss, seconds: rec.seconds, done: true))
        }
        return history
    }

    /// Accuracy and mean loss on the test split (or the training split).
    public static func evaluate(_ net: Network, on data: Dataset, split: Split = .test) -> (acc: Double, loss: Double) {
        let x = split == .test ? data.testX : data.trainX
        let y = split == .test ? data.testY : data.trainY
        return evaluate(net, x: x, y: y)
    }

    public enum Split: String, Sendable { case train, test }

    public static func evaluate(_ net: Network, x: Tensor, y: [Int32]) -> (acc: Double, loss: Double) {
        let n = x.rows, d = x.rowSize, chunk = 1000
        guard n > 0 else { return (0, 0) }
        var lossSum = 0.0, correct = 0
        x.data.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                for lo in stride(from: 0, to: n, by: chunk) {
                    let b = min(chunk, n - lo)
                    let logits = net.forward(xs.baseAddress! + lo * d, batch: b)
                    let (l, c) = softmaxCrossEntropy(logits: logits, labels: ys.baseAddress! + lo, batch: b,
                                                     classes: net.outputSize, grad: nil)
                    lossSum += l; correct += c
                }
            }
        }
        return (Double(correct) / Double(n), lossSum / Double(n))
    }

    static func elapsed(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
