import Testing
@testable import TicketsEngine

struct PruneTests {
    /// A 2-layer net whose weights are set by hand.
    static func handNet() throws -> Network {
        let net = try Network.mlp([4, 2, 2], seed: 0)
        net.linears[0].weight.value.data = [0.1, -0.9, 0.3, -0.05, 0.7, -0.2, 0.6, 0.4]   // |w| order: 0.05 0.1 0.2 0.3 0.4 0.6 0.7 0.9
        net.linears[1].weight.value.data = [-0.5, 0.25, 0.15, -1.0]
        return net
    }

    @Test func layerwiseMagnitudePruningRemovesTheSmallest() throws {
        let net = try Self.handNet()
        let m = try Pruning.magnitude(net, rate: 0.25, scope: .layer, rates: ["fc2": 0.5])
        // fc1: round(0.25·8) = 2 smallest: |−0.05| (index 3) and |0.1| (index 0).
        #expect(m.tensors[0].data == [0, 1, 1, 0, 1, 1, 1, 1])
        // fc2: round(0.5·4) = 2 smallest: 0.15 (index 2), 0.25 (index 1).
        #expect(m.tensors[1].data == [1, 0, 0, 1])
        #expect(abs(m.density - 8.0 / 12.0) < 1e-12)
    }

    @Test func pruningCountsOnlySurvivors() throws {
        let net = try Self.handNet()
        try Pruning.magnitude(net, rate: 0.25).apply(to: net)
        // 6 survivors in fc1 → round(0.25·6) = 2 more: 0.2 (index 5) and 0.3 (index 2).
        let m2 = try Pruning.magnitude(net, rate: 0.25)
        #expect(m2.tensors[0].data == [0, 1, 0, 0, 1, 0, 1, 1])
        #expect(m2.kept(0) == 4)
    }

    @Test func globalPruningRanksAllLayersTogether() throws {
        let net = try Self.handNet()
        // 12 weights, round(0.5·12) = 6 smallest overall: 0.05 0.1 0.15 0.2 0.25 0.3.
        let m = try Pruning.magnitude(net, rate: 0.5, scope: .global)
        #expect(m.tensors[0].data == [0, 1, 0, 0, 1, 0, 1, 1])
        #expect(m.tensors[1].data == [1, 0, 0, 1])
    }

    @Test func badRatesAreErrors() throws {
        let net = try Self.handNet()
        #expect(throws: EngineError.self) { try Pruning.magnitude(net, rate: 1.5) }
        #expect(throws: EngineError.self) { try Pruning.magnitude(net, rate: -0.1) }
        #expect(throws: EngineError.self) { try Pruning.magnitude(net, rate: 0.2, rates: ["fc9": 0.1]) }
    }

    @Test func lenetDensityAfterOneLevelMatchesThePaper() throws {
        let net = try Network.mlp([784, 300, 100, 10], seed: 0)
        let m = try Pruning.magnitude(net, rate: 0.2, rates: ["fc3": 0.1])
        #expect(m.kept(0) == 188_160 && m.kept(1) == 24_000 && m.kept(2) == 900)
        #expect(String(format: "%.4f", m.density) == "0.8004")
    }

    @Test func randomMaskHasExactDensityPerLayer() throws {
        let net = try Network.mlp([20, 10, 5], seed: 0)
        let m = try Pruning.random(net, densities: ["fc1": 0.3, "fc2": 0.5], seed: 4)
        #expect(m.kept(0) == 60 && m.kept(1) == 25)
        let again = try Pruning.random(net, densities: ["fc1": 0.3, "fc2": 0.5], seed: 4)
        #expect(m.tensors[0].data == again.tensors[0].data)
        let s = m.shuffled(seed: 1)
        #expect(s.kept(0) == 60 && s.kept(1) == 25)
    }

    @Test func overlapByHand() throws {
        let a = Mask(names: ["fc1"], tensors: [Tensor(shape: [2, 3], data: [1, 1, 1, 0, 0, 0])])
        let b = Mask(names: ["fc1"], tensors: [Tensor(shape: [2, 3], data: [0, 1, 1, 1, 0, 0])])
        let (_, total) = try Overlap.counts(a, b)
        #expect(total == OverlapCounts(both: 2, onlyA: 1, onlyB: 1, size: 6))
        #expect(total.value(.jaccard) == 0.5)          // 2 / 4
        #expect(total.value(.dice) == 4.0 / 6.0)       // 2·2 / (3 + 3)
        #expect(total.value(.hamming) == 2.0 / 6.0)    // positions 0 and 3 differ
        let empty = Mask(names: ["fc1"], tensors: [Tensor(zeros: [2, 3])])
        #expect(try Overlap.counts(empty, empty).total.value(.jaccard) == 1)
        let other = Mask(names: ["fc2"], tensors: [Tensor(zeros: [2, 3])])
        #expect(throws: EngineError.self) { try Overlap.counts(a, other) }
    }

    @Test func rewindRestoresWeightsAndKeepsTheMask() throws {
        let net = try Self.handNet()
        let w0 = Snapshot(of: net)
        try Pruning.magnitude(net, rate: 0.5).apply(to: net)
        net.linears[0].weight.value.data = net.linears[0].weight.value.data.map { $0 * 3 }
        try w0.restore(into: net)
        #expect(net.linears[0].weight.value.data == [0, -0.9, 0, 0, 0.7, 0, 0.6, 0.4])
        #expect(net.linears[0].weight.mask != nil)
    }
}

/// Equal magnitudes: broken by position unless a seed breaks them at random.
struct TieBreakTests {
    @Test func tiesGoByPositionOrBySeed() throws {
        let net = try Network.mlp([8, 2], seed: 0)
        net.linears[0].weight.value.data = [Float](repeating: 0.5, count: 16)
        let byPosition = try Pruning.magnitude(net, rate: 0.5)
        #expect(byPosition.tensors[0].data == [Float](repeating: 0, count: 8) + [Float](repeating: 1, count: 8))
        let a = try Pruning.magnitude(net, rate: 0.5, tieSeed: 1), b = try Pruning.magnitude(net, rate: 0.5, tieSeed: 1)
        let c = try Pruning.magnitude(net, rate: 0.5, tieSeed: 2)
        #expect(a.tensors[0].data == b.tensors[0].data && a.tensors[0].data != c.tensors[0].data)
        #expect(a.keptTotal == 8 && c.keptTotal == 8 && a.tensors[0].data != byPosition.tensors[0].data)
    }

    /// The streams are apart: the data order does not touch the initial weights.
    @Test func dataOrderSeedsLeaveTheInitAlone() throws {
        let data = TrainingTests.toyData(n: 60)
        let x = try Network.mlp([4, 8, 4], seed: 3), y = try Network.mlp([4, 8, 4], seed: 3)
        let x0 = Snapshot(of: x), y0 = Snapshot(of: y)
        var cfg = TrainConfig(); cfg.batch = 10
        cfg.seed = 1; _ = try Trainer.train(x, on: data, cfg)
        cfg.seed = 2; _ = try Trainer.train(y, on: data, cfg)
        #expect(zip(x0.entries, y0.entries).allSatisfy { $0.tensor.data == $1.tensor.data })
        #expect(zip(x.namedParameters, y.namedParameters).contains { $0.parameter.value.data != $1.parameter.value.data })
    }
}
