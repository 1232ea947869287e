import Foundation
import Testing
@testable import TicketsEngine

/// The pruning criteria on cases whose answers are known: a tiny net scored by hand
/// (SNIP, SynFlow), N:M and structured masks, and SynFlow and GraSP against Float64
/// references of their papers' algorithms.
struct CriteriaTests {
    /// mlp [2, 2, 2]: W1 = [[1, −1], [0.5, 2]], W2 = [[2, −1], [1, 3]], biases 0.1
    /// (SynFlow must ignore them; SNIP sees them in the forward pass, so they are set
    /// to 0 there).
    static func tinyNet(bias: Float = 0.1) throws -> Network {
        let net = try Network.mlp([2, 2, 2], seed: 0)
        net.linears[0].weight.value.data = [1, -1, 0.5, 2]
        net.linears[1].weight.value.data = [2, -1, 1, 3]
        net.linears[0].bias.value.data = [bias, bias]
        net.linears[1].bias.value.data = [bias, bias]
        return net
    }

    @Test func snipScoresWorkedByHand() throws {
        let net = try Self.tinyNet(bias: 0)
        // x = [1, 2], label 0. h = relu(W1 x) = relu([−1, 4.5]) = [0, 4.5];
        // z = W2 h = [−4.5, 13.5]; softmax ≈ [e^−18, 1], so δ = p − onehot ≈ [−1, 1]
        // (exactly ±(1 − p0), p0 = 1/(1 + e^18) ≈ 1.5e-8).
        // ∂L/∂W2 = δ hᵀ = [[0, −4.5], [0, 4.5]]      → |g ⊙ w| = [0, 4.5, 0, 13.5]
        // ∂L/∂h = W2ᵀ δ = [−1, 4], through the ReLU [0, 4]; ∂L/∂W1 = [0, 4]ᵀ xᵀ
        //        = [[0, 0], [4, 8]]                 → |g ⊙ w| = [0, 0, 2, 16]
        let batch = ScoringBatch(x: [1, 2], y: [0], sampleSize: 2)
        let s = try Pruning.snipScores(net, batch: batch)
        let want: [[Double]] = [[0, 0, 2, 16], [0, 4.5, 0, 13.5]]
        for (got, w) in zip(s, want) { for (a, b) in zip(got, w) { #expect(abs(a - b) < 1e-5) } }
        // Keeping 2 of the 8 weights over both layers keeps the two largest: 16 and 13.5.
        let data = try Dataset.memory(name: "one", trainX: [1, 2], trainY: [0], testX: [1, 2], testY: [0], features: 2, classes: 2)
        let m = try Pruning.prune(net, by: .snip, amount: .density(0.25), options: PruneOptions(scope: .global),
                                  settings: CriterionSettings(data: data, batch: 1))
        #expect(m.tensors[0].data == [0, 0, 0, 1] && m.tensors[1].data == [0, 0, 0, 1])
    }

    @Test func synflowScoresWorkedByHand() throws {
        let net = try Self.tinyNet()
        // |W1| = [[1, 1], [0.5, 2]], |W2| = [[2, 1], [1, 3]], input 1, biases ignored:
        // h = |W1|·1 = [2, 2.5]; z = |W2| h = [6.5, 9.5]; R = 16.
        // ∂R/∂W2 = 1 hᵀ = [[2, 2.5], [2, 2.5]]      → S = [4, 2.5, 2, 7.5]
        // ∂R/∂h = |W2|ᵀ 1 = [3, 4]; ∂R/∂W1 = [[3, 3], [4, 4]] → S = [3, 3, 2, 8]
        // Each layer's scores add up to R (SynFlow's conservation law).
        let s = try Pruning.synflowScores(net)
        let want: [[Double]] = [[3, 3, 2, 8], [4, 2.5, 2, 7.5]]
        for (got, w) in zip(s, want) { for (a, b) in zip(got, w) { #expect(abs(a - b) < 1e-5) } }
        for layer in s { #expect(abs(layer.reduce(0, +) - 16) < 1e-4) }
        // The net itself is untouched (signs and biases).
        #expect(net.linears[0].weight.value.data == [1, -1, 0.5, 2] && net.linears[0].bias.value.data == [0.1, 0.1])
    }

    /// SynFlow's log scores of a deep net whose R overflows Float32 (≈ e^110), against
    /// the same computation in Float64 with no rescaling.
    @Test func synflowRescalingMatchesFloat64OnADeepNet() throws {
        let sizes = [16] + Array(repeating: 32, count: 60) + [4]
        let net = try Network.mlp(sizes, initializer: .kaiming, seed: 3)
        let got = try Pruning.synflowLogScores(net)
        let want = SynFlowReference.logScores(net)
        var worst = 0.0
        for (g, w) in zip(got, want) { for (a, b) in zip(g, w) { worst = max(worst, abs(a - b)) } }
        #expect(worst < 1e-3, "largest |log S − log S_ref| = \(worst)")
        #expect(SynFlowReference.logR(net) > log(Double(Float.greatestFiniteMagnitude)))
    }

    /// 100 rounds of SynFlow on a small MLP equal the paper's algorithm run in Float64
    /// (the same rounding of each round's count), mask for mask.
    @Test func synflowIterativeMatchesTheReference() throws {
        let net = try Network.mlp([20, 16, 12, 5], seed: 7)
        let m = try Pruning.synflow(net, amount: .density(0.05), options: PruneOptions(scope: .global))
        let ref = SynFlowReference.prune(net, density: 0.05, rounds: 100)
        #expect(m.keptTotal == Int((0.05 * Double(m.sizeTotal)).rounded()))
        var differ = 0
        for (a, b) in zip(m.tensors, ref) { for (x, y) in zip(a.data, b) where x != y { differ += 1 } }
        #expect(differ == 0)
    }

    @Test func nmPatternKeepsExactlyNOfEveryMAndTheLargest() throws {
        let net = try Network.mlp([8, 4, 4], seed: 1)
        let p = try NMPattern(parsing: "2:4")
        let m = try Pruning.magnitude(net, amount: .patternOnly, options: PruneOptions(pattern: p))
        for (i, (_, w)) in net.prunable.enumerated() {
            let v = w.value.data, k = m.tensors[i].data
            for g in stride(from: 0, to: v.count, by: 4) {
                let group = Array(g..<(g + 4))
                #expect(group.filter { k[$0] != 0 }.count == 2)
                let kept = group.filter { k[$0] != 0 }.map { abs(v[$0]) }
                let dropped = group.filter { k[$0] == 0 }.map { abs(v[$0]) }
                #expect(kept.min()! >= dropped.max()!)
            }
        }
        #expect(m.density == 0.5)
        // By hand: one row [0.1, −0.9, 0.3, −0.05 | 0.7, −0.2, 0.6, 0.4] keeps 0.9, 0.3 | 0.7, 0.6.
        let h = try Network.mlp([8, 4, 2], seed: 0)
        h.linears[0].weight.value.data.replaceSubrange(0..<8, with: [0.1, -0.9, 0.3, -0.05, 0.7, -0.2, 0.6, 0.4])
        let hm = try Pruning.magnitude(h, amount: .patternOnly, options: PruneOptions(pattern: try NMPattern(parsing: "2:4")))
        #expect(Array(hm.tensors[0].data[0..<8]) == [0, 1, 1, 0, 1, 0, 1, 0])
        // With a density below N/M as well, still at most N per group.
        let sparse = try Pruning.magnitude(net, amount: .density(0.25), options: PruneOptions(pattern: p))
        #expect(sparse.kept(0) == 8 && sparse.kept(1) == 4)
    }

    @Test func nmPatternMustDivideTheRows() throws {
        let net = try Network.mlp([6, 4, 2], seed: 1)
        #expect(throws: EngineError.self) {
            try Pruning.magnitude(net, amount: .patternOnly, options: PruneOptions(pattern: try NMPattern(parsing: "2:4")))
        }
        #expect(throws: EngineError.self) { try NMPattern(parsing: "5:4") }
        #expect(throws: EngineError.self) { try NMPattern(parsing: "2-4") }
    }

    @Test func neuronPruningRemovesWholeRowsAndTheNextColumns() throws {
        let net = try Network.mlp([3, 4, 2], seed: 0)
        // Rows of fc1 with L1 norms 6, 0.6, 3, 1.5: removing half removes rows 1 and 3.
        net.linears[0].weight.value.data = [1, 2, 3, 0.1, 0.2, -0.3, -1, 1, 1, 0.5, 0.5, -0.5]
        let m = try Pruning.structured(net, unit: .neuron, amount: .rate(0.5))
        #expect(m.tensors[0].data == [1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0])
        // fc2 (2, 4) loses its inputs 1 and 3.
        #expect(m.tensors[1].data == [1, 0, 1, 0, 1, 0, 1, 0])
        #expect(m.density(0) == 0.5 && m.density(1) == 0.5)
        // L2 ranks by √Σw²: 3.74, 0.37, 1.73, 0.87 — the same two go.
        let l2 = try Pruning.structured(net, unit: .neuron, amount: .density(0.5), norm: .l2)
        #expect(l2.tensors[0].data == m.tensors[0].data)
        // The output layer is never pruned by neuron; an MLP has no filters.
        #expect(throws: EngineError.self) { try Pruning.structured(net, unit: .filter, amount: .rate(0.5)) }
    }

    @Test func filterPruningRemovesFiltersAndTheNextChannels() throws {
        let data = try Dataset.memory(name: "img", trainX: [Float](repeating: 0, count: 16), trainY: [0],
                                      testX: [Float](repeating: 0, count: 16), testY: [0], features: 16, classes: 2)
        let net = try Network.sequential(inputShape: [1, 4, 4], [.conv2d(channels: 4), .conv2d(channels: 3), .flatten,
                                                                  .linear(outputs: data.classes)], seed: 2)
        let m = try Pruning.structured(net, unit: .filter, amount: .density(0.5))
        let c1 = m.tensors[0].data, c2 = m.tensors[1].data, fc = m.tensors[2].data
        // conv1: 2 of 4 filters (9 weights each) kept whole; conv2 reads 4 channels.
        let kept1 = (0..<4).filter { f in c1[(f * 9)..<((f + 1) * 9)].allSatisfy { $0 == 1 } }
        #expect(kept1.count == 2 && c1.filter { $0 == 1 }.count == 18)
        for o in 0..<3 { for c in 0..<4 { let k = c2[((o * 4 + c) * 9)..<((o * 4 + c + 1) * 9)]
            if !kept1.contains(c) { #expect(k.allSatisfy { $0 == 0 }) } } }
        // conv2 keeps round(0.5·3) = 2 filters; fc (2, 3·16) loses the removed channel's 16 columns.
        #expect(fc.filter { $0 == 0 }.count == 2 * 16)
    }

    /// GraSP's exact Hg (the R-operator, in Float32) against a Float64 reference: Hg by
    /// a central difference of analytic Float64 gradients with a step of 10⁻⁶.
    @Test func graspMatchesAFloat64HessianVectorProduct() throws {
        let net = try Network.mlp([6, 5, 3], seed: 4)
        var rng = RNG(seed: 9)
        let x = (0..<(8 * 6)).map { _ in Float(rng.normal()) }
        let y: [Int32] = [0, 1, 2, 0, 1, 2, 0, 1]
        let batch = ScoringBatch(x: x, y: y, sampleSize: 6)
        for t in [1.0, 200.0] {
            let got = try Pruning.graspScores(net, batch: batch, temperature: t).joined().map { $0 }
            let want = GraspReference.scores(net, batch: batch, temperature: t)
            let err = zip(got, want).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            let norm = want.map { $0 * $0 }.reduce(0, +).squareRoot()
            #expect(err / norm < 1e-5, "T=\(t): relative error \(err / norm)")
        }
    }
}

/// SynFlow by its paper, in Float64, for MLPs: R = 1ᵀ(∏|Wₗ|)1, S = (∂R/∂W) ⊙ |W|.
enum SynFlowReference {
    static func weights(_ net: Network) -> [(out: Int, inp: Int, w: [Double])] {
        net.linears.map { ($0.outFeatures, $0.inFeatures, $0.weight.value.data.map { abs(Double($0)) }) }
    }

    /// Scores of each layer for weights `ws` (already |w| ⊙ m).
    static func scores(_ ws: [(out: Int, inp: Int, w: [Double])]) -> [[Double]] {
        var acts: [[Double]] = [[Double](repeating: 1, count: ws[0].inp)]
        for l in ws {
            let a = acts.last!
            acts.append((0..<l.out).map { j in (0..<l.inp).reduce(0.0) { $0 + l.w[j * l.inp + $1] * a[$1] } })
        }
        var g = [Double](repeating: 1, count: ws.last!.out)
        var out: [[Double]] = Array(repeating: [], count: ws.count)
        for (i, l) in ws.enumerated().reversed() {
            out[i] = (0..<(l.out * l.inp)).map { k in g[k / l.inp] * acts[i][k % l.inp] * l.w[k] }
            g = (0..<l.inp).map { c in (0..<l.out).reduce(0.0) { $0 + l.w[$1 * l.inp + c] * g[$1] } }
        }
        return out
    }

    static func logScores(_ net: Network) -> [[Double]] {
        scores(weights(net)).map { $0.map { $0 > 0 ? log($0) : -.infinity } }
    }

    static func logR(_ net: Network) -> Double {
        log(scores(weights(net))[0].reduce(0, +))
    }

    /// Algorithm 1: `rounds` rounds, round j keeping round(d^(j/n) · size) of the
    /// highest scores over all layers (equal scores: the earlier position goes first).
    static func prune(_ net: Network, density d: Double, rounds: Int) -> [[Float]] {
        var ws = weights(net)
        var mask = ws.map { [Float](repeating: 1, count: $0.w.count) }
        let total = ws.reduce(0) { $0 + $1.w.count }
        for j in 1...rounds {
            let masked = zip(ws, mask).map { l, m in (l.out, l.inp, zip(l.w, m).map { $0 * Double($1) }) }
            let s = scores(masked)
            var all: [(Double, Int, Int)] = []
            for (i, layer) in s.enumerated() { for (k, v) in layer.enumerated() where mask[i][k] != 0 { all.append((v, i, k)) } }
            let keep = min(Int((pow(d, Double(j) / Double(rounds)) * Double(total)).rounded()), all.count)
            all.sort { ($0.0, $0.1, $0.2) > ($1.0, $1.1, $1.2) }
            mask = mask.map { [Float](repeating: 0, count: $0.count) }
            for (_, i, k) in all.prefix(keep) { mask[i][k] = 1 }
            ws = weights(net)
        }
        return mask
    }
}

/// GraSP's −w ⊙ Hg for an MLP in Float64: analytic gradients of the two halves' mean
/// losses (logits / T), and Hg by a central difference of them with a tiny step.
enum GraspReference {
    static func gradient(_ net: Network, _ w: [[Double]], _ b: ScoringBatch, _ rows: Range<Int>, temperature: Double) -> [[Double]] {
        let ls = net.linears
        var grads = w.map { [Double](repeating: 0, count: $0.count) }
        for r in rows {
            var acts: [[Double]] = [Array(b.x[(r * b.sampleSize)..<((r + 1) * b.sampleSize)]).map(Double.init)]
            for (i, l) in ls.enumerated() {
                let a = acts.last!, bias = l.bias.value.data.map(Double.init)
                var z = (0..<l.outFeatures).map { j in bias[j] + (0..<l.inFeatures).reduce(0.0) { $0 + w[i][j * l.inFeatures + $1] * a[$1] } }
                if i < ls.count - 1 { z = z.map { max($0, 0) } }
                acts.append(z)
            }
            let z = acts.last!.map { $0 / temperature }, m = z.max()!
            let e = z.map { exp($0 - m) }, s = e.reduce(0, +)
            var g = e.enumerated().map { ($0.element / s - ($0.offset == Int(b.y[r]) ? 1 : 0)) / temperature / Double(rows.count) }
            for i in ls.indices.reversed() {
                let l = ls[i], a = acts[i]
                if i < ls.count - 1 { g = g.enumerated().map { acts[i + 1][$0.offset] > 0 ? $0.element : 0 } }
                for j in 0..<l.outFeatures { for k in 0..<l.inFeatures { grads[i][j * l.inFeatures + k] += g[j] * a[k] } }
                g = (0..<l.inFeatures).map { k in (0..<l.outFeatures).reduce(0.0) { $0 + w[i][$1 * l.inFeatures + k] * g[$1] } }
            }
        }
        return grads
    }

    static func scores(_ net: Network, batch: ScoringBatch, temperature: Double) -> [Double] {
        let w = net.linears.map { $0.weight.value.data.map(Double.init) }
        let half = batch.count / 2
        func grad(_ w: [[Double]]) -> [[Double]] {
            let a = gradient(net, w, batch, 0..<half, temperature: temperature)
            let b = gradient(net, w, batch, half..<batch.count, temperature: temperature)
            return zip(a, b).map { zip($0, $1).map { $0 + $1 } }
        }
        let g = grad(w)
        let eps = 1e-6
        let plus = grad(zip(w, g).map { zip($0, $1).map { $0 + eps * $1 } })
        let minus = grad(zip(w, g).map { zip($0, $1).map { $0 - eps * $1 } })
        var out: [Double] = []
        for i in w.indices { for k in w[i].indices { out.append(-w[i][k] * (plus[i][k] - minus[i][k]) / (2 * eps)) } }
        return out
    }
}
