import CKernels
import Foundation

/// The training kernels of a pruned Linear layer, y = x·Wᵀ + b, over a `SparseMatrix`
/// W (out, in): only the kept weights cost time.
///
/// Activations are FEATURE-MAJOR: xT (in, B) is the transpose of the usual x (B, in),
/// so row c of xT holds input feature c for all B samples. Then each kept weight W[r, c]
/// does one contiguous length-B multiply-add (yT[r, :] += W[r, c]·xT[c, :]) that fills
/// vector registers, where the batch-major layout would need a gather per weight.
/// `transpose` converts between the layouts; a net can also keep its activations
/// feature-major from input to loss (ReLU does not care) and transpose twice per step.
///
/// Threading: every kernel takes the range of rows (or columns, or kept weights) it
/// should do. Calls on disjoint ranges write disjoint memory and may run at the same
/// time; `SparseMatrix.rowRanges`/`columnRanges` cut balanced ranges.
///
/// Each kernel has a naive dense reference in SparseReference.swift that the tests
/// check it against.
///
/// When it pays (SparseBenchmark, one thread, batch 60, 2-core AMD EPYC, AVX2):
/// forward + input gradient + weight gradient beat the three sgemm calls below about
/// 45% kept for 784→300, 60% for 300→100, and at every density for 100→10. At 10.7%
/// kept they take 0.2 of the dense time, at 2% 0.05. Above the crossover a layer is
/// better left dense.
public enum SparseKernels {
    /// Forward: yT[r, :] = b[r] + Σ_c W[r, c]·xT[c, :] for r in `rows`.
    /// W (out, in) sparse, xT (in, B), bias (out) or nil, yT (out, B).
    /// Writes rows `rows` of yT only.
    public static func forward(_ w: SparseMatrix, xT: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                               yT: UnsafeMutablePointer<Float>, batch: Int, rows: Range<Int>) {
        guard !rows.isEmpty else { return }
        w.rowStart.withUnsafeBufferPointer { start in
            w.columnIndex.withUnsafeBufferPointer { column in
                w.values.withUnsafeBufferPointer { value in
                    tickets_sparse_rows_fm(start.baseAddress!, column.baseAddress, nil, value.baseAddress, bias,
                                           xT, yT, batch, rows.lowerBound, rows.upperBound)
                }
            }
        }
    }

    /// Input gradient: dxT[c, :] = Σ_r W[r, c]·dyT[r, :] for c in `columns`, i.e.
    /// dx = dy·W. W (out, in) sparse, dyT (out, B), dxT (in, B).
    /// Writes rows `columns` of dxT only (the matrix is walked by column).
    public static func inputGradient(_ w: SparseMatrix, dyT: UnsafePointer<Float>,
                                     dxT: UnsafeMutablePointer<Float>, batch: Int, columns: Range<Int>) {
        guard !columns.isEmpty else { return }
        w.columnStart.withUnsafeBufferPointer { start in
            w.rowIndex.withUnsafeBufferPointer { row in
                w.valuePosition.withUnsafeBufferPointer { position in
                    w.values.withUnsafeBufferPointer { value in
                        tickets_sparse_rows_fm(start.baseAddress!, row.baseAddress, position.baseAddress, value.baseAddress,
                                               nil, dyT, dxT, batch, columns.lowerBound, columns.upperBound)
                    }
                }
            }
        }
    }

    /// Weight gradient at the kept weights only (a sampled product, SDDMM):
    /// grad[k] = Σ_b dyT[r, b]·xT[c, b] for each kept weight k = (r, c) of a row r in
    /// `rows`. dyT (out, B), xT (in, B), grad (nonzeroCount), in the order of `values`.
    /// Writes grad[rowStart[rows.lower] ..< rowStart[rows.upper]] only.
    public static func weightGradient(_ w: SparseMatrix, dyT: UnsafePointer<Float>, xT: UnsafePointer<Float>,
                                      grad: UnsafeMutablePointer<Float>, batch: Int, rows: Range<Int>) {
        guard !rows.isEmpty else { return }
        w.rowStart.withUnsafeBufferPointer { start in
            w.columnIndex.withUnsafeBufferPointer { column in
                tickets_sampled_dot_fm(start.baseAddress!, column.baseAddress, dyT, xT, grad,
                                       batch, rows.lowerBound, rows.upperBound)
            }
        }
    }

    /// Bias gradient: db[r] = Σ_b dyT[r, b] for r in `rows`. dyT (out, B), db (out).
    public static func biasGradient(dyT: UnsafePointer<Float>, db: UnsafeMutablePointer<Float>,
                                    batch: Int, rows: Range<Int>) {
        for r in rows {
            let row = dyT + r * batch
            var s: Float = 0
            for b in 0..<batch { s += row[b] }
            db[r] = s
        }
    }

    /// dst (columns, rows) = srcᵀ for a row-major src (rows, columns): batch-major x
    /// (B, in) to feature-major xT (in, B) and back. In C, 8×8 blocks at a time.
    public static func transpose(_ src: UnsafePointer<Float>, rows: Int, columns: Int,
                                 into dst: UnsafeMutablePointer<Float>) {
        tickets_transpose(src, dst, rows, columns)
    }

    // MARK: Optimiser steps over the kept weights

    // They take the kept values, their gradients and state (one Float per kept weight
    // each) and a range of kept-weight indices; ranges that do not overlap may run at
    // once. The formulas are those of the dense masked steps (Optimizer.swift) at a kept
    // weight, where the mask is 1; pruned weights are not stored, so stay zero.

    /// Plain SGD: w ← w − η(g + λw).
    public static func sgd(values: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
                           lr: Float, weightDecay: Float, _ range: Range<Int>) {
        Kernels.sgd(values, grad, nil, lr: lr, wd: weightDecay, range)
    }

    /// SGD with momentum: v ← μv + g + λw; w ← w − ηv.
    public static func sgdMomentum(values: UnsafeMutablePointer<Float>, velocity: UnsafeMutablePointer<Float>,
                                   grad: UnsafePointer<Float>, lr: Float, momentum: Float, weightDecay: Float,
                                   _ range: Range<Int>) {
        Kernels.sgdMomentum(values, velocity, grad, nil, lr: lr, mu: momentum, wd: weightDecay, range)
    }

    /// Adam at step t (1, 2, ...): gᵢ = g + λw; m ← β1·m + (1−β1)gᵢ; v ← β2·v + (1−β2)gᵢ²;
    /// w ← w − η/(1−β1ᵗ) · m / (√(v/(1−β2ᵗ)) + ε). The loop is the C one of dense Adam.
    public static func adam(values: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>,
                            v: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>, step t: Int,
                            lr: Float, beta1: Float, beta2: Float, eps: Float, weightDecay: Float,
                            _ range: Range<Int>) {
        let c1 = 1 - powf(beta1, Float(t)), c2 = 1 - powf(beta2, Float(t))
        Kernels.adam(values, m, v, grad, nil, s1: lr / c1, inv2: 1 / c2, b1: beta1, b2: beta2,
                     eps: eps, wd: weightDecay, range)
    }
}
