@preconcurrency import CBLAS
import CDNNL
import Foundation

/// Which library computes the engine's matrix products.
///
/// oneDNN's sgemm is compiled at run time (JIT) for the CPU it runs on, from that CPU's
/// own features: AVX-512 where there is AVX-512, AVX2 where there is AVX2, on Intel and
/// AMD alike and on CPUs no library release knows by name. OpenBLAS instead picks a
/// prebuilt kernel set when it loads, by model, and Debian's 0.3.21 guesses wrong on
/// new CPUs (an AVX-512 Xeon on its SSE3 kernels, 4 × slower; issue 18). Side by side
/// on LeNet-300-100's shapes oneDNN also ran 5–35 % faster than OpenBLAS's best kernels
/// for the same CPU (docs/performance.md), so it is the default. OpenBLAS keeps the
/// smallest products, where oneDNN's per-call work (about a microsecond) dominates, and
/// is the whole path with TICKETS_GEMM=openblas.
public enum GemmLibrary: String, CaseIterable, Sendable {
    case onednn, openblas

    /// TICKETS_GEMM from the environment (onednn, openblas), else onednn.
    public static let selected: GemmLibrary =
        ProcessInfo.processInfo.environment["TICKETS_GEMM"].flatMap { GemmLibrary(rawValue: $0.lowercased()) } ?? .onednn

    /// Products of fewer multiply-adds than this go to OpenBLAS whatever the choice:
    /// measured, oneDNN's sgemm costs about 1 µs a call before any arithmetic, OpenBLAS
    /// about 0.3 µs; the two break even near 16×16×16.
    public static let smallestForOneDNN = 4096

    /// The instruction set oneDNN compiles its kernels for on this CPU: "avx512_core",
    /// "avx2", ... (oneDNN's names).
    public static var oneDNNISA: String {
        switch dnnl_get_effective_cpu_isa() {
        case dnnl_cpu_isa_sse41: return "sse41"
        case dnnl_cpu_isa_avx: return "avx"
        case dnnl_cpu_isa_avx2: return "avx2"
        case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni"
        case dnnl_cpu_isa_avx512_core: return "avx512_core"
        case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni"
        case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16"
        case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx"
        case let isa: return "isa \(isa.rawValue)"
        }
    }

    /// The vector width, in bits, of oneDNN's kernels here: 512, 256 or 128.
    public static var oneDNNVectorBits: Int {
        let isa = oneDNNISA
        return isa.hasPrefix("avx512") ? 512 : isa.hasPrefix("avx2") ? 256 : 128
    }

    /// The width, in bits, of the vectors the engine's dense products run on.
    public static var vectorBits: Int {
        selected == .onednn ? oneDNNVectorBits : CPUFeatures.vectorBits(ofOpenBLASCore: BLASCore.name) ?? 128
    }

    /// What `tks --version` and the benchmark print: "oneDNN avx2 (OpenBLAS Zen below 16×16×16)".
    public static var description: String {
        selected == .onednn
            ? "oneDNN \(oneDNNISA) (OpenBLAS \(BLASCore.name) below 16×16×16)"
            : "OpenBLAS \(BLASCore.name)"
    }
}

/// C ← α·op(A)·op(B) + β·C for row-major Float32 matrices, on the calling thread.
/// op(A) is (m, k), op(B) is (k, n), C is (m, n); lda/ldb/ldc are row strides.
@inline(__always)
public func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                 alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int,
                 _ b: UnsafePointer<Float>, ldb: Int,
                 beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    if GemmLibrary.selected == .onednn && m * n * k >= GemmLibrary.smallestForOneDNN {
        // One OpenMP thread: the engine splits products between its own two threads.
        omp_set_num_threads(1)
        if dnnl_sgemm(transA ? 84 : 78, transB ? 84 : 78, dnnl_dim_t(m), dnnl_dim_t(n), dnnl_dim_t(k),
                      alpha, a, dnnl_dim_t(lda), b, dnnl_dim_t(ldb), beta, c, dnnl_dim_t(ldc)) == dnnl_success {
            return
        }
    }
    openBLASGemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a, lda: lda, b, ldb: ldb, beta: beta, c, ldc: ldc)
}

/// `gemm` on OpenBLAS alone.
@inline(__always)
public func openBLASGemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
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
