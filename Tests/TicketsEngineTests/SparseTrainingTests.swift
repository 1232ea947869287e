import Testing
@testable import TicketsEngine

/// A masked net trains the same on the compressed path (kept weights only) as on the
/// dense masked path: weights and losses agree to float tolerance after several steps,
/// at several densities, with every optimizer; and the dense values are up to date
/// when training ends.
struct SparseTrainingTests {
    static var data: Dataset { TrainingTests.toyData(n: 200) }

    /// Relative agreement of two weight vectors: |a − b| ≤ 1e-4·(|b| + 1e-3) everywhere.
    /// The two paths add the same products in another order, so they part slowly.
    static func close(_ a: [Float], _ b: [Float]) -> Bool {
        zip(a, b).allSatisfy { abs($0 - $1) <= 1e-4 * (abs($1) + 1e-3) }
    }

    static func train(_ policy: SparsePolicy, density: Double, method: TrainConfig.Method, momentum: Double) throws -> (Network, TrainResult) {
        let net = try Network.mlp([4, 64, 48, 4], seed: 7)
        try Pruning.random(net, densities: ["fc1": density, "fc2": density, "fc3": max(density, 0.5)], seed: 3).apply(to: net)
        var cfg = TrainConfig(); cfg.batch = 20; cfg.steps = 25; cfg.method = method; cfg.sparse = policy
        cfg.lr = method == .sgd ? 0.1 : 0.01; cfg.momentum = momentum
        cfg.weightDecay = method == .adamw ? 0.01 : 0
        return (net, try Trainer.train(net, on: data, cfg))
    }

    @Test(arguments: [0.5, 0.1, 0.02])
    func compressedTrainingEqualsDenseMasked(density: Double) throws {
        for (method, momentum) in [(TrainConfig.Method.sgd, 0.0), (.sgd, 0.9), (.adam, 0), (.adamw, 0)] {
            let (dense, hd) = try Self.train(.never, density: density, method: method, momentum: momentum)
            let (sparse, hs) = try Self.train(.always, density: density, method: method, momentum: momentum)
            for ((key, p), (_, q)) in zip(dense.namedParameters, sparse.namedParameters) {
                #expect(Self.close(q.value.data, p.value.data), "\(method) μ=\(momentum) at \(density): \(key) differs")
                #expect(q.compressed == nil, "\(key) still compressed after training")
            }
            for (a, b) in zip(hd.epochs, hs.epochs) { #expect(abs(a.loss - b.loss) < 1e-5 * (abs(a.loss) + 1)) }
            // Pruned weights stayed exactly zero.
            for (_, w) in sparse.prunable {
                for (v, m) in zip(w.value.data, w.mask!.data) where m == 0 { #expect(v == 0) }
            }
        }
    }

    /// Two calls equal one on the compressed path too: the optimizer's state goes back
    /// to dense form between them and comes back.
    @Test func continuationAcrossCallsOnTheCompressedPath() throws {
        func run(split: Bool) throws -> [Float] {
            let net = try Network.mlp([4, 64, 48, 4], seed: 7)
            try Pruning.random(net, densities: ["fc1": 0.1, "fc2": 0.1, "fc3": 0.5], seed: 3).apply(to: net)
            var cfg = TrainConfig(); cfg.batch = 20; cfg.method = .adam; cfg.lr = 0.01; cfg.sparse = .always
            if split {
                cfg.steps = 11; _ = try Trainer.train(net, on: Self.data, cfg)
                cfg.steps = 9; _ = try Trainer.train(net, on: Self.data, cfg)
            } else {
                cfg.steps = 20; _ = try Trainer.train(net, on: Self.data, cfg)
            }
            return net.namedParameters.flatMap(\.parameter.value.data)
        }
        #expect(try run(split: true) == run(split: false))
    }

    @Test func autoCompressesOnlySparseLayers() throws {
        let net = try Network.mlp([4, 64, 48, 4], seed: 7)
        try Pruning.random(net, densities: ["fc1": 0.1, "fc2": 0.9, "fc3": 0.3], seed: 3).apply(to: net)
        try net.compress(.auto)
        #expect(net.compressedLayers == ["fc1", "fc3"])
        net.decompress()
        #expect(net.compressedLayers.isEmpty)
        try net.compress(.never)
        #expect(net.compressedLayers.isEmpty)
    }

    /// Snapshots taken inside a compressed run see the weights of that iteration.
    @Test func snapshotsInsideACompressedRun() throws {
        func snapshotAt(_ policy: SparsePolicy) throws -> [Float] {
            let net = try Network.mlp([4, 64, 48, 4], seed: 7)
            try Pruning.random(net, densities: ["fc1": 0.1, "fc2": 0.1, "fc3": 0.5], seed: 3).apply(to: net)
            var cfg = TrainConfig(); cfg.batch = 20; cfg.steps = 12; cfg.snapshotAt = [5]; cfg.sparse = policy
            return try Trainer.train(net, on: Self.data, cfg).snapshots[0].entries.flatMap(\.tensor.data)
        }
        #expect(Self.close(try snapshotAt(.always), try snapshotAt(.never)))
    }

    /// A conv net: its convolutions stay dense, its linear layers go compressed, and
    /// training agrees with the dense masked path.
    @Test func convNetTrainsTheSameWithCompressedLinears() throws {
        var rng = RNG(seed: 4)
        let x = (0..<(60 * 16)).map { _ in Float(rng.uniform()) }
        let y = (0..<60).map { Int32($0 % 3) }
        let data = try Dataset(name: "img", source: "memory", sampleShape: [1, 4, 4], classes: 3,
                               train: Split(x, labels: y, sampleSize: 16), test: Split(x, labels: y, sampleSize: 16))
        func run(_ policy: SparsePolicy) throws -> Network {
            let net = try Network.sequential(inputShape: [1, 4, 4], [.conv2d(channels: 4), .flatten, .linear(outputs: 32), .linear(outputs: 3)], seed: 1)
            try Pruning.magnitude(net, rate: 0.8).apply(to: net)
            var cfg = TrainConfig(); cfg.batch = 12; cfg.steps = 15; cfg.sparse = policy; cfg.method = .adam; cfg.lr = 0.01
            _ = try Trainer.train(net, on: data, cfg)
            return net
        }
        let dense = try run(.never), sparse = try run(.always)
        for ((key, p), (_, q)) in zip(dense.namedParameters, sparse.namedParameters) {
            #expect(Self.close(q.value.data, p.value.data), "\(key) differs")
        }
    }

}
