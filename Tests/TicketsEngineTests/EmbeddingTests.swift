import Foundation
import Testing
@testable import TicketsEngine

/// The grokking MLP's pieces: the token form of the modular data set, the embedding
/// and sum over positions (against finite differences), bias-free linear layers,
/// LeCun's init, the fused path against the layers one by one, and masks on them.
struct EmbeddingTests {
    /// The paper's MLP at a small size: E (V, D), sum, W_in (H, D), ReLU, W_out (D, H),
    /// W_U (V, D), no biases.
    static func grokNet(p: Int = 7, d: Int = 6, h: Int = 5, seed: UInt64 = 1) throws -> Network {
        try Network.sequential(inputShape: [2], [.embedding(dimension: d, vocabulary: p), .sumPositions,
                                                 .linear(outputs: h, bias: false),
                                                 .linear(outputs: d, relu: false, bias: false),
                                                 .linear(outputs: p, bias: false)],
                               classes: p, initializer: .lecun, seed: seed)
    }

    /// Float64 loss of the grokking net at weights w (embed, fc1, fc2, fc3).
    static func lossDouble(_ w: [[Double]], tokens: [Int], labels: [Int32], p: Int, d: Int, h: Int) -> Double {
        let batch = labels.count
        var total = 0.0
        for r in 0..<batch {
            var e = [Double](repeating: 0, count: d)
            for t in 0..<2 { for j in 0..<d { e[j] += w[0][tokens[r * 2 + t] * d + j] } }
            var a = (0..<h).map { i in max(0, (0..<d).reduce(0.0) { $0 + w[1][i * d + $1] * e[$1] }) }
            let o = (0..<d).map { i in (0..<h).reduce(0.0) { $0 + w[2][i * h + $1] * a[$1] } }
            a = (0..<p).map { i in (0..<d).reduce(0.0) { $0 + w[3][i * d + $1] * o[$1] } }
            let m = a.max()!
            total += m + Foundation.log(a.map { Foundation.exp($0 - m) }.reduce(0, +)) - a[Int(labels[r])]
        }
        return total / Double(batch)
    }

    /// The analytic gradients of every weight, plain or fused.
    static func gradients(_ net: Network, tokens: [Int], labels: [Int32], fused: Bool) -> (logits: [Float], grads: [[Float]]) {
        net.fuses = fused
        let x = tokens.map(Float.init), batch = labels.count, classes = net.outputSize
        let out = x.withUnsafeBufferPointer { net.forward($0.baseAddress!, batch: batch) }
        let logits = Array(UnsafeBufferPointer(start: out, count: batch * classes))
        var dl = [Float](repeating: 0, count: batch * classes)
        labels.withUnsafeBufferPointer { y in
            dl.withUnsafeMutableBufferPointer { g in
                _ = softmaxCrossEntropy(logits: out, labels: y.baseAddress!, batch: batch, classes: classes, grad: g.baseAddress!)
            }
        }
        dl.withUnsafeBufferPointer { net.backward($0.baseAddress!, batch: batch) }
        return (logits, net.prunable.map { $0.weight.grad!.data })
    }

    @Test func grokNetBackwardMatchesFiniteDifferences() throws {
        let (p, d, h) = (7, 6, 5)
        let net = try Self.grokNet(p: p, d: d, h: h)
        #expect(net.prunableNames == ["embed", "fc1", "fc2", "fc3"])
        #expect(net.namedParameters.map(\.key) == ["embed.weight", "fc1.weight", "fc2.weight", "fc3.weight"])
        var rng = RNG(seed: 9)
        let batch = 40   // > p: the fused path pays, and is taken
        let tokens = (0..<(2 * batch)).map { _ in rng.below(p) }
        let labels = (0..<batch).map { r in Int32((tokens[2 * r] + tokens[2 * r + 1]) % p) }
        let w = net.prunable.map { $0.weight.value.data.map(Double.init) }
        for fused in [false, true] {
            let (_, grads) = Self.gradients(net, tokens: tokens, labels: labels, fused: fused)
            for (li, g) in grads.enumerated() {
                for k in 0..<g.count {
                    var plus = w, minus = w
                    plus[li][k] += 1e-6; minus[li][k] -= 1e-6
                    let num = (Self.lossDouble(plus, tokens: tokens, labels: labels, p: p, d: d, h: h)
                             - Self.lossDouble(minus, tokens: tokens, labels: labels, p: p, d: d, h: h)) / 2e-6
                    #expect(abs(num - Double(g[k])) < 1e-4 + 1e-3 * abs(num), "\(fused ? "fused" : "plain") \(net.prunableNames[li])[\(k)]: \(num) vs \(g[k])")
                }
            }
        }
    }

