// Sparse kernels over feature-major activations (see include/sparse.h).
//
// One kept weight multiplies a whole row of B activations. With B = 60 that row is
// 8 AVX2 vectors, and it is kept in 8 registers while all the kept weights of one
// output row are summed into it: per kept weight, 8 loads and 8 fused multiply-adds,
// nothing stored. The batch is cut into groups of up to 8 vectors (64 samples); a
// batch that is not a multiple of 8 ends with a vector that overlaps its neighbour
// (lanes B−8 ..< B), which recomputes a few lanes with the very same operations.
// Batches under 8 samples take a plain scalar loop.
//
// The group helpers are inlined with a constant vector count, so the compiler fully
// unrolls their inner loops and keeps the accumulators in registers.
#include "sparse.h"
#include <string.h>

typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v8i __attribute__((vector_size(32)));
typedef float v4f __attribute__((vector_size(16)));

#define INLINE static inline __attribute__((always_inline))
#define GROUP 8   // vectors per group: 8 accumulators + operands fit in 16 registers

INLINE v8f load8(const float *p) { v8f v; memcpy(&v, p, sizeof v); return v; }
INLINE void store8(float *p, v8f v) { memcpy(p, &v, sizeof v); }
INLINE v8f splat8(float x) { return (v8f){x, x, x, x, x, x, x, x}; }

INLINE float sum8(v8f v) {
    v4f s = __builtin_shufflevector(v, v, 0, 1, 2, 3) + __builtin_shufflevector(v, v, 4, 5, 6, 7);
    s = s + __builtin_shufflevector(s, s, 2, 3, 0, 1);
    s = s + __builtin_shufflevector(s, s, 1, 0, 3, 2);
    return s[0];
}

// Lane offset of vector v of a group of nv vectors starting at lane `base`; the last
// vector sits at `last` (= base + 8(nv−1), or B − 8 when the batch ends inside it).
#define OFFSET(v) ((v) == nv - 1 ? last : base + 8 * (v))

// out_row[lanes of the group] = b + Σ_p value(p) · in[index[p], lanes].
INLINE void rows_group(const int nv, const int indirect, size_t base, size_t last,
                       const int32_t *index, const int32_t *position, const float *values,
                       int32_t p0, int32_t p1, float b, const float *in, float *out_row, size_t batch) {
    v8f acc[GROUP];
    for (int v = 0; v < nv; v++) acc[v] = splat8(b);
    for (int32_t p = p0; p < p1; p++) {
        v8f w = splat8(values[indirect ? position[p] : p]);
        const float *src = in + (size_t)index[p] * batch;
        for (int v = 0; v < nv; v++) acc[v] += w * load8(src + OFFSET(v));
    }
    for (int v = 0; v < nv; v++) store8(out_row + OFFSET(v), acc[v]);
}

// The same for every group of one output row; `indirect` is a constant at each call.
INLINE void rows_one(const int indirect, const int32_t *start, const int32_t *index,
                     const int32_t *position, const float *values, const float *bias,
                     const float *in, float *out, size_t batch, size_t r) {
    size_t vectors = (batch + 7) / 8;
    float b = bias ? bias[r] : 0;
    for (size_t v0 = 0; v0 < vectors; v0 += GROUP) {
        size_t nv = vectors - v0 < GROUP ? vectors - v0 : GROUP;
        size_t base = 8 * v0;
        size_t last = v0 + nv == vectors ? batch - 8 : base + 8 * (nv - 1);
        float *row = out + r * batch;
        switch (nv) {   // a constant vector count per case: the loops unroll
#define CASE(n) case n: rows_group(n, indirect, base, last, index, position, values, \
                                   start[r], start[r + 1], b, in, row, batch); break;
            CASE(1) CASE(2) CASE(3) CASE(4) CASE(5) CASE(6) CASE(7) CASE(8)
#undef CASE
        }
    }
}

void tickets_sparse_rows_fm(const int32_t *start, const int32_t *index, const int32_t *position,
                            const float *values, const float *bias, const float *in,
                            float *out, size_t batch, size_t r0, size_t r1) {
    if (batch < 8) {   // too short for one vector: plain loops
        for (size_t r = r0; r < r1; r++) {
            float *row = out + r * batch;
            for (size_t b = 0; b < batch; b++) row[b] = bias ? bias[r] : 0;
            for (int32_t p = start[r]; p < start[r + 1]; p++) {
                float w = values[position ? position[p] : p];
                const float *src = in + (size_t)index[p] * batch;
                for (size_t b = 0; b < batch; b++) row[b] += w * src[b];
            }
        }
        return;
    }
    for (size_t r = r0; r < r1; r++) {
        if (position) rows_one(1, start, index, position, values, bias, in, out, batch, r);
        else rows_one(0, start, index, position, values, bias, in, out, batch, r);
    }
}

