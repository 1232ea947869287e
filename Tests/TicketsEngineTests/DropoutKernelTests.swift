import Testing
@testable import TicketsEngine

/// Inverted dropout: the mask's values and rate, the reference, the backward pass.
struct DropoutKernelTests {
    typealias T = KernelTestSupport

    static func forward(_ s: DropoutShape, _ x: [Float], seed: UInt64, ranges: [Range<Int>]? = nil) -> (y: [Float], mask: [Float]) {
        var y = [Float](repeating: .nan, count: s.count), mask = y
        withPointers(x) { xp in withMutablePointer(&y) { yp in withMutablePointer(&mask) { mp in
            var rng = RNG(seed: seed)
            for r in ranges ?? [0..<s.count] { dropoutForward(s, x: xp, y: yp, mask: mp, rng: &rng, range: r) }
        } } }
        return (y, mask)
    }

    @Test func keepsOneMinusPScaledByItsInverse() throws {
        var rng = RNG(seed: 1)
        let x = T.randomArray(20_000, &rng)
        for p in [0.0, 0.2, 0.5, 0.9, 1.0] {
            let s = try DropoutShape(count: x.count, probability: p)
            let (y, mask) = Self.forward(s, x, seed: 7)
            let kept = mask.filter { $0 != 0 }
            #expect(kept.allSatisfy { $0 == s.scale })
            if p < 1 { #expect(abs(s.scale - Float(1 / (1 - p))) < 1e-6) }
            let rate = Double(kept.count) / Double(x.count)
            #expect(abs(rate - (1 - p)) < 0.015, "p = \(p): kept \(rate)")
            #expect(zip(y, zip(x, mask)).allSatisfy { $0 == $1.0 * $1.1 })
        }
    }

    @Test func matchesTheReferenceAndSplitsAlongTheSameStream() throws {
        var rng = RNG(seed: 2)
        let x = T.randomArray(1000, &rng)
        let s = try DropoutShape(count: x.count, probability: 0.3)
        var refRNG = RNG(seed: 9)
        let ref = dropoutForwardReference(s, x: x, rng: &refRNG)
        let whole = Self.forward(s, x, seed: 9)
        #expect(whole.y == ref.y && whole.mask == ref.mask)
        // One generator passed through consecutive ranges draws the same stream.
        let split = Self.forward(s, x, seed: 9, ranges: [0..<300, 300..<1000])
        #expect(split.mask == ref.mask)
    }

    @Test func backwardIsTheMaskTimesTheGradient() throws {
        var rng = RNG(seed: 3)
        let x = T.randomArray(500, &rng), dy = T.randomArray(500, &rng)
        let s = try DropoutShape(count: 500, probability: 0.4)
        let (_, mask) = Self.forward(s, x, seed: 4)
        var dx = [Float](repeating: .nan, count: 500)
        withPointers(dy) { dyp in withPointers(mask) { mp in withMutablePointer(&dx) { dropoutBackward(s, dy: dyp, mask: mp, dx: $0) } } }
        // The forward is linear in x for a fixed mask, so its gradient is exact: mask ⊙ dy.
        let numeric = T.numericGradient(at: x.map(Double.init)) { xs in
            T.weightedSum(zip(xs, mask).map { $0 * Double($1) }, dy)
        }
        T.expectGradient(dx, numeric, "dropout dx")
    }

    @Test func probabilityOutsideZeroOneThrows() {
        #expect(throws: EngineError.self) { try DropoutShape(count: 4, probability: -0.1) }
        #expect(throws: EngineError.self) { try DropoutShape(count: 4, probability: 1.5) }
        #expect(throws: EngineError.self) { try DropoutShape(count: 4, probability: .nan) }
    }
}
