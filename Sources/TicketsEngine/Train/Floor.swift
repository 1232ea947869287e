import Foundation

/// The floor of a dense MLP epoch on this machine: the time of the epoch's matrix
/// products alone, with the same shapes, the same OpenBLAS calls and the same split
/// between the two cores as Linear's forward and backward passes, and nothing else
/// (no data, no activations, no loss, no optimizer). An epoch's time divided by it says
/// how much the rest costs. `scripts/bench` prints both.
public enum Floor {
    /// Seconds for `steps` steps of the products of an MLP with `sizes` at `batch`:
    /// forward y = x·Wᵀ for every layer, dx = dy·W for all but the first, dW = dyᵀ·x
    /// for every layer. The best of `repeats` runs.
    public static func mlpProducts(sizes: [Int], batch: Int, steps: Int, repeats: Int = 3) -> Double {
        setBLASThreads(1)
        let layers = Array(zip(sizes, sizes.dropFirst()))
        var rng = RNG(seed: 1)
        func buffer(_ n: Int) -> [Float] { (0..<n).map { _ in Float(rng.normal()) * 0.05 } }
        var w = layers.map { buffer($0.0 * $0.1) }, g = layers.map { [Float](repeating: 0, count: $0.0 * $0.1) }
        var x = layers.map { buffer(batch * $0.0) }, y = layers.map { [Float](repeating: 0, count: batch * $0.1) }
        var dy = layers.map { buffer(batch * $0.1) }, dx = layers.map { [Float](repeating: 0, count: batch * $0.0) }
        var best = Double.infinity
        withDenormalsFlushed {
            for _ in 0..<repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<steps {
                    for (i, (k, n)) in layers.enumerated() {
                        w[i].withUnsafeBufferPointer { wp in x[i].withUnsafeBufferPointer { xp in y[i].withUnsafeMutableBufferPointer { yp in
                            let w = wp.baseAddress!, x = xp.baseAddress!, y = yp.baseAddress!
                            splitColumns(n, work: batch * n * k) { j0, j1 in
                                gemm(transA: false, transB: true, m: batch, n: j1 - j0, k: k, x, lda: k, w + j0 * k, ldb: k, beta: 1, y + j0, ldc: n)
                            }
                        } } }
                    }
                    for (i, (k, n)) in layers.enumerated().reversed() {
                        if i > 0 {
                            w[i].withUnsafeBufferPointer { wp in dy[i].withUnsafeBufferPointer { dyp in dx[i].withUnsafeMutableBufferPointer { dxp in
                                let w = wp.baseAddress!, dy = dyp.baseAddress!, d = dxp.baseAddress!
                                splitColumns(k, work: batch * n * k) { c0, c1 in
                                    gemm(transA: false, transB: false, m: batch, n: c1 - c0, k: n, dy, lda: n, w + c0, ldb: k, d + c0, ldc: k)
                                }
                            } } }
                        }
                        dy[i].withUnsafeBufferPointer { dyp in x[i].withUnsafeBufferPointer { xp in g[i].withUnsafeMutableBufferPointer { gp in
                            let dy = dyp.baseAddress!, x = xp.baseAddress!, g = gp.baseAddress!
                            splitColumns(n, work: batch * n * k) { j0, j1 in
                                gemm(transA: true, transB: false, m: j1 - j0, n: k, k: batch, dy + j0, lda: n, x, ldb: k, g + j0 * k, ldc: k)
                            }
                        } } }
                    }
                }
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
        }
        return best
    }
}
