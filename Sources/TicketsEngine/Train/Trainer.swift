import Foundation

public enum Trainer {
    /// Trains `net` on the training split with shuffled mini-batches (the last, smaller
    /// batch of an epoch is kept), continuing where the net stands: the data order
    /// follows the net's iteration count t (iteration t is step t mod S of the epoch
    /// that shuffles with stream ⌊t/S⌋ + 1 of `cfg.seed`, S steps an epoch), and the
    /// net's optimizer goes on with its state when the settings allow. So two calls
    /// train exactly as one call of both lengths would.
    ///
    /// Stops early, keeping the net as it is after the last whole step, when
    /// `shouldStop` turns true; that and a non-finite loss are reported by throwing.
    public static func train(_ net: Network, on data: Dataset, _ cfg: TrainConfig,
                             progress: ((TrainProgress) -> Void)? = nil,
                             shouldStop: () -> Bool = { false }) throws -> TrainResult {
        try withDenormalsFlushed { try trainFlushed(net, on: data, cfg, progress: progress, shouldStop: shouldStop) }
    }

    static func trainFlushed(_ net: Network, on data: Dataset, _ cfg: TrainConfig,
                             progress: ((TrainProgress) -> Void)?, shouldStop: () -> Bool) throws -> TrainResult {
        try cfg.validate()
        try net.check(sampleShape: data.sampleShape, classes: data.classes)
        try net.checkTokens(data.train, "training")
        try net.checkTokens(data.test, "test")
        if let v = data.validation { try net.checkTokens(v, "validation") }
        try net.checkFinite()
        let split = data.train
        let n = split.count, d = data.sampleSize, classes = net.outputSize
        guard n > 0 else { throw EngineError("the data set has no training examples") }
        let batch = min(cfg.batch, n)
        try net.check(batch: batch)
        // Each layer keeps its output and its input gradient for the batch.
        let activations = net.allLayers.reduce(0) { $0 + $1.layer.outputSize } + d
        try MemoryBudget.check(MemoryBudget.product([batch, activations, 8]), for: "a batch of \(batch) through \(net.architecture)")
        let augmenter = try BatchAugmenter(cfg.augment, data: data, seed: cfg.seed)
        let stepsPerEpoch = (n + batch - 1) / batch
        let start = net.step, end = start + (cfg.steps ?? cfg.epochs * stepsPerEpoch)
        if let k = cfg.snapshotAt.first(where: { $0 < start || $0 > end }) {
            throw EngineError("snapshot_at \(k) is outside this run's iterations \(start)…\(end)")
        }
        let xb = Buffer(batch * d), dlogits = Buffer(batch * classes)
        var yb = [Int32](repeating: 0, count: batch)
        var result = TrainResult()
        setBLASThreads(1)

        // A sparse ticket trains on its kept weights only; the dense values are brought
        // up to date when the run ends, however it ends.
        try net.compress(cfg.sparse)
        defer { net.decompress() }
        let optimizer: Optimizer
        if !cfg.freshOptimizer, let o = net.optimizer, o.adopt(cfg) { optimizer = o } else {
            optimizer = cfg.makeOptimizer(net.trainableParameters)
        }
        net.optimizer = optimizer
        optimizer.begin()
        defer { optimizer.finish() }
        net.setTraining(true)

        // The epoch under way: its order, and what its history row adds up.
        var order: [Int32] = [], orderEpoch = -1
        var epochStart = DispatchTime.now().uptimeNanoseconds
        var lossSum = 0.0, correct = 0, seen = 0, stepsDone = 0
        var sinceEvalLoss = 0.0, sinceEvalSteps = 0
        let lastEpoch = (end - 1) / stepsPerEpoch + 1

        func evaluatePoint(_ t: Int) {
            let rec = EvalRecord(iteration: t, epoch: t / stepsPerEpoch + 1,
                                 trainLoss: sinceEvalSteps > 0 ? sinceEvalLoss / Double(sinceEvalSteps) : nil,
                                 validation: data.validation.map { evaluate(net, $0) }, test: evaluate(net, data.test))
            result.evaluations.append(rec)
            sinceEvalLoss = 0; sinceEvalSteps = 0
            net.setTraining(true)
        }

        for t in start..<end {
            if cfg.snapshotAt.contains(t) { net.syncCompressed(); result.snapshots.append(Snapshot(of: net)) }
            if let every = cfg.evalEvery, t % every == 0 { evaluatePoint(t) }
            let e = t / stepsPerEpoch, s = t % stepsPerEpoch
            if e != orderEpoch {
                var rng = RNG(seed: cfg.seed, stream: UInt64(e + 1))
                order = rng.permutation(n)
                orderEpoch = e
                epochStart = DispatchTime.now().uptimeNanoseconds
                lossSum = 0; correct = 0; seen = 0; stepsDone = 0
            }
            if shouldStop() {
                throw Interrupted("interrupted at epoch \(e + 1), step \(s) of \(stepsPerEpoch); the net keeps the weights of its last step",
                                  partial: result)
            }
            let lo = s * batch, b = min(batch, n - lo)
            split.gather(order[lo..<(lo + b)], into: xb.ptr)
            for r in 0..<b { yb[r] = split.labels[Int(order[lo + r])] }
            augmenter.apply(xb.ptr, batch: b, iteration: t)
            net.prepareIteration(t)
            optimizer.lr = Float(cfg.schedule.rate(base: cfg.lr, at: t, warmup: cfg.warmup))
            let logits = net.forward(xb.ptr, batch: b)
            let (l, c) = yb.withUnsafeBufferPointer {
                softmaxCrossEntropy(logits: logits, labels: $0.baseAddress!, batch: b, classes: classes, grad: dlogits.ptr)
            }
            guard l.isFinite else {
                if t == start {
                    throw EngineError("the loss is \(l.isNaN ? "NaN" : "infinite") at the very first step: the net's weights are already broken (did an earlier run diverge?); rewind or reinit the net first")
                }
                throw EngineError("the loss became \(l.isNaN ? "NaN" : "infinite") at iteration \(t + 1) (epoch \(e + 1), step \(s + 1)): training diverged (lr=\(cfg.lr)\(cfg.weightDecay > 0 ? ", weight_decay=\(cfg.weightDecay)" : "")); rewind or reinit the net and try a smaller learning rate")
            }
            net.backward(dlogits.ptr, batch: b)
            optimizer.step()
            net.step += 1
            lossSum += l; correct += c; seen += b; stepsDone += 1
            sinceEvalLoss += l / Double(b); sinceEvalSteps += 1
            let epochEnds = s + 1 == stepsPerEpoch || t + 1 == end
            if let progress, (s + 1) % 50 == 0 || epochEnds {
                progress(TrainProgress(epoch: e + 1, epochs: lastEpoch, step: s + 1, stepsInEpoch: stepsPerEpoch,
                                       loss: lossSum / Double(seen), seconds: elapsed(since: epochStart), done: false))
            }
            if epochEnds {
                var rec = EpochRecord(epoch: e + 1, steps: stepsDone, loss: lossSum / Double(max(seen, 1)),
                                      trainAcc: Double(correct) / Double(max(seen, 1)), seconds: elapsed(since: epochStart))
                if cfg.evalEachEpoch {
                    let r = evaluate(net, data.test)
                    net.setTraining(true)
                    rec.testAcc = r.acc; rec.testLoss = r.loss
                }
                result.epochs.append(rec)
                progress?(TrainProgress(epoch: e + 1, epochs: lastEpoch, step: s + 1, stepsInEpoch: stepsPerEpoch,
                                        loss: rec.loss, seconds: rec.seconds, done: true))
            }
        }
        if cfg.snapshotAt.contains(end) { net.syncCompressed(); result.snapshots.append(Snapshot(of: net)) }
        if cfg.evalEvery != nil, result.evaluations.last?.iteration != end { evaluatePoint(end) }
        return result
    }

    static func elapsed(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