// g[p] (+)= Σ over the group's lanes of left_row · right[index[p], :]. The left row is
// held in registers; its last vector has the lanes it shares with the one before it
// zeroed (keep), so that no sample is counted twice.
INLINE void dots_group(const int nv, size_t base, size_t last, v8i keep, int accumulate,
                       const int32_t *index, int32_t p0, int32_t p1,
                       const float *left_row, const float *right, float *g, size_t batch) {
    v8f l[GROUP];
    for (int v = 0; v < nv; v++) l[v] = load8(left_row + OFFSET(v));
    l[nv - 1] = (v8f)((v8i)l[nv - 1] & keep);
    for (int32_t p = p0; p < p1; p++) {
        const float *src = right + (size_t)index[p] * batch;
        v8f even = splat8(0), odd = splat8(0);   // two chains halve the FMA latency
        for (int v = 0; v < nv; v += 2) even += l[v] * load8(src + OFFSET(v));
        for (int v = 1; v < nv; v += 2) odd += l[v] * load8(src + OFFSET(v));
        float s = sum8(even + odd);
        g[p] = accumulate ? g[p] + s : s;
    }
}

void tickets_sampled_dot_fm(const int32_t *start, const int32_t *index, const float *left,
                            const float *right, float *g, size_t batch, size_t r0, size_t r1) {
    if (batch < 8) {
        for (size_t r = r0; r < r1; r++) {
            const float *row = left + r * batch;
            for (int32_t p = start[r]; p < start[r + 1]; p++) {
                const float *src = right + (size_t)index[p] * batch;
                float s = 0;
                for (size_t b = 0; b < batch; b++) s += row[b] * src[b];
                g[p] = s;
            }
        }
        return;
    }
    size_t vectors = (batch + 7) / 8;
    size_t shared = 8 * vectors - batch;   // lanes the last vector repeats
    v8i keep;
    for (int i = 0; i < 8; i++) keep[i] = (size_t)i < shared ? 0 : -1;
    v8i all = {-1, -1, -1, -1, -1, -1, -1, -1};
    for (size_t r = r0; r < r1; r++) {
        for (size_t v0 = 0; v0 < vectors; v0 += GROUP) {
            size_t nv = vectors - v0 < GROUP ? vectors - v0 : GROUP;
            size_t base = 8 * v0;
            int ends = v0 + nv == vectors;
            size_t last = ends ? batch - 8 : base + 8 * (nv - 1);
            v8i k = ends ? keep : all;
            switch (nv) {
#define CASE(n) case n: dots_group(n, base, last, k, v0 > 0, index, start[r], start[r + 1], \
                                   left + r * batch, right, g, batch); break;
                CASE(1) CASE(2) CASE(3) CASE(4) CASE(5) CASE(6) CASE(7) CASE(8)
#undef CASE
            }
        }
    }
}

// One 8×8 block: rows r[0..8) of the source (8 floats each) become the 8 columns.
// Three rounds of shuffles: pairs of rows interleaved, then pairs of pairs, then the
// 128-bit halves exchanged.
INLINE void transpose8x8(const float *src, size_t src_stride, float *dst, size_t dst_stride) {
    v8f r[8], t[8], u[8];
    for (int i = 0; i < 8; i++) r[i] = load8(src + i * src_stride);
    for (int i = 0; i < 8; i += 2) {
        t[i] = __builtin_shufflevector(r[i], r[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        t[i + 1] = __builtin_shufflevector(r[i], r[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = __builtin_shufflevector(t[i], t[i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 1] = __builtin_shufflevector(t[i], t[i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        u[i + 2] = __builtin_shufflevector(t[i + 1], t[i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 3] = __builtin_shufflevector(t[i + 1], t[i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
    }
    for (int i = 0; i < 4; i++) {
        store8(dst + i * dst_stride, __builtin_shufflevector(u[i], u[i + 4], 0, 1, 2, 3, 8, 9, 10, 11));
        store8(dst + (i + 4) * dst_stride, __builtin_shufflevector(u[i], u[i + 4], 4, 5, 6, 7, 12, 13, 14, 15));
    }
}

void tickets_transpose(const float *src, float *dst, size_t rows, size_t cols) {
    size_t rows8 = rows & ~(size_t)7, cols8 = cols & ~(size_t)7;
    for (size_t r = 0; r < rows8; r += 8) {
        for (size_t c = 0; c < cols8; c += 8) transpose8x8(src + r * cols + c, cols, dst + c * rows + r, rows);
        for (size_t i = r; i < r + 8; i++)
            for (size_t c = cols8; c < cols; c++) dst[c * rows + i] = src[i * cols + c];
    }
    for (size_t r = rows8; r < rows; r++)
        for (size_t c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
}
