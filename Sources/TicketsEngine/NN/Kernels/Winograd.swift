import CKernels

/// Tickets' own Winograd convolution, F(4×4, 3×3) (Lavin & Gray 2016), for 3×3
/// stride-1 layers on CPUs where oneDNN offers none (its Winograd kernels need
/// AVX-512; on AVX2 it runs direct, issue 18).
///
/// A block of samples is cut into 4×4 output tiles; each tile's 6×6 input window and
/// each 3×3 kernel are transformed (CKernels/winograd.c) so that the convolution
/// becomes 36 matrix products, one per point ξ of the 6×6 domain:
/// m[ξ] (K × P) = u[ξ] (K × C) · v[ξ] (C × P) over the P tiles of the block, then the
/// output transform. That is 36·K·C·P multiply-adds where a direct convolution does
/// 9·16·K·C·P: 4 × fewer, at the price of the transforms and some rounding (relative
/// error about 1e-6 of the largest term, checked against the reference). The products
/// run on `gemm` (oneDNN's JIT sgemm for the CPU at hand). The backward pass is the
/// exact adjoint of this forward: dv[ξ] = u[ξ]ᵀ·dm[ξ] and du[ξ] = dm[ξ]·v[ξ]ᵀ with the
/// transposed transforms, so the gradients are those of the computed function.
///
/// Where every input a direct convolution would sum is zero (zero padding, the zeros a
/// ReLU leaves, an image's blank background), the output is set to exactly the bias,
/// as a direct sum gives: the transforms leave ±1e-8 there, and a ReLU after would
/// open its gate at random, changing the biases' gradients (found against PyTorch on
/// Fashion-MNIST, whose backgrounds are zeros, at init, whose biases are zeros).
///
/// Blocks are sized so that a block's transformed tiles (36·C·P Floats) stay near
/// 256 tiles: in cache, whatever the image size. One instance serves both threads: each
/// has its own scratch.
final class WinogradConvolution {
    let shape: Conv2DShape
    let tilesH: Int, tilesW: Int
    /// Samples per block, and the columns of a block's matrices (a multiple of 8).
    let block: Int, pstride: Int
    private let u = Buffer()
    private let v: [Buffer], m: [Buffer], du: [Buffer]

    static func offered(_ s: Conv2DShape) -> Bool {
        s.kernelHeight == 3 && s.kernelWidth == 3 && s.stride == 1
    }

    /// Whether Winograd saves work on this layer: 36 multiply-adds per 4×4 tile, against
    /// 9 per output pixel direct, with the tiles that overhang the plane computed in
    /// full. It must do at most a third of the direct work (12·tiles ≤ OH·OW): planes
    /// of 4×4, 7×7 and larger pass, 3×3, 5×5 and 6×6 do not (a 3×3 plane is one tile,
    /// 4/9 of the work; a 1×1 plane 4 times the work). Measured on Zen 3 (AVX2):
    /// VGG-11 on 28×28 images ran 3 × slower with its 3×3 and 1×1 planes on Winograd.
    static func pays(_ s: Conv2DShape) -> Bool {
        guard offered(s), s.inChannels >= winogradMinChannels else { return false }
        let tiles = ((s.outHeight + 3) / 4) * ((s.outWidth + 3) / 4)
        return 12 * tiles <= s.outPlane
    }

    init(_ s: Conv2DShape) {
        precondition(Self.offered(s))
        shape = s
        tilesH = (s.outHeight + 3) / 4
        tilesW = (s.outWidth + 3) / 4
        let tiles = tilesH * tilesW
        block = max(1, 256 / tiles)
        pstride = (block * tiles + 7) / 8 * 8
        v = [Buffer(), Buffer()]; m = [Buffer(), Buffer()]; du = [Buffer(), Buffer()]
    }

    private var K: Int { shape.outChannels }
    private var C: Int { shape.inChannels }

    /// Transforms the weights (O, C, 3, 3) for the calls that follow; run once per pass,
    /// before the threads split the batch.
    func prepare(weights w: UnsafePointer<Float>) {
        tickets_wino_weights(w, Int32(K), Int32(C), u.ensure(36 * K * C))
    }

