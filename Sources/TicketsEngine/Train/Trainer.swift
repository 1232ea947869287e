import Foundation

public enum Trainer {
    /// Trains `net` on the training split with shuffled mini-batches (the last, smaller
    /// batch is kept). Stops early, keeping the net as it is after the last whole step,
    /// when `shouldStop` turns true; that and a non-finite loss are reported by throwing.
    public static func train(_ net: Network, on data: Dataset, _ cfg: TrainConfig,
                             progress: ((TrainProgress) -> Void)? = nil,
                             shouldStop: () -> Bool = { false }) throws -> [EpochRecord] {
        try cfg.validate()
        try net.check(sampleShape: data.sampleShape, classes: data.classes)
        try net.checkFinite()
        let split = data.train
        let n = split.count, d = data.sampleSize, classes = net.outputSize
        guard n > 0 else { throw EngineError("the data set has no training examples") }
        let batch = min(cfg.batch, n)
        let stepsPerEpoch = (n + batch - 1) / batch
        let xb = Buffer(batch * d), dlogits = Buffer(batch * classes)
        var yb = [Int32](repeating: 0, count: batch)
        var history: [EpochRecord] = []
        var stepsLeft = cfg.steps ?? Int.max
        setBLASThreads(1)
        flushDenormals()
        net.setTraining(true)
        let optimizer = cfg.makeOptimizer(net.trainableParameters)
        defer { optimizer.finish() }

        for epoch in 1...cfg.epochs where stepsLeft > 0 {
            let start = DispatchTime.now().uptimeNanoseconds
            var rng = RNG(seed: cfg.seed, stream: UInt64(epoch))
            let order = rng.permutation(n)
            var lossSum = 0.0, correct = 0, seen = 0, stepsDone = 0
            for s in 0..<stepsPerEpoch where stepsLeft > 0 {
                if shouldStop() {
                    throw EngineError("interrupted at epoch \(epoch), step \(s) of \(stepsPerEpoch); the net keeps the weights of its last step")
                }
                let lo = s * batch, b = min(batch, n - lo)
                split.gather(order[lo..<(lo + b)], into: xb.ptr)
                for r in 0..<b { yb[r] = split.labels[Int(order[lo + r])] }
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
                optimizer.step()
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
                let e = try evaluate(net, on: data)
                net.setTraining(true)
                rec.testAcc = e.acc; rec.testLoss = e.loss
            }
            history.append(rec)
            progress?(TrainProgress(epoch: epoch, epochs: cfg.epochs, step: stepsDone, stepsInEpoch: stepsPerEpoch,
                                    loss: rec.loss, seconds: rec.seconds, done: true))
        }
        return history
    }

    static func elapsed(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