    @Test func fusedPathEqualsTheLayersOneByOne() throws {
        let p = 11
        let net = try Self.grokNet(p: p, d: 24, h: 9, seed: 4)
        var rng = RNG(seed: 2)
        let batch = 100
        let tokens = (0..<(2 * batch)).map { _ in rng.below(p) }
        let labels = (0..<batch).map { r in Int32((tokens[2 * r] + tokens[2 * r + 1]) % p) }
        let plain = Self.gradients(net, tokens: tokens, labels: labels, fused: false)
        let fused = Self.gradients(net, tokens: tokens, labels: labels, fused: true)
        for (a, b) in zip(plain.logits, fused.logits) { #expect(abs(a - b) <= 1e-5 * max(1, abs(a))) }
        for (ga, gb) in zip(plain.grads, fused.grads) {
            let scale = ga.map { abs($0) }.max() ?? 1
            for (a, b) in zip(ga, gb) { #expect(abs(a - b) <= 1e-5 * scale) }
        }
        // A batch smaller than the vocabulary takes the plain path: the same logits.
        let small = Self.gradients(net, tokens: Array(tokens[0..<6]), labels: Array(labels[0..<3]), fused: true)
        for (a, b) in zip(plain.logits[0..<(3 * p)], small.logits) { #expect(abs(a - b) <= 1e-5 * max(1, abs(a))) }
    }

    @Test func symmetricTokensAreThePapersPairs() throws {
        let d = try Dataset.modular(p: 67, trainFraction: 0.4, seed: 0, symmetric: true, tokens: true)
        #expect(d.train.count == 911 && d.test.count == 2278 - 911)
        #expect(d.sampleShape == [2] && d.classes == 67 && d.vocabulary == 67)
        var seen = Set<[Int]>()
        for split in [d.train, d.test] {
            let x = split.floats()
            for r in 0..<split.count {
                let a = Int(x[2 * r]), b = Int(x[2 * r + 1])
                #expect(a <= b && Float(a) == x[2 * r])
                #expect(Int(split.labels[r]) == (a + b) % 67)
                seen.insert([a, b])
            }
        }
        #expect(seen.count == 2278)
        // The one-hot form stays the default.
        #expect(try Dataset.modular(p: 67).sampleShape == [134])
        #expect(throws: EngineError.self) { try Dataset.modular(p: 7, op: .subtract, symmetric: true) }
    }

    @Test func masksKeepPrunedWeightsZeroOnTheNewLayers() throws {
        let data = try Dataset.modular(p: 13, trainFraction: 0.5, seed: 1, symmetric: true, tokens: true)
        let net = try Network.sequential(inputShape: [2], [.embedding(dimension: 32, vocabulary: 13), .sumPositions,
                                                           .linear(outputs: 16, bias: false),
                                                           .linear(outputs: 32, relu: false, bias: false),
                                                           .linear(outputs: 13, bias: false)],
                                         classes: 13, initializer: .lecun, seed: 0)
        let mask = try Pruning.magnitude(net, amount: .density(0.4), options: PruneOptions(scope: .global))
        try mask.apply(to: net)
        var cfg = TrainConfig()
        cfg.method = .adamw; cfg.lr = 1e-3; cfg.weightDecay = 1; cfg.beta2 = 0.98
        cfg.steps = 30; cfg.batch = data.train.count
        _ = try Trainer.train(net, on: data, cfg)
        var kept = 0, total = 0
        for (_, w) in net.prunable {
            let m = w.mask!
            for (v, k) in zip(w.value.data, m.data) where k == 0 { #expect(v == 0) }
            kept += m.data.filter { $0 != 0 }.count; total += m.count
        }
        #expect(kept == Int((0.4 * Double(total)).rounded()))
        // SynFlow scores every matrix, the embedding's rows included.
        let sf = try Pruning.synflowScores(net)
        #expect(sf[0].filter { $0 > 0 }.count == net.prunable[0].weight.mask!.data.filter { $0 != 0 }.count)
    }

    @Test func biasFreeLinearAndLeCunInit() throws {
        let l = Linear(name: "fc", inFeatures: 400, outFeatures: 300, bias: false)
        #expect(l.parameters.count == 1)
        var rng = RNG(seed: 3)
        l.initialize(.lecun, rng: &rng)
        let w = l.weight.value.data.map(Double.init)
        let variance = w.reduce(0) { $0 + $1 * $1 } / Double(w.count)
        #expect(abs(variance - 1.0 / 400) < 0.03 / 400)
        #expect(l.bias.value.data.allSatisfy { $0 == 0 })
        let e = Embedding(name: "embed", vocabulary: 50, dimension: 2000, positions: 2)
        e.initialize(.lecun, rng: &rng)
        let ev = e.weight.value.data.reduce(0) { $0 + Double($1) * Double($1) } / Double(e.weight.count)
        #expect(abs(ev - 1.0 / 50) < 0.03 / 50)
    }

    @Test func tokensOutOfRangeAreAnErrorNotACrash() throws {
        let net = try Self.grokNet(p: 5)
        let bad = try Dataset(name: "bad", source: "test", sampleShape: [2], classes: 5,
                              train: Split([0, 1, 2, 7], labels: [1, 4], sampleSize: 2),
                              test: Split([0, 1.5], labels: [1], sampleSize: 2))
        #expect(throws: EngineError.self) { try Trainer.train(net, on: bad, TrainConfig()) }
        #expect(throws: EngineError.self) { try Trainer.evaluate(net, on: bad) }
        // The layer itself reads a value that is no token as a row of zeros.
        let out = [Float(9), 2].withUnsafeBufferPointer { net.layers[0].forward($0.baseAddress!, batch: 1) }
        #expect((0..<6).allSatisfy { out[$0] == 0 })
    }
}