    /// y (n, K, OH, OW) = conv(x (n, C, H, W)) + b for `n` samples, on `thread`.
    func forward(x: UnsafePointer<Float>, samples n: Int, bias: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>, thread: Int) {
        let s = shape, K = K, C = C, ps = pstride
        let vb = v[thread].ensure(36 * C * ps), mb = m[thread].ensure(36 * K * ps), ub = UnsafePointer(u.ptr)
        var first = 0
        while first < n {
            let count = min(block, n - first)
            tickets_wino_input(x + first * C * s.inPlane, Int32(count), Int32(C), Int32(s.inHeight), Int32(s.inWidth),
                               Int32(s.padding), Int32(tilesH), Int32(tilesW), vb, Int32(ps))
            for xi in 0..<36 {
                gemm(transA: false, transB: false, m: K, n: ps, k: C, ub + xi * K * C, lda: C,
                     vb + xi * C * ps, ldb: ps, mb + xi * K * ps, ldc: ps)
            }
            tickets_wino_output(mb, Int32(count), Int32(K), Int32(s.outHeight), Int32(s.outWidth), Int32(tilesH),
                                Int32(tilesW), Int32(ps), bias, y + first * K * s.outPlane)
            tickets_wino_exact_zeros(x + first * C * s.inPlane, Int32(count), Int32(C), Int32(s.inHeight), Int32(s.inWidth),
                                     Int32(s.padding), Int32(K), Int32(s.outHeight), Int32(s.outWidth), bias,
                                     y + first * K * s.outPlane)
            first += count
        }
    }

    /// For `n` samples on `thread`: dw += ∂L/∂w (O, C, 3, 3), db += ∂L/∂b, and dx
    /// (n, C, H, W) = ∂L/∂x when asked for, from dy (n, K, OH, OW).
    func backward(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, samples n: Int,
                  dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>?,
                  dx: UnsafeMutablePointer<Float>?, thread: Int) {
        let s = shape, K = K, C = C, ps = pstride, plane = s.outPlane
        let vb = v[thread].ensure(36 * C * ps), mb = m[thread].ensure(36 * K * ps)
        let dub = du[thread].ensure(36 * K * C), ub = UnsafePointer(u.ptr)
        var first = 0
        while first < n {
            let count = min(block, n - first)
            tickets_wino_input(x + first * C * s.inPlane, Int32(count), Int32(C), Int32(s.inHeight), Int32(s.inWidth),
                               Int32(s.padding), Int32(tilesH), Int32(tilesW), vb, Int32(ps))
            tickets_wino_output_adjoint(dy + first * K * plane, Int32(count), Int32(K), Int32(s.outHeight),
                                        Int32(s.outWidth), Int32(tilesH), Int32(tilesW), Int32(ps), mb)
            for xi in 0..<36 {
                gemm(transA: false, transB: true, m: K, n: C, k: ps, mb + xi * K * ps, lda: ps,
                     vb + xi * C * ps, ldb: ps, beta: first == 0 ? 0 : 1, dub + xi * K * C, ldc: C)
            }
            if let dx {
                for xi in 0..<36 {
                    gemm(transA: true, transB: false, m: C, n: ps, k: K, ub + xi * K * C, lda: C,
                         mb + xi * K * ps, ldb: ps, vb + xi * C * ps, ldc: ps)
                }
                tickets_wino_input_adjoint(vb, Int32(count), Int32(C), Int32(s.inHeight), Int32(s.inWidth),
                                           Int32(s.padding), Int32(tilesH), Int32(tilesW), Int32(ps),
                                           dx + first * C * s.inPlane)
            }
            first += count
        }
        if n > 0 { tickets_wino_weights_adjoint(dub, Int32(K), Int32(C), dw) }
        if let db {
            for i in 0..<n {
                for k in 0..<K {
                    let row = dy + (i * K + k) * plane
                    var sum: Float = 0
                    for j in 0..<plane { sum += row[j] }
                    db[k] += sum
                }
            }
        }
    }
}
