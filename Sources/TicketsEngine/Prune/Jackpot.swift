import Foundation

/// The settings of a lottery-jackpot search (`Pruning.jackpot`).
public struct JackpotConfig: Sendable {
    /// Passes over the training split.
    public var epochs = 1
    /// Iterations in all (then `epochs` is not used).
    public var steps: Int? = nil
    public var batch = 256
    /// The scores' SGD: the authors' CIFAR settings (lr 0.1, momentum 0.9, weight decay
    /// 5e-4 on the scores), the rate following a cosine from lr to 0 over the search.
    public var lr: Double = 0.1
    public var momentum: Double = 0.9
    public var weightDecay: Double = 5e-4
    /// The short restriction: a step swaps at most ⌈(1 − t/T)⁴ · c⌉ of its c candidate
    /// pairs; off: each step takes the top-k of the scores outright (edge-popup).
    public var restrict = true
    /// Seeds the data order (epoch e shuffles with stream e + 1, as `train` does).
    public var seed: UInt64 = 0
    public init() {}
}

/// What a search found.
public struct JackpotResult {
    public var mask: Mask
    /// The magnitude mask the search started from (the same per-layer densities).
    public var start: Mask
    /// Per epoch (or part of one): mean training loss of the masked net, and mask
    /// entries that changed in it (two per swap).
    public var history: [(epoch: Int, loss: Double, swaps: Int)]
}

extension Pruning {
    /// Searches a sparse mask on frozen weights: a lottery jackpot (Zhang, Lin, Zhong,
    /// Chao & Ji, "Lottery Jackpots Exist in Pre-trained Models", arXiv 2104.08700, TPAMI
    /// 2023; code: zyxxmu/lottery-jackpots, utils/conv_type.py PretrainConv and cifar.py).
    ///
    /// Every prunable weight gets a score s; layer l keeps its k_l = round(d_l · n_l)
    /// weights as a binary mask b. The forward pass uses w ⊙ b, the backward pass sends
    /// the gradient straight through to the scores, ∂L/∂s = ∂L/∂(w ⊙ b) ⊙ w (edge-popup,
    /// Ramanujan et al. 2020), and SGD with momentum and weight decay updates s. The
    /// scores start from the magnitude mask at the same densities (1 where magnitude
    /// keeps a weight, 0.99 elsewhere, as the authors' set_prune_rate; this is the
    /// paper's "magnitude-based initialisation"), and b starts as that mask.
    ///
    /// After each step b follows the scores by swaps only (their final_pop_up): the
    /// pruned weights whose score rose above the k-th largest enter and as many kept
    /// weights whose score fell to it or below leave, highest entering with lowest
    /// leaving, and only when the two counts agree. The short restriction limits a
    /// step's swaps to ⌈(1 − t/T)⁴ · c⌉ of its c candidate pairs, fewer as the search
    /// ends (the schedule of the authors' adjust_rate; their code rounds the factor
    /// itself up to 1, which admits every swap). The weights and biases never change;
    /// the layers run in training mode, so batch norm's running statistics follow the
    /// masked net, as in the authors' search.
    public static func jackpot(_ net: Network, data: Dataset, densities: [String: Double], config: JackpotConfig = JackpotConfig(),
                               shouldStop: () -> Bool = { false }) throws -> JackpotResult {
        try checkAmount(.densities(densities), options: PruneOptions(), net: net)
        guard config.epochs >= 1, config.batch >= 1, config.lr > 0, config.momentum >= 0, config.momentum < 1, config.weightDecay >= 0 else {
            throw EngineError("jackpot needs epochs and batch ≥ 1, lr > 0, momentum in [0, 1) and weight_decay ≥ 0")
        }
        if let s = config.steps, s < 1 { throw EngineError("steps must be at least 1, got \(s)") }
        try net.check(sampleShape: data.sampleShape, classes: data.classes)
        try net.checkFinite()
        let split = data.train, n = split.count, classes = net.outputSize
        guard n > 0 else { throw EngineError("the data set has no training examples") }
        let batch = min(config.batch, n)
        try net.check(batch: batch)
        let stepsPerEpoch = (n + batch - 1) / batch
        let total = config.steps ?? config.epochs * stepsPerEpoch

        let prunable = net.prunable
        let weights = prunable.map { $0.weight.value.data }
        let savedMasks = prunable.map { $0.weight.mask }
        let start = try magnitude(net, amount: .densities(densities), options: PruneOptions())
        let keep = start.names.indices.map { start.kept($0) }
        var binary = start.tensors.map { $0.data }
        var scores = binary.map { $0.map { $0 != 0 ? Float(1) : Float(0.99) } }
        var velocity = scores.map { [Float](repeating: 0, count: $0.count) }
        var history: [(epoch: Int, loss: Double, swaps: Int)] = []

        let fused = net.trainableParameters.map(\.fusedRate)
        let modes = net.allLayers.map { $0.layer.training }
        defer {
            // The weights as they were, whatever happened.
            for (i, (_, w)) in prunable.enumerated() { w.value.data = weights[i]; w.mask = savedMasks[i]; w.applyMask() }
            for (p, f) in zip(net.trainableParameters, fused) { p.fusedRate = f }
            for ((_, l), m) in zip(net.allLayers, modes) { l.training = m }
        }
        for p in net.trainableParameters { p.fusedRate = nil }
        for (_, w) in prunable { w.mask = nil }
        net.setTraining(true)
        let xb = Buffer(batch * split.sampleSize), dlogits = Buffer(batch * classes)
        var yb = [Int32](repeating: 0, count: batch)
        var order: [Int32] = [], orderEpoch = -1
        var lossSum = 0.0, lossSteps = 0, swaps = 0
        try withDenormalsFlushed {
            for t in 0..<total {
                if shouldStop() {
                    // The mask as the search left it, with the epochs it finished.
                    let tensors = zip(binary, start.tensors).map { Tensor(shape: $1.shape, data: $0) }
                    let mask = Mask(names: start.names, tensors: tensors, fileKeys: start.fileKeys).with(blueprint: net.blueprint)
                    throw Interrupted("interrupted at step \(t) of \(total) of the jackpot search; the net is unchanged",
                                      partial: JackpotResult(mask: mask, start: start, history: history))
                }
                let e = t / stepsPerEpoch, s = t % stepsPerEpoch
                if e != orderEpoch {
                    var rng = RNG(seed: config.seed, stream: UInt64(e + 1))
                    order = rng.permutation(n)
                    orderEpoch = e
                }
                let lo = s * batch, b = min(batch, n - lo)
                split.gather(order[lo..<(lo + b)], into: xb.ptr)
                for r in 0..<b { yb[r] = split.labels[Int(order[lo + r])] }
                for (i, (_, w)) in prunable.enumerated() { w.value.data = zip(weights[i], binary[i]).map { $0 * $1 } }
                net.prepareIteration(t)
                let logits = net.forward(xb.ptr, batch: b)
                let (l, _) = yb.withUnsafeBufferPointer {
                    softmaxCrossEntropy(logits: logits, labels: $0.baseAddress!, batch: b, classes: classes, grad: dlogits.ptr)
                }
                guard l.isFinite else { throw EngineError("the loss became \(l.isNaN ? "NaN" : "infinite") at step \(t + 1) of the jackpot search") }
                net.backward(dlogits.ptr, batch: b)
                lossSum += l / Double(b); lossSteps += 1
                // SGD on the scores (torch.optim.SGD: d = g + λs; v = μv + d; s −= η v),
                // the rate on a cosine over the search.
                let eta = Float(0.5 * config.lr * (1 + cos(Double.pi * Double(t) / Double(total))))
                let mu = Float(config.momentum), wd = Float(config.weightDecay)
                for (i, (_, w)) in prunable.enumerated() {
                    guard let g = w.grad?.data else { continue }
                    for j in 0..<g.count {
                        let d = g[j] * weights[i][j] + wd * scores[i][j]
                        velocity[i][j] = mu * velocity[i][j] + d
                        scores[i][j] -= eta * velocity[i][j]
                    }
                }
                let factor = config.restrict ? pow(1 - Double(t) / Double(total), 4) : 1
                for i in binary.indices {
                    swaps += 2 * swapTowardTopK(scores: scores[i], binary: &binary[i], keep: keep[i], fraction: factor)
                }
                if s + 1 == stepsPerEpoch || t + 1 == total {
                    history.append((e + 1, lossSum / Double(max(lossSteps, 1)), swaps))
                    lossSum = 0; lossSteps = 0; swaps = 0
                }
            }
        }
        let tensors = zip(binary, start.tensors).map { Tensor(shape: $1.shape, data: $0) }
        return JackpotResult(mask: Mask(names: start.names, tensors: tensors, fileKeys: start.fileKeys).with(blueprint: net.blueprint),
                             start: start, history: history)
    }

