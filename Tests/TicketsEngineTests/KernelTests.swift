import Testing
@testable import TicketsEngine

struct KernelTests {
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func gemmMatchesNaiveReference(ta: Bool, tb: Bool) {
        var rng = RNG(seed: 42)
        for (m, n, k) in [(1, 1, 1), (3, 5, 7), (60, 30, 17), (13, 64, 9)] {
            let a = (0..<(m * k)).map { _ in Float(rng.normal()) }
            let b = (0..<(k * n)).map { _ in Float(rng.normal()) }
            let lda = ta ? m : k, ldb = tb ? k : n
            var ref = (0..<(m * n)).map { _ in Float(rng.normal()) }
            var fast = ref
            gemmReference(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 0.5, a, lda: lda, b, ldb: ldb, beta: 2, &ref, ldc: n)
            a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in fast.withUnsafeMutableBufferPointer { cp in
                gemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 0.5, ap.baseAddress!, lda: lda,
                     bp.baseAddress!, ldb: ldb, beta: 2, cp.baseAddress!, ldc: n)
            } } }
            for (x, y) in zip(ref, fast) { #expect(abs(x - y) < 1e-4 * Float(k) + 1e-4) }
        }
    }

    /// Both libraries on the engine's split products: half of C's columns (ldc larger
    /// than n), B's rows starting inside a bigger matrix, β = 1 accumulation.
    @Test(arguments: [false, true])
    func bothLibrariesOnStridedHalves(openBLAS: Bool) {
        var rng = RNG(seed: 7)
        let (m, n, k) = (60, 300, 78)
        let x = (0..<(m * k)).map { _ in Float(rng.normal()) }, w = (0..<(n * k)).map { _ in Float(rng.normal()) }
        var ref = (0..<(m * n)).map { _ in Float(rng.normal()) }
        var fast = ref
        gemmReference(transA: false, transB: true, m: m, n: n, k: k, x, lda: k, w, ldb: k, beta: 1, &ref, ldc: n)
        x.withUnsafeBufferPointer { xp in w.withUnsafeBufferPointer { wp in fast.withUnsafeMutableBufferPointer { cp in
            for (j0, j1) in [(0, 150), (150, 300)] {
                if openBLAS {
                    openBLASGemm(transA: false, transB: true, m: m, n: j1 - j0, k: k, xp.baseAddress!, lda: k,
                                 wp.baseAddress! + j0 * k, ldb: k, beta: 1, cp.baseAddress! + j0, ldc: n)
                } else {
                    gemm(transA: false, transB: true, m: m, n: j1 - j0, k: k, xp.baseAddress!, lda: k,
                         wp.baseAddress! + j0 * k, ldb: k, beta: 1, cp.baseAddress! + j0, ldc: n)
                }
            }
        } } }
        for (a, b) in zip(ref, fast) { #expect(abs(a - b) < 1e-3) }
    }

    @Test func softmaxCrossEntropyByHand() {
        // logits [0, ln 3] → p = [1/4, 3/4]; label 1 → loss = −ln(3/4).
        let logits: [Float] = [0, Float(Foundation.log(3.0))]
        let labels: [Int32] = [1]
        var g: [Float] = [0, 0]
        let (l, c) = logits.withUnsafeBufferPointer { lp in labels.withUnsafeBufferPointer { yp in g.withUnsafeMutableBufferPointer { gp in
            softmaxCrossEntropy(logits: lp.baseAddress!, labels: yp.baseAddress!, batch: 1, classes: 2, grad: gp.baseAddress!)
        } } }
        #expect(abs(l - (-Foundation.log(0.75))) < 1e-6)
        #expect(c == 1)
        #expect(abs(g[0] - 0.25) < 1e-6 && abs(g[1] + 0.25) < 1e-6)
    }

    @Test func rngIsReproducibleAndInRange() {
        var a = RNG(seed: 7), b = RNG(seed: 7), c = RNG(seed: 8)
        let xs = (0..<100).map { _ in a.next() }
        #expect(xs == (0..<100).map { _ in b.next() })
        #expect(xs != (0..<100).map { _ in c.next() })
        var r = RNG(seed: 1)
        for _ in 0..<10_000 { let u = r.uniform(); #expect(u >= 0 && u < 1) }
        for n in [1, 2, 7, 1000] { for _ in 0..<1000 { let k = r.below(n); #expect(k >= 0 && k < n) } }
        let p = r.permutation(1000)
        #expect(Set(p).count == 1000)
        // The normal draws have mean ≈ 0 and variance ≈ 1.
        let zs = (0..<20_000).map { _ in r.normal() }
        let mean = zs.reduce(0, +) / Double(zs.count)
        let variance = zs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(zs.count)
        #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.05)
    }

    @Test func initializersHaveTheirScale() {
        var rng = RNG(seed: 0)
        let (w, b) = Initializer.glorot.draw(weights: 300 * 784, biases: 300, fanIn: 784, fanOut: 300, rng: &rng)
        let sumSquares: Double = w.reduce(0) { $0 + Double($1) * Double($1) }
        let std = (sumSquares / Double(w.count)).squareRoot()
        #expect(abs(std - (2.0 / 1084).squareRoot()) < 0.001)
        #expect(b.allSatisfy { $0 == 0 })
        let (tw, tb) = Initializer.torch.draw(weights: 10 * 100, biases: 10, fanIn: 100, fanOut: 10, rng: &rng)
        #expect(tw.allSatisfy { abs($0) <= 0.1 } && tb.allSatisfy { abs($0) <= 0.1 })
    }
}

import Foundation
