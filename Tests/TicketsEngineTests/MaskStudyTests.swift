import Foundation
import Testing
@testable import TicketsEngine

/// Masks as objects of study, and the schedules around pruning: signatures, jackpots,
/// regrowth, the gradual schedule, overlap matrices, mask stability, and the modular
/// data set.
struct MaskStudyTests {
    static func blobs(seed: UInt64 = 1, n: Int = 120) throws -> Dataset {
        var rng = RNG(seed: seed)
        var x: [Float] = [], y: [Int32] = []
        for i in 0..<n {
            let c = i % 3
            for f in 0..<8 { x.append(Float(rng.normal() * 0.5) + (f % 3 == c ? 1.5 : 0)) }
            y.append(Int32(c))
        }
        return try Dataset.memory(name: "blobs", trainX: x, trainY: y, testX: x, testY: y, features: 8, classes: 3)
    }

    @Test func aSignatureVerifiesWithItsKeyAndFailsWithout() throws {
        let net = try Network.mlp([64, 32, 10], seed: 2)
        let mask = try Pruning.magnitude(net, amount: .density(0.1), options: PruneOptions())
        let signed = try Ownership.sign(mask, key: 42, bits: 256, weights: net)
        // Every layer keeps its density exactly; the signature changes only a little
        // (about 2·d·bits entries: 51 here).
        for i in mask.names.indices { #expect(signed.kept(i) == mask.kept(i)) }
        let changed = try Overlap.counts(mask, signed).total
        #expect(changed.onlyA == changed.onlyB && changed.onlyA < 60)
        let good = try Ownership.verify(signed, key: 42, bits: 256, trials: 50)
        #expect(good.matched == 256 && good.verified && good.pValue < 1e-10)
        #expect(good.falsePositive == 0 && good.expectedFalsePositive <= 1e-6)
        // Another key, or the unsigned mask, finds about 1 − d of the key's weights pruned.
        let wrong = try Ownership.verify(signed, key: 43, bits: 256, trials: 0)
        let unsigned = try Ownership.verify(mask, key: 42, bits: 256, trials: 0)
        #expect(!wrong.verified && !unsigned.verified)
        #expect(abs(wrong.score - 0.9) < 0.06 && abs(unsigned.score - 0.9) < 0.06)
        #expect(Ownership.seed(fromText: "alice") != Ownership.seed(fromText: "bob"))
    }

    /// The p-value is the exact tail of independent Bernoulli trials: with every
    /// probability 1/2, P(at least k of 3) is 1, 7/8, 1/2, 1/8.
    @Test func thePValueIsAPoissonBinomialTail() {
        let t = Ownership.upperTail([0.5, 0.5, 0.5])
        #expect(t.count == 4 && abs(t[0] - 1) < 1e-12 && abs(t[1] - 0.875) < 1e-12 && abs(t[2] - 0.5) < 1e-12 && abs(t[3] - 0.125) < 1e-12)
    }

    @Test func aSignatureSurvivesFineTuningAndFurtherMagnitudePruning() throws {
        let data = try Self.blobs()
        let net = try Network.mlp([8, 64, 3], seed: 3)
        try Pruning.magnitude(net, amount: .density(0.3), options: PruneOptions()).apply(to: net)
        let signed = try Ownership.sign(Mask(of: net), key: 7, bits: 64, weights: net)
        try signed.apply(to: net)
        var cfg = TrainConfig(); cfg.epochs = 3; cfg.batch = 20
        _ = try Trainer.train(net, on: data, cfg)
        #expect(try Ownership.verify(Mask(of: net), key: 7, bits: 64, trials: 0).matched == 64)
        // 20% more of the survivors pruned by magnitude: pruning never revives a weight.
        try Pruning.magnitude(net, rate: 0.2).apply(to: net)
        let v = try Ownership.verify(Mask(of: net), key: 7, bits: 64, trials: 20)
        #expect(v.verified && v.score == 1 && v.falsePositive == 0)
    }

    @Test func convolutionMasksSignToo() throws {
        let net = try Network.sequential(inputShape: [4, 6, 6], [.conv2d(channels: 16), .conv2d(channels: 16), .flatten,
                                                                  .linear(outputs: 3)], seed: 1)
        let mask = try Pruning.magnitude(net, amount: .density(0.3), options: PruneOptions())
        let signed = try Ownership.sign(mask, key: 5, bits: 64)
        for i in mask.names.indices { #expect(signed.kept(i) == mask.kept(i)) }
        #expect(try Ownership.verify(signed, key: 5, bits: 64, trials: 0).matched == 64)
    }

    @Test func aJackpotSearchNeverChangesTheWeights() throws {
        let data = try Self.blobs()
        let net = try Network.mlp([8, 16, 3], seed: 4)
        _ = try Trainer.train(net, on: data, { var c = TrainConfig(); c.epochs = 5; c.batch = 20; return c }())
        let before = net.namedParameters.map { $0.parameter.value.data }
        var cfg = JackpotConfig()
        cfg.epochs = 3; cfg.batch = 20
        let r = try Pruning.jackpot(net, data: data, densities: ["fc1": 0.3, "fc2": 0.5], config: cfg)
        #expect(net.namedParameters.map { $0.parameter.value.data } == before)
        #expect(r.mask.kept(0) == Int((0.3 * 128).rounded()) && r.mask.kept(1) == Int((0.5 * 48).rounded()))
        #expect(r.history.count == 3 && r.history.reduce(0) { $0 + $1.swaps } > 0)
        // Applying the mask only zeroes the weights it removes.
        try r.mask.apply(to: net)
        for (i, (_, w)) in net.prunable.enumerated() {
            for j in 0..<w.count where r.mask.tensors[i].data[j] != 0 { #expect(w.value.data[j] == before[2 * i][j]) }
        }
    }

    @Test func swapsFollowTheTopKOnlyWhenTheyPair() {
        var b: [Float] = [1, 1, 0, 0]
        // Scores: the two pruned ones now lead.
        #expect(Pruning.swapTowardTopK(scores: [0.1, 0.2, 0.9, 0.8], binary: &b, keep: 2, fraction: 1) == 2)
        #expect(b == [0, 0, 1, 1])
        // Half of the pairs, the best first.
        var c: [Float] = [1, 1, 0, 0]
        #expect(Pruning.swapTowardTopK(scores: [0.1, 0.2, 0.9, 0.8], binary: &c, keep: 2, fraction: 0.5) == 1)
        #expect(c == [0, 1, 1, 0])
        #expect(Pruning.kthSmallest([5, 1, 4, 2, 3], 2) == 2)
    }

    @Test func regrowthKeepsDensitiesAndStartsNewWeightsAtZero() throws {
        let data = try Self.blobs()
        let net = try Network.mlp([8, 16, 3], seed: 5)
        try Pruning.magnitude(net, amount: .density(0.4), options: PruneOptions()).apply(to: net)
        let before = Mask(of: net)
        let r = try Pruning.regenerate(net, data: data, rate: 0.5)
        for i in before.names.indices { #expect(r.mask.kept(i) == before.kept(i)) }
        #expect(r.regrown.reduce(0, +) > 0)
        // Every new connection starts at zero.
        for (i, (_, w)) in net.prunable.enumerated() {
            for j in 0..<w.count where before.tensors[i].data[j] == 0 && r.mask.tensors[i].data[j] != 0 {
                #expect(w.value.data[j] == 0)
            }
        }
    }

    @Test func theCubicScheduleGoesFromInitialToFinal() {
        #expect(Pruning.gradualDensity(at: 0, initial: 1, final: 0.1, start: 0, end: 100) == 1)
        #expect(abs(Pruning.gradualDensity(at: 50, initial: 1, final: 0.1, start: 0, end: 100) - (0.1 + 0.9 * 0.125)) < 1e-12)
        #expect(Pruning.gradualDensity(at: 200, initial: 1, final: 0.1, start: 0, end: 100) == 0.1)
        #expect(abs(Pruning.regrowthRate(at: 0, rate: 0.5, total: 10) - 0.5) < 1e-12)
        #expect(abs(Pruning.regrowthRate(at: 10, rate: 0.5, total: 10) - 0.005) < 1e-12)
    }

    @Test func overlapMatrixAndStability() throws {
        let net = try Network.mlp([10, 6, 3], seed: 1)
        let a = try Pruning.magnitude(net, amount: .density(0.5), options: PruneOptions())
        let b = try Pruning.random(net, densities: ["fc1": 0.5, "fc2": 0.5], seed: 1)
        let m = try Overlap.matrix([a, b, a], metric: .jaccard)
        #expect(m[0][0] == 1 && m[0][2] == 1 && m[0][1] == m[1][0] && m[0][1] < 1)
        let s = try MaskStability.of([a, a, b])
        #expect(s.pairs == 3 && s.max == 1 && s.consecutive == [1, m[0][1]])
        #expect(abs(s.total - (1 + 2 * m[0][1]) / 3) < 1e-12)
        // The magnitude overlap of a magnitude mask is itself.
        #expect(try Overlap.withMagnitude(a, net: net).total.value(.jaccard) == 1)
    }

    @Test func modularArithmeticHasEveryPairOnce() throws {
        let d = try Dataset.modular(p: 11, op: .subtract, trainFraction: 0.3, seed: 4)
        #expect(d.train.count + d.test.count == 121 && d.train.count == 36)
        #expect(d.sampleShape == [22] && d.classes == 11)
        var seen = Set<[Int]>()
        for split in [d.train, d.test] {
            let x = split.floats()
            for r in 0..<split.count {
                let row = Array(x[(r * 22)..<((r + 1) * 22)])
                let a = row[0..<11].firstIndex(of: 1)!, b = row[11..<22].firstIndex(of: 1)! - 11
                #expect(row.reduce(0, +) == 2)
                #expect(Int(split.labels[r]) == ((a - b) % 11 + 11) % 11)
                seen.insert([a, b])
            }
        }
        #expect(seen.count == 121)
        let div = try Dataset.modular(p: 7, op: .divide)
        #expect(div.train.count + div.test.count == 42)
        #expect(ModularOperation.divide.apply(3, 5, p: 7) == 2)   // 2·5 = 10 ≡ 3
    }
}
