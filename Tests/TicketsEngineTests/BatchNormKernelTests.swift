import Testing
@testable import TicketsEngine

/// Batch norm against the naive reference, its training-mode backward against finite
/// differences, the running statistics by hand.
struct BatchNormKernelTests {
    typealias T = KernelTestSupport

    /// (N, C, S): images (S = H·W) and features (S = 1), batch 1 with S > 1 included.
    static let shapes: [(Int, Int, Int)] = [(4, 3, 1), (2, 3, 12), (1, 2, 9), (5, 1, 6), (3, 4, 35)]

    struct Run {
        var y, mean, invStd, runningMean, runningVar, dx, dGamma, dBeta, yEval: [Float]
    }

    /// One training step (forward, running update, backward) and an eval forward.
    static func run(_ s: BatchNormShape, x: [Float], gamma: [Float], beta: [Float], dy: [Float],
                    runningMean: [Float], runningVar: [Float], channels: [Range<Int>]) -> Run {
        let c = s.channels
        var r = Run(y: .init(repeating: .nan, count: s.count), mean: .init(repeating: .nan, count: c),
                    invStd: .init(repeating: .nan, count: c), runningMean: runningMean, runningVar: runningVar,
                    dx: .init(repeating: .nan, count: s.count), dGamma: .init(repeating: .nan, count: c),
                    dBeta: .init(repeating: .nan, count: c), yEval: .init(repeating: .nan, count: s.count))
        withPointers(x) { xp in withPointers(gamma) { gp in withPointers(beta) { bp in withPointers(dy) { dyp in
            for part in channels {
                withMutablePointer(&r.y) { yp in withMutablePointer(&r.mean) { mp in withMutablePointer(&r.invStd) { ip in
                    withMutablePointer(&r.runningMean) { rmp in withMutablePointer(&r.runningVar) { rvp in
                        batchNormForwardTraining(s, x: xp, gamma: gp, beta: bp, y: yp, savedMean: mp, savedInvStd: ip,
                                                 runningMean: rmp, runningVar: rvp, channels: part)
                    } }
                } } }
                withPointers(r.mean) { mp in withPointers(r.invStd) { ip in
                    withMutablePointer(&r.dx) { dxp in withMutablePointer(&r.dGamma) { dgp in withMutablePointer(&r.dBeta) { dbp in
                        batchNormBackwardTraining(s, dy: dyp, x: xp, gamma: gp, savedMean: mp, savedInvStd: ip,
                                                  dx: dxp, dGamma: dgp, dBeta: dbp, channels: part)
                    } } }
                } }
                withPointers(r.runningMean) { rmp in withPointers(r.runningVar) { rvp in withMutablePointer(&r.yEval) { yp in
                    batchNormForwardEval(s, x: xp, gamma: gp, beta: bp, runningMean: rmp, runningVar: rvp, y: yp, channels: part)
                } } }
            }
        } } } }
        return r
    }

    @Test(arguments: [false, true])
    func fastMatchesNaiveReference(splitChannels: Bool) throws {
        var rng = RNG(seed: 12)
        for (n, c, sp) in Self.shapes {
            let s = try BatchNormShape(batch: n, channels: c, spatial: sp)
            // An offset mean and a spread that is not 1, so centring and scaling both matter.
            let x = T.randomArray(s.count, &rng).map { 3 + 2 * $0 }
            let gamma = T.randomArray(c, &rng), beta = T.randomArray(c, &rng), dy = T.randomArray(s.count, &rng)
            let rm0 = T.randomArray(c, &rng), rv0 = T.randomArray(c, &rng).map { 1 + abs($0) }
            let parts = splitChannels && c > 1 ? [0..<1, 1..<c] : [0..<c]
            let r = Self.run(s, x: x, gamma: gamma, beta: beta, dy: dy, runningMean: rm0, runningVar: rv0, channels: parts)
            let ref = batchNormForwardTrainingReference(s, x: x, gamma: gamma, beta: beta, runningMean: rm0, runningVar: rv0)
            T.expectClose(r.y, ref.y, "\(s) y")
            T.expectClose(r.mean, ref.mean, "\(s) mean")
            T.expectClose(r.invStd, ref.variance.map { 1 / ($0 + 1e-5).squareRoot() }, "\(s) invStd")
            T.expectClose(r.runningMean, ref.runningMean, "\(s) running mean")
            T.expectClose(r.runningVar, ref.runningVar, "\(s) running var")
            let back = batchNormBackwardTrainingReference(s, dy: dy, x: x, gamma: gamma)
            T.expectClose(r.dx, back.dx, "\(s) dx")
            T.expectClose(r.dGamma, back.dGamma, "\(s) dγ")
            T.expectClose(r.dBeta, back.dBeta, "\(s) dβ")
            T.expectClose(r.yEval, batchNormForwardEvalReference(s, x: x, gamma: gamma, beta: beta,
                                                                 runningMean: r.runningMean, runningVar: r.runningVar), "\(s) eval y")
        }
    }

