import Foundation
import Testing
@testable import TicketsEngine

/// Linear mode connectivity, distances and calibration on cases worked by hand.
struct StabilityTests {
    /// Two 1-2-2 nets that compute the same function with their hidden units swapped:
    /// a: h = relu(x, −x), logits = h; b: h = relu(−x, x), logits = (h₂, h₁).
    /// On the line between them every α ≠ ½ classifies x = +1 as 0 and x = −1 as 1;
    /// at α = ½ both weight matrices average to a symmetric one, the logits tie, the
    /// arg-max picks class 0 for both examples: error ½.
    static func swappedPair() throws -> (Network, Network, Dataset) {
        let a = try Network.mlp([1, 2, 2], seed: 0), b = try Network.mlp([1, 2, 2], seed: 0)
        a.linears[0].weight.value.data = [1, -1]; a.linears[1].weight.value.data = [1, 0, 0, 1]
        b.linears[0].weight.value.data = [-1, 1]; b.linears[1].weight.value.data = [0, 1, 1, 0]
        for n in [a, b] { for l in n.linears { l.bias.value.data = [0, 0] } }
        let data = try Dataset.memory(name: "pm1", trainX: [1, -1], trainY: [0, 1], testX: [1, -1], testY: [0, 1], features: 1, classes: 2)
        return (a, b, data)
    }

    @Test func barrierOfTheSwappedPairByHand() throws {
        let (a, b, data) = try Self.swappedPair()
        let three = try Interpolation.curve(a, b, on: data, steps: 3)
        #expect(three.alphas == [0, 0.5, 1])
        #expect(three.errors == [0, 0.5, 0])
        #expect(three.barrier == 0.5 && three.barrierLinear == 0.5)
        #expect(abs(three.losses[1] - log(2.0)) < 1e-6)   // tied logits: −log ½
        let thirty = try Interpolation.curve(a, b, on: data, steps: 30)   // no α is exactly ½
        #expect(thirty.barrier == 0 && thirty.errors.allSatisfy { $0 == 0 })
    }

    /// The paper's barrier against the one above the straight line, on curves worked
    /// by hand (alphas from b at 0 to a at 1).
    @Test func theTwoBarriersByHand() {
        // Straight from 0.1 to 0.5: the paper's barrier is its floor |0.5 − 0.1| / 2.
        let straight = ConnectivityCurve(alphas: [0, 0.5, 1], errors: [0.1, 0.3, 0.5], losses: [0, 0, 0])
        #expect(abs(straight.barrier - 0.2) < 1e-12 && abs(straight.barrierLinear) < 1e-12)
        // A hill of 0.6 at α = 0.25 between 0.1 (b) and 0.3 (a): line there 0.15.
        let hill = ConnectivityCurve(alphas: [0, 0.25, 1], errors: [0.1, 0.6, 0.3], losses: [0, 0, 0])
        #expect(abs(hill.barrier - 0.4) < 1e-12 && abs(hill.barrierLinear - 0.45) < 1e-12)
        // Below the line everywhere: no linear barrier, the paper's still at its floor.
        let valley = ConnectivityCurve(alphas: [0, 0.5, 1], errors: [0.2, 0.1, 0.4], losses: [0, 0, 0])
        #expect(abs(valley.barrier - 0.1) < 1e-12 && abs(valley.barrierLinear) < 1e-12)
    }

