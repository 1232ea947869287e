// The inner loops of the sparse (pruned-weight) kernels; SparseKernels.swift is their
// documented Swift face. Activations are FEATURE-MAJOR here: a (features, B) buffer
// whose row f holds feature f for all B samples of the batch, contiguously, so every
// kept weight does one contiguous length-B multiply-add that fills AVX2 registers.
#include <stddef.h>
#include <stdint.h>

// Rows [r0, r1) of out (n_out, B):
//   out[r, :] = bias[r] + Σ_{p in start[r]..<start[r+1]} value(p) · in[index[p], :]
// where value(p) = values[p], or values[position[p]] when position is not NULL (the
// column-major view of a matrix whose values are stored row-major). bias may be NULL
// (zero). in is (n_in, B). Each output row is written by exactly one r.
void tickets_sparse_rows_fm(const int32_t *start, const int32_t *index, const int32_t *position,
                            const float *values, const float *bias, const float *in,
                            float *out, size_t batch, size_t r0, size_t r1);

// Sampled product over rows [r0, r1) of a sparse pattern (start, index):
//   g[p] = Σ_b left[r, b] · right[index[p], b]   for p in start[r]..<start[r+1]
// left is (n_rows, B), right is (n_cols, B). Writes only g[start[r0] ..< start[r1]].
void tickets_sampled_dot_fm(const int32_t *start, const int32_t *index, const float *left,
                            const float *right, float *g, size_t batch, size_t r0, size_t r1);

// dst (cols, rows) = srcᵀ for a row-major src (rows, cols), in 8×8 blocks of
// registers (the edges one by one).
void tickets_transpose(const float *src, float *dst, size_t rows, size_t cols);
