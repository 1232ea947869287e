import Testing
@testable import TicketsEngine

/// The tensor operations the language computes with, each against a naive reference
/// that indexes every value by its coordinates.
struct TensorOpsTests {
    static func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = RNG(seed: seed)
        return Tensor(shape: shape, data: KernelTestSupport.randomArray(shape.reduce(1, *), &rng))
    }

    /// The coordinates of flat index k in `shape` (row-major).
    static func coordinates(_ k: Int, _ shape: [Int]) -> [Int] {
        var rest = k
        var out = [Int](repeating: 0, count: shape.count)
        for d in stride(from: shape.count - 1, through: 0, by: -1) { out[d] = rest % shape[d]; rest /= shape[d] }
        return out
    }

    /// Value of `t` at the broadcast coordinates `c` of a larger shape.
    static func at(_ t: Tensor, _ c: [Int]) -> Float {
        let lead = c.count - t.shape.count
        var flat = 0
        for (d, n) in t.shape.enumerated() { flat = flat * n + (n == 1 ? 0 : c[lead + d]) }
        return t.data[flat]
    }

    @Test func broadcastShapesFollowNumPy() {
        #expect(Broadcast.shape([2, 3], [3]) == [2, 3])
        #expect(Broadcast.shape([4, 1, 3], [2, 1]) == [4, 2, 3])
        #expect(Broadcast.shape([], [5]) == [5])
        #expect(Broadcast.shape([2, 3], [2]) == nil)
    }

    @Test func elementwiseMatchesANaiveReferenceUnderBroadcasting() throws {
        let cases: [([Int], [Int])] = [([3, 4], [3, 4]), ([3, 4], [4]), ([3, 1], [1, 4]), ([4, 1, 3], [2, 1]),
                                       ([], [2, 3]), ([5], []), ([2, 3, 4], [3, 1])]
        let ops: [(BinaryOp, (Float, Float) -> Float)] = [
            (.add, +), (.subtract, -), (.multiply, *), (.divide, /),
            (.maximum, { Swift.max($0, $1) }), (.greater, { $0 > $1 ? 1 : 0 }), (.and, { $0 != 0 && $1 != 0 ? 1 : 0 }),
        ]
        for (i, (sa, sb)) in cases.enumerated() {
            let a = Self.random(sa, seed: UInt64(i)), b = Self.random(sb, seed: UInt64(100 + i))
            let shape = try #require(Broadcast.shape(sa, sb))
            for (op, f) in ops {
                let fast = try Tensor.elementwise(op, a, b)
                #expect(fast.shape == shape)
                let naive = (0..<fast.count).map { k -> Float in
                    let c = Self.coordinates(k, shape)
                    return f(Self.at(a, c), Self.at(b, c))
                }
                #expect(fast.data == naive, "\(op) of \(sa) and \(sb)")
            }
        }
        #expect(throws: EngineError("shapes [2, 3] and [2] do not broadcast")) {
            try Tensor.elementwise(.add, Tensor(zeros: [2, 3]), Tensor(zeros: [2]))
        }
    }

    @Test func selectAndUnaryOperations() throws {
        let c = Tensor(shape: [2, 2], data: [1, 0, 0, 1])
        let r = try Tensor.select(c, Tensor(shape: [2], data: [5, 6]), Tensor.scalar(-1))
        #expect(r.data == [5, -1, -1, 6])
        let t = Tensor(shape: [4], data: [-2, 0, 3, -0.5])
        #expect(t.map(.abs).data == [2, 0, 3, 0.5])
        #expect(t.map(.signum).data == [-1, 0, 1, -1])
        #expect(t.map(.not).data == [0, 1, 0, 0])
        #expect(t.clamped(-1, 1).data == [-1, 0, 1, -0.5])
    }

    @Test func reductionsAlongAnAxisMatchANaiveReference() throws {
        let t = Self.random([3, 4, 5], seed: 7)
        for axis in 0..<3 {
            for r in [Reduction.sum, .mean, .max, .min, .norm, .count] {
                let fast = try t.reduced(r, axis: axis)
                var outShape = t.shape
                outShape.remove(at: axis)
                #expect(fast.shape == outShape)
                for k in 0..<fast.count {
                    let c = Self.coordinates(k, outShape)
                    let along = (0..<t.shape[axis]).map { j -> Double in
                        var full = c
                        full.insert(j, at: axis)
                        return Double(Self.at(t, full))
                    }
                    let expected: Double
                    switch r {
                    case .sum: expected = along.reduce(0, +)
                    case .mean: expected = along.reduce(0, +) / Double(along.count)
                    case .max: expected = along.max()!
                    case .min: expected = along.min()!
                    case .norm: expected = along.map { $0 * $0 }.reduce(0, +).squareRoot()
                    case .count: expected = Double(along.filter { $0 != 0 }.count)
                    }
                    #expect(abs(Double(fast.data[k]) - expected) <= 1e-5 * max(1, abs(expected)), "\(r) axis \(axis)")
                }
            }
        }
        // Whole-tensor sums (eight lanes, blocks of 1,024) against a Double loop.
        let big = Self.random([3001], seed: 8)
        let exact = big.data.reduce(0.0) { $0 + Double($1) }, squares = big.data.reduce(0.0) { $0 + Double($1) * Double($1) }
        #expect(abs(big.reduced(.sum)! - exact) <= 1e-4 * max(1, abs(exact)))
        #expect(abs(big.reduced(.norm)! - squares.squareRoot()) <= 1e-5 * squares.squareRoot())
        #expect(Tensor(shape: [5], data: [1, 2, 3, 4, 5]).quantile(0.5) == 3)
        #expect(Tensor(shape: [4], data: [1, 2, 3, 4]).quantile(0.5) == 2.5)
        #expect(Tensor(shape: [5], data: [3, 1, 4, 1, 5]).topk(2).indices == [4, 2])
    }

    @Test func transposeAndReshapeMatchANaiveReference() throws {
        let t = Self.random([2, 3, 4], seed: 3)
        let p = try t.transposed([2, 0, 1])
        #expect(p.shape == [4, 2, 3])
        for k in 0..<p.count {
            let c = Self.coordinates(k, p.shape)
            #expect(p.data[k] == Self.at(t, [c[1], c[2], c[0]]))
        }
        let m = Self.random([3, 5], seed: 4)
        let mt = try m.transposed()
        for i in 0..<3 { for j in 0..<5 { #expect(mt.data[j * 3 + i] == m.data[i * 5 + j]) } }
        #expect(try t.reshaped([-1, 4]).shape == [6, 4])
        #expect(throws: EngineError.self) { try t.reshaped([5, -1]) }
    }

    @Test func tensorsBeyondTheMemoryBudgetAreRefusedBeforeAllocation() {
        #expect(throws: EngineError.self) { try Tensor.checkBudget([1 << 20, 1 << 20, 1 << 10]) }
        #expect(throws: EngineError.self) { try Tensor.random(shape: [1 << 30, 1 << 30], seed: 0, normal: true) }
    }

    @Test func userScoresSelectAsTheCriteriaDo() throws {
        let net = try PruneTests.handNet()
        let scores = net.prunable.map { $0.weight.value.map(.abs) }
        let mine = try Pruning.keepHighest(scores: scores, layout: PruneLayout(net), amount: .density(0.5), options: PruneOptions())
        let builtin = try Pruning.magnitude(net, amount: .density(0.5), options: PruneOptions())
        #expect(mine.tensors.map(\.data) == builtin.tensors.map(\.data))
        let nan = [Tensor(filled: .nan, shape: net.prunable[0].weight.shape), scores[1]]
        #expect(throws: EngineError("the scores of fc1 hold 8 NaN values; a score must be a number")) {
            try Pruning.keepHighest(scores: nan, layout: PruneLayout(net), amount: .density(0.5), options: PruneOptions())
        }
        let both = try mine.combined(.and, builtin.complement())
        #expect(both.keptTotal == 0)
    }

    @Test func gradientsOfEveryParameterAgreeWithSNIPsAndBatchesSplitOneOrder() throws {
        var rng = RNG(seed: 5)
        let x = KernelTestSupport.randomArray(40 * 4, &rng)
        let y = (0..<40).map { Int32($0 % 2) }
        let data = try Dataset.memory(name: "t", trainX: x, trainY: y, testX: x, testY: y, features: 4, classes: 2)
        let net = try PruneTests.handNet()
        let one = try Pruning.randomBatch(data, count: 10, seed: 3)
        let two = try Pruning.randomBatches(data.train, count: 10, batches: 2, seed: 3)
        #expect(two[0].y == one.y && two[0].x == one.x)
        #expect(two[1].count == 10 && two[1].x != one.x)
        let all = try Pruning.parameterGradients(net, batches: [one])
        #expect(all.map(\.key) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
        let weights = try Pruning.lossGradients(net, one).grads
        #expect(all[0].grad.data == weights[0] && all[2].grad.data == weights[1])
        let logits = try net.outputs(Array(x[0..<8]), count: 2)
        #expect(logits.shape == [2, 2])
    }
}
