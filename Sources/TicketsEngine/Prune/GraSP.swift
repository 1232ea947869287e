extension Pruning {
    /// The relative size of GraSP's finite-difference step: the weights move by
    /// ±ε·g with ε·‖g‖ = `graspStep` · ‖w‖ (see `graspScores`).
    public static let graspStep = 1e-3

    /// GraSP's scores (Wang, Zhang & Grosse, "Picking Winning Tickets Before Training by
    /// Preserving Gradient Flow", ICLR 2020, eq. 8): S = −w ⊙ Hg, H the Hessian of the
    /// loss and g its gradient with respect to the prunable weights; GraSP removes the
    /// weights of *highest* S (they reduce the gradient flow least when removed).
    ///
    /// As alecwangcq/GraSP (pruner/GraSP.py) computes them: the logits are divided by a
    /// temperature T (200), the sample is split in two halves and g is the sum of the
    /// halves' gradients; the layers run in training mode (batch norm on the batch's
    /// statistics). Hg, which that code gets from a second backward pass through
    /// autograd, comes here from a central finite difference of gradients, with
    /// hand-written backward passes only:
    ///     Hg ≈ (∇L(w + εg) − ∇L(w − εg)) / 2ε,   ε = `step` · ‖w‖ / ‖g‖,
    /// so the weights move by a `step` fraction (10⁻³) of their norm; g is restricted
    /// to the surviving weights, so the masked net is the one perturbed. The gradients
    /// are Float32: the difference keeps about 3–4 significant digits of Hg, which the
    /// tests check against an exact Float64 Hessian-vector product. The work is done on
    /// a copy: the net (and its batch-norm statistics) is not changed.
    /// Returns S, layer by layer.
    public static func graspScores(_ net: Network, batch: ScoringBatch, temperature: Double = 200,
                                   step: Double = graspStep) throws -> [[Double]] {
        let work = net.copy()
        let masks = Mask(of: net).tensors
        let half = batch.count / 2
        guard half >= 1 else { throw EngineError("GraSP needs at least 2 examples to split in halves, got \(batch.count)") }
        let halves = [slice(batch, 0..<half), slice(batch, half..<batch.count)]
        func gradient() throws -> [[Double]] {
            var sum = work.prunable.map { [Double](repeating: 0, count: $0.weight.count) }
            for h in halves {
                let g = try lossGradients(work, h, temperature: temperature, training: true).grads
                for i in sum.indices { for j in sum[i].indices { sum[i][j] += Double(g[i][j]) } }
            }
            return sum
        }
        // g on the surviving weights only.
        var g = try gradient()
        for i in g.indices { for j in g[i].indices where masks[i].data[j] == 0 { g[i][j] = 0 } }
        let w0 = work.prunable.map { $0.weight.value.data }
        let wNorm = w0.joined().reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let gNorm = g.joined().reduce(0.0) { $0 + $1 * $1 }.squareRoot()
        guard gNorm > 0, wNorm > 0 else { return net.prunable.map { [Double](repeating: 0, count: $0.weight.count) } }
        let eps = step * wNorm / gNorm
        func move(_ sign: Double) {
            for (i, (_, w)) in work.prunable.enumerated() {
                w.value.data = zip(w0[i], g[i]).map { Float(Double($0) + sign * eps * $1) }
            }
        }
        move(1)
        let plus = try gradient()
        move(-1)
        let minus = try gradient()
        return w0.indices.map { i in
            w0[i].indices.map { j in -Double(w0[i][j]) * (plus[i][j] - minus[i][j]) / (2 * eps) }
        }
    }

    /// Examples lo..<hi of a batch.
    static func slice(_ b: ScoringBatch, _ r: Range<Int>) -> ScoringBatch {
        ScoringBatch(x: Array(b.x[(r.lowerBound * b.sampleSize)..<(r.upperBound * b.sampleSize)]),
                     y: Array(b.y[r]), sampleSize: b.sampleSize)
    }

    /// GraSP pruning: removes the weights of highest −w ⊙ Hg (keeps the lowest). Its
    /// paper ranks all layers together (`options.scope = .global`) and prunes once, at
    /// initialisation. The sample is `perClass` examples of every class (10 in its
    /// CIFAR-10 configurations), drawn with `seed`. alecwangcq/GraSP also re-draws the
    /// linear layers' weights (Xavier) on its copy before scoring; that is left out:
    /// the scores are of the net as it stands.
    public static func grasp(_ net: Network, data: Dataset, amount: PruneAmount, options: PruneOptions,
                             perClass: Int = 10, temperature: Double = 200, seed: UInt64 = 0) throws -> Mask {
        try net.check(sampleShape: data.sampleShape, classes: data.classes)
        try checkAmount(amount, options: options, net: net)
        let b = try balancedBatch(data, perClass: perClass, seed: seed)
        let s = try graspScores(net, batch: b, temperature: temperature)
        return try keepHighest(s.map { $0.map { -$0 } }, net: net, current: Mask(of: net), amount: amount, options: options)
    }
}
