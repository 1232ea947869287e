#pragma once
// Winograd F(4×4, 3×3) transforms for 3×3, stride-1 convolutions (Lavin & Gray 2016,
// "Fast Algorithms for Convolutional Neural Networks"), and their adjoints for the
// backward pass. A convolution becomes 36 matrix products, one per point ξ of the 6×6
// Winograd domain, between transformed weights u[ξ] (K×C) and transformed input tiles
// v[ξ] (C×P): m[ξ] = u[ξ]·v[ξ]. The backward pass is the exact adjoint of that forward
// pass: dv[ξ] = u[ξ]ᵀ·dm[ξ], du[ξ] = dm[ξ]·v[ξ]ᵀ, with the transforms transposed.
//
// Layouts: images (n, C, H, W) and outputs (n, K, OH, OW) row-major, weights
// (K, C, 3, 3); u as [36][K][C]; v as [36][C][pstride], m as [36][K][pstride]. Tile p
// of a block is image p / T, tile row (p % T) / tiles_w, column (p % T) % tiles_w, with
// T = tiles_h · tiles_w 4×4 output tiles per image. pstride ≥ n·T is a multiple of 8;
// the columns past n·T hold zeros (input) or are ignored (output).
#include <stddef.h>

// u = G g Gᵀ for every (k, c).
void tickets_wino_weights(const float *w, int K, int C, float *u);
// dw += Gᵀ du G for every (k, c).
void tickets_wino_weights_adjoint(const float *du, int K, int C, float *dw);
// v = Bᵀ d B for every channel and tile (zero padding outside the image).
void tickets_wino_input(const float *x, int n, int C, int H, int W, int pad,
                        int tiles_h, int tiles_w, float *v, int pstride);
// dx = Σ over tiles of B dv Bᵀ, placed where each tile reads (dx is overwritten).
void tickets_wino_input_adjoint(const float *dv, int n, int C, int H, int W, int pad,
                                int tiles_h, int tiles_w, int pstride, float *dx);
// y = Aᵀ m A (+ bias[k] when bias is not NULL), cut to OH×OW.
void tickets_wino_output(const float *m, int n, int K, int OH, int OW, int tiles_h, int tiles_w,
                         int pstride, const float *bias, float *y);
// dm = A dy Aᵀ (dy zero outside OH×OW).
void tickets_wino_output_adjoint(const float *dy, int n, int K, int OH, int OW, int tiles_h, int tiles_w,
                                 int pstride, float *dm);
// Where every input value a direct convolution would sum is zero (zero padding, the
// zeros a ReLU leaves), sets y to exactly the bias (0 without one): Winograd's
// transforms leave ±1e-8 there, and a ReLU after would open its gate at random.
void tickets_wino_exact_zeros(const float *x, int n, int C, int H, int W, int pad,
                              int K, int OH, int OW, const float *bias, float *y);
