import Foundation

/// A few training examples to score weights on: x (count, sampleSize), y (count).
public struct ScoringBatch {
    public var x: [Float]
    public var y: [Int32]
    public var count: Int { y.count }
    public let sampleSize: Int
}

extension Pruning {
    /// The streams the scoring batches draw from (apart from init, data order, masks).
    static let scoringStreams: UInt64 = 0x5343_4F52_4500   // "SCORE"

    /// `count` training examples drawn uniformly without replacement with `seed`: the
    /// one mini-batch SNIP scores on (its code draws one batch of the shuffled data).
    public static func randomBatch(_ data: Dataset, count: Int, seed: UInt64) throws -> ScoringBatch {
        try randomBatches(data.train, count: count, batches: 1, seed: seed)[0]
    }

    /// `batches` batches of `count` examples of a split: the first count·batches of the
    /// same shuffled order, cut in turn, so the first batch is `randomBatch`'s. Batches
    /// come out shorter only when the split has too few examples.
    public static func randomBatches(_ split: Split, count: Int, batches: Int, seed: UInt64) throws -> [ScoringBatch] {
        let n = split.count
        guard count >= 1 else { throw EngineError("batch must be at least 1, got \(count)") }
        guard batches >= 1 else { throw EngineError("batches must be at least 1, got \(batches)") }
        guard n >= 1 else { throw EngineError("the data set has no training examples") }
        var rng = RNG(seed: seed, stream: scoringStreams)
        let order = rng.permutation(n)
        return (0..<batches).compactMap { b -> ScoringBatch? in
            let lo = min(b * count, n), hi = min(lo + count, n)
            return lo < hi || b == 0 ? gather(split, Array(order[lo..<max(hi, lo)])) : nil
        }
    }

    /// `perClass` examples of every class, the first ones met in an order shuffled with
    /// `seed`: the class-balanced sample GraSP scores on (its GraSP_fetch_data; 10 per
    /// class in its CIFAR-10 configurations). Throws when a class has too few.
    public static func balancedBatch(_ data: Dataset, perClass: Int, seed: UInt64) throws -> ScoringBatch {
        guard perClass >= 1 else { throw EngineError("the sample needs at least 1 example per class, got \(perClass)") }
        let split = data.train
        var rng = RNG(seed: seed, stream: scoringStreams)
        var taken = [Int](repeating: 0, count: data.classes)
        var rows: [Int32] = []
        for r in rng.permutation(split.count) {
            let c = Int(split.labels[Int(r)])
            guard c >= 0, c < data.classes, taken[c] < perClass else { continue }
            taken[c] += 1
            rows.append(r)
        }
        if let c = taken.firstIndex(where: { $0 < perClass }) {
            throw EngineError("the training split has only \(taken[c]) examples of class \(c); the sample needs \(perClass) of every class")
        }
        // Class by class, as GraSP's code concatenates them.
        rows.sort { (split.labels[Int($0)], $0) < (split.labels[Int($1)], $1) }
        return gather(split, rows)
    }

    static func gather(_ split: Split, _ rows: [Int32]) -> ScoringBatch {
        var x = [Float](repeating: 0, count: rows.count * split.sampleSize)
        x.withUnsafeMutableBufferPointer { split.gather(rows, into: $0.baseAddress!) }
        return ScoringBatch(x: x, y: rows.map { split.labels[Int($0)] }, sampleSize: split.sampleSize)
    }

    /// ∂L/∂W for every prunable weight, L the mean cross-entropy of the batch with the
    /// logits divided by `temperature` (GraSP's T; 1 otherwise): the gradient of the
    /// masked net with respect to every weight, pruned ones included. The layers run in
    /// training mode when `training` is set (batch norm on the batch's statistics), else
    /// in evaluation mode; the net's modes are restored after. Batch norm's running
    /// statistics move in training mode: pass a copy when that matters. Large batches go
    /// through in chunks. Returns the gradients layer by layer and the mean loss.
    public static func lossGradients(_ net: Network, _ batch: ScoringBatch, temperature: Double = 1,
                                     training: Bool = false) throws -> (grads: [[Float]], loss: Double) {
        try lossGradients(net, batch, of: net.prunable.map(\.weight), temperature: temperature, training: training)
    }

    /// The same for any of the net's trained parameters (`grad(net, data)` asks for all
    /// of them, weights and biases, in the order of `namedParameters`).
    public static func lossGradients(_ net: Network, _ batch: ScoringBatch, of parameters: [Parameter],
                                     temperature: Double = 1, training: Bool = false) throws -> (grads: [[Float]], loss: Double) {
        let classes = net.outputSize, total = batch.count
        guard total >= 1 else { throw EngineError("the scoring batch is empty") }
        guard temperature > 0, temperature.isFinite else { throw EngineError("temperature must be positive, got \(formatDecimal(temperature))") }
        let modes = net.allLayers.map { $0.layer.training }
        let fused = net.trainableParameters.map(\.fusedRate)
        for p in net.trainableParameters { p.fusedRate = nil }
        defer {
            for ((_, l), m) in zip(net.allLayers, modes) { l.training = m }
            for (p, f) in zip(net.trainableParameters, fused) { p.fusedRate = f }
        }
        net.setTraining(training)
        var sums = parameters.map { [Double](repeating: 0, count: $0.count) }
        var lossSum = 0.0
        let chunk = min(total, net.evaluationBatch)
        let dlogits = Buffer(chunk * classes), scaled = Buffer(chunk * classes)
        let invT = Float(1 / temperature)
        try withDenormalsFlushed {
            for lo in stride(from: 0, to: total, by: chunk) {
                let b = min(chunk, total - lo)
                try net.check(batch: b)
                let logits = batch.x.withUnsafeBufferPointer { net.forward($0.baseAddress! + lo * batch.sampleSize, batch: b) }
                for i in 0..<(b * classes) { scaled.ptr[i] = logits[i] * invT }
                let (l, _) = batch.y.withUnsafeBufferPointer {
                    softmaxCrossEntropy(logits: scaled.ptr, labels: $0.baseAddress! + lo, batch: b, classes: classes, grad: dlogits.ptr)
                }
                lossSum += l
                // dL/dz = (1/T)·dL/d(z/T); the loss kernel divided by this chunk's size,
                // and the whole batch's mean weighs the chunk by b / total.
                let scale = invT * Float(b) / Float(total)
                for i in 0..<(b * classes) { dlogits.ptr[i] *= scale }
                net.backward(dlogits.ptr, batch: b)
                for (i, w) in parameters.enumerated() {
                    guard let g = w.grad else { continue }
                    for j in 0..<g.count { sums[i][j] += Double(g.data[j]) }
                }
            }
        }
        return (sums.map { $0.map(Float.init) }, lossSum / Double(total))
    }
}