    @Test func interpolationEndsAreExactAndTheMiddleIsTheMean() throws {
        let a = try Network.mlp([5, 4, 3], seed: 1), b = try Network.mlp([5, 4, 3], seed: 2)
        let one = try Interpolation.interpolate(a, b, alpha: 1), zero = try Interpolation.interpolate(a, b, alpha: 0)
        let half = try Interpolation.interpolate(a, b, alpha: 0.5)
        for (((_, p1), (_, p0)), (((_, pa), (_, pb)), (_, ph))) in zip(zip(one.namedParameters, zero.namedParameters),
                                                                        zip(zip(a.namedParameters, b.namedParameters), half.namedParameters)) {
            #expect(p1.value.data == pa.value.data && p0.value.data == pb.value.data)
            for i in 0..<ph.count { #expect(abs(ph.value.data[i] - (pa.value.data[i] + pb.value.data[i]) / 2) < 1e-7) }
        }
        #expect(throws: EngineError.self) { try Interpolation.interpolate(a, b, alpha: -0.1) }
        #expect(throws: EngineError.self) { try Interpolation.interpolate(a, try Network.mlp([5, 3]), alpha: 0.5) }
    }

    @Test func distancesByHand() throws {
        let a = try Network.mlp([1, 1], seed: 0), b = try Network.mlp([1, 1], seed: 0)
        a.linears[0].weight.value.data = [3]; a.linears[0].bias.value.data = [4]
        b.linears[0].weight.value.data = [0]; b.linears[0].bias.value.data = [0]
        var d = try NetDistance.between(a, b)
        #expect(d.total.l2 == 5 && d.total.relative == 1 && d.total.cosine.isNaN)
        b.linears[0].weight.value.data = [4]; b.linears[0].bias.value.data = [-3]   // orthogonal to a, same norm
        d = try NetDistance.between(a, b)
        #expect(abs(d.total.l2 - 50.0.squareRoot()) < 1e-12 && abs(d.total.relative - 2.0.squareRoot()) < 1e-12)
        #expect(d.total.cosine == 0 && d.layers.map(\.name) == ["fc1"])
    }

    /// Confidences 0.9 (right), 0.9 (wrong), 0.6 (right), 0.6 (right): two bins, each
    /// half of the examples, |0.5 − 0.9| and |1 − 0.6|: ECE = ½·0.4 + ½·0.4 = 0.4.
    @Test func expectedCalibrationErrorByHand() {
        var tally = EvaluationTally(classes: 2)
        let p: [Float] = [0.9, 0.9, 0.6, 0.6]
        let logits = p.flatMap { [logf($0), logf(1 - $0)] }   // softmax gives (p, 1 − p): class 0 predicted
        let labels: [Int32] = [0, 1, 0, 0]
        logits.withUnsafeBufferPointer { l in labels.withUnsafeBufferPointer { y in tally.add(logits: l.baseAddress!, labels: y.baseAddress!, batch: 4) } }
        let e = tally.result
        #expect(abs(e.ece - 0.4) < 1e-6)
        #expect(e.acc == 0.75 && e.confusion == [[3, 0], [1, 0]] && e.perClass[0] == 1 && e.perClass[1] == 0)
    }

    @Test func redrawsNeverRepeatTheInitialWeights() throws {
        let net = try Network.mlp([6, 4, 2], seed: 7), original = net.copy()
        net.redraw(seed: 7)   // the init's own seed, but other streams
        #expect(zip(net.namedParameters, original.namedParameters).contains { $0.1.value.data != $1.1.value.data })
        let again = try Network.mlp([6, 4, 2], seed: 7)
        #expect(zip(again.namedParameters, original.namedParameters).allSatisfy { $0.1.value.data == $1.1.value.data })
        let s1 = net.redraw(), s2 = net.redraw()
        #expect(s1 != s2 && s1 != 7)
    }

    @Test func validationHoldOutIsDisjointAndComplete() throws {
        let data = TrainingTests.toyData(n: 100)
        let v = try data.holdingOut(validation: 30, seed: 1)
        #expect(v.train.count == 70 && v.validation?.count == 30)
        // Every example ends up in exactly one of the two splits.
        let all = Set((0..<100).map { i in data.train.floats()[(i * 4)..<(i * 4 + 4)].map { $0 } })
        let split = v.train.floats() + (v.validation?.floats() ?? [])
        let parts = Set((0..<100).map { i in Array(split[(i * 4)..<(i * 4 + 4)]) })
        #expect(all == parts)
        #expect(throws: EngineError.self) { try data.holdingOut(validation: 100) }
    }
}