    @Test func runningStatisticsByHand() throws {
        // One channel, values 1, 2, 3, 6: mean 3, biased variance 3.5, unbiased 14/3.
        let s = try BatchNormShape(batch: 2, channels: 1, spatial: 2)
        let r = Self.run(s, x: [1, 2, 3, 6], gamma: [1], beta: [0], dy: [0, 0, 0, 0],
                         runningMean: [0], runningVar: [1], channels: [0..<1])
        #expect(abs(r.mean[0] - 3) < 1e-6)
        #expect(abs(r.invStd[0] - 1 / Float(3.5 + 1e-5).squareRoot()) < 1e-6)
        #expect(abs(r.runningMean[0] - 0.3) < 1e-6)                      // 0.9·0 + 0.1·3
        #expect(abs(r.runningVar[0] - (0.9 + 0.1 * 14 / 3)) < 1e-6)      // 0.9·1 + 0.1·(14/3)
    }

    @Test func trainingNeedsTwoValuesPerChannel() throws {
        #expect(throws: EngineError.self) { try BatchNormShape(batch: 1, channels: 4).checkTrainable() }
        try BatchNormShape(batch: 1, channels: 4, height: 2, width: 1).checkTrainable()
        try BatchNormShape(batch: 2, channels: 4).checkTrainable()
        #expect(throws: EngineError.self) { try BatchNormShape(batch: 0, channels: 4) }
    }

    /// Float64 training-mode forward, written apart from the reference, as loss Σ r⊙y.
    static func lossDouble(_ s: BatchNormShape, x: [Double], gamma: [Double], beta: [Double], r: [Float]) -> Double {
        var loss = 0.0
        for c in 0..<s.channels {
            var values = [Double]()
            for n in 0..<s.batch { for k in 0..<s.spatial { values.append(x[(n * s.channels + c) * s.spatial + k]) } }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
            for n in 0..<s.batch { for k in 0..<s.spatial {
                let i = (n * s.channels + c) * s.spatial + k
                loss += Double(r[i]) * (gamma[c] * (x[i] - mean) / (variance + 1e-5).squareRoot() + beta[c])
            } }
        }
        return loss
    }

    @Test func backwardMatchesFiniteDifferences() throws {
        var rng = RNG(seed: 13)
        for (n, c, sp) in Self.shapes {
            let s = try BatchNormShape(batch: n, channels: c, spatial: sp)
            let x = T.randomArray(s.count, &rng), r = T.randomArray(s.count, &rng)
            let gamma = T.randomArray(c, &rng), beta = T.randomArray(c, &rng)
            let run = Self.run(s, x: x, gamma: gamma, beta: beta, dy: r, runningMean: .init(repeating: 0, count: c),
                               runningVar: .init(repeating: 1, count: c), channels: [0..<c])
            let xd = x.map(Double.init), gd = gamma.map(Double.init), bd = beta.map(Double.init)
            T.expectGradient(run.dx, T.numericGradient(at: xd) { Self.lossDouble(s, x: $0, gamma: gd, beta: bd, r: r) }, "\(s) dx")
            T.expectGradient(run.dGamma, T.numericGradient(at: gd) { Self.lossDouble(s, x: xd, gamma: $0, beta: bd, r: r) }, "\(s) dγ")
            T.expectGradient(run.dBeta, T.numericGradient(at: bd) { Self.lossDouble(s, x: xd, gamma: gd, beta: $0, r: r) }, "\(s) dβ")
        }
    }
}