    /// One step of the mask following its scores by swaps (the authors' final_pop_up):
    /// with k kept, the threshold is the (n − k)-th smallest score; pruned entries above
    /// it may enter and kept entries at or below it may leave; when their counts agree,
    /// ⌈fraction · count⌉ pairs swap, the highest entering with the lowest leaving.
    /// Returns the pairs swapped.
    static func swapTowardTopK(scores: [Float], binary: inout [Float], keep: Int, fraction: Double) -> Int {
        let n = scores.count, pruned = n - keep
        guard pruned >= 1, keep >= 1 else { return 0 }
        let threshold = kthSmallest(scores, pruned)
        var entering: [Int] = [], leaving: [Int] = []
        for j in 0..<n {
            if binary[j] == 0 && scores[j] > threshold { entering.append(j) }
            if binary[j] != 0 && scores[j] <= threshold { leaving.append(j) }
        }
        guard !entering.isEmpty, entering.count == leaving.count else { return 0 }
        let count = min(entering.count, Int((fraction * Double(entering.count)).rounded(.up)))
        entering.sort { (scores[$0], -$0) > (scores[$1], -$1) }
        leaving.sort { (scores[$0], $0) < (scores[$1], $1) }
        for j in entering.prefix(count) { binary[j] = 1 }
        for j in leaving.prefix(count) { binary[j] = 0 }
        return count
    }

    /// The k-th smallest value (1-based) of `values`: O(n) on average, where sorting a
    /// large layer at every step would dominate the search.
    static func kthSmallest(_ values: [Float], _ k: Int) -> Float { quickselect(values, k, <) }
}
