import CBLAS

/// C ← α·op(A)·op(B) + β·C for row-major Float32 matrices, through OpenBLAS.
/// op(A) is (m, k), op(B) is (k, n), C is (m, n); lda/ldb/ldc are row strides.
@inline(__always)
public func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                 alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int,
                 _ b: UnsafePointer<Float>, ldb: Int,
                 beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// The naive reference for `gemm` (Double accumulation), kept beside the fast path so
/// tests can check it.
public func gemmReference(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                          alpha: Float = 1, _ a: [Float], lda: Int, _ b: [Float], ldb: Int,
                          beta: Float = 0, _ c: inout [Float], ldc: Int) {
    for i in 0..<m {
        for j in 0..<n {
            var s = 0.0
            for p in 0..<k {
                let av = transA ? a[p * lda + i] : a[i * lda + p]
                let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
                s += Double(av) * Double(bv)
            }
            c[i * ldc + j] = alpha * Float(s) + (beta == 0 ? 0 : beta * c[i * ldc + j])
        }
    }
}

/// Pins OpenBLAS's own thread count (the engine parallelises above it where it pays).
public func setBLASThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
