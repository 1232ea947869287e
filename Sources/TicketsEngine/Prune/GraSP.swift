extension Pruning {
    /// GraSP's scores (Wang, Zhang & Grosse, "Picking Winning Tickets Before Training by
    /// Preserving Gradient Flow", ICLR 2020, eq. 8): S = −w ⊙ Hg, H the Hessian of the
    /// loss and g its gradient with respect to the prunable weights; GraSP removes the
    /// weights of *highest* S (they reduce the gradient flow least when removed).
    ///
    /// As alecwangcq/GraSP (pruner/GraSP.py) computes them: the logits are divided by a
    /// temperature T (200), the sample is split in two halves, g is the sum of the
    /// halves' gradients (of the weights only: biases and batch norm have direction
    /// zero) and Hg the sum of the halves' Hessian-vector products; the layers run in
    /// training mode (batch norm on each half's statistics). Hg is exact: Pearlmutter's
    /// R-operator (NN/HessianVector.swift), where that code takes a second backward pass
    /// through autograd. g is restricted to the surviving weights (their direction is
    /// masked). The work is done on a copy: the net (and its batch-norm statistics) is
    /// not changed. `hvp(net, data, grad(net, data, ...))` in the language runs the same
    /// engine calls, so it gives the same scores to the last bit.
    /// Returns S, layer by layer (each w·Hg product rounded to Float32 first).
    public static func graspScores(_ net: Network, batch: ScoringBatch, temperature: Double = 200) throws -> [[Double]] {
        let work = net.copy()
        let parts = try halves(batch)
        let weights = Set(work.namedParameters.filter { $0.parameter.prunable }.map(\.key))
        let g = try parameterGradients(work, batches: parts, temperature: temperature, training: true, summed: true)
            .filter { weights.contains($0.key) }
        let hg = try parameterHessianVector(work, batches: parts, direction: g.map { ($0.key, $0.grad) },
                                            temperature: temperature, training: true, summed: true)
        let byKey = Dictionary(hg.map { ($0.key, $0.hv) }, uniquingKeysWith: { a, _ in a })
        return work.namedParameters.filter { $0.parameter.prunable }.map { key, w in
            zip(w.value.data, byKey[key]!.data).map { -Double($0 * $1) }
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
