// Winograd F(4×4, 3×3) transforms and their adjoints (see include/winograd.h). Eight
// tiles are transformed at once, one per lane of an 8-float vector: their values are
// gathered from the image (zero outside it) into 36 vectors, transformed with the
// constant matrices below written out as adds, and stored as 8 consecutive columns.
//
//   Bᵀ = [4  0 −5  0  1  0]   G = [ 1/4    0     0  ]   Aᵀ = [1 1  1 1  1 0]
//        [0 −4 −4  1  1  0]       [−1/6 −1/6  −1/6 ]        [0 1 −1 2 −2 0]
//        [0  4 −4 −1  1  0]       [−1/6  1/6  −1/6 ]        [0 1  1 4  4 0]
//        [0 −2 −1  2  1  0]       [1/24  1/12  1/6 ]        [0 1 −1 8 −8 1]
//        [0  2 −1 −2  1  0]       [1/24 −1/12  1/6 ]
//        [0  4  0 −5  0  1]       [  0    0     1  ]
#include "winograd.h"
#include <stdlib.h>
#include <string.h>

typedef float v8 __attribute__((vector_size(32)));
#define LANES 8

// o = Bᵀ·d over 6 values (d and o strided by `s` vectors).
static inline void bt6(const v8 *d, int s, v8 *o, int so) {
    v8 d0 = d[0], d1 = d[s], d2 = d[2 * s], d3 = d[3 * s], d4 = d[4 * s], d5 = d[5 * s];
    o[0] = 4 * d0 - 5 * d2 + d4;
    o[so] = d3 + d4 - 4 * (d1 + d2);
    o[2 * so] = 4 * (d1 - d2) + d4 - d3;
    o[3 * so] = 2 * (d3 - d1) + d4 - d2;
    o[4 * so] = 2 * (d1 - d3) + d4 - d2;
    o[5 * so] = 4 * d1 - 5 * d3 + d5;
}

// o = B·v (the transpose of bt6).
static inline void b6(const v8 *v, int s, v8 *o, int so) {
    v8 v0 = v[0], v1 = v[s], v2 = v[2 * s], v3 = v[3 * s], v4 = v[4 * s], v5 = v[5 * s];
    o[0] = 4 * v0;
    o[so] = 4 * (v2 - v1 + v5) + 2 * (v4 - v3);
    o[2 * so] = -5 * v0 - 4 * (v1 + v2) - v3 - v4;
    o[3 * so] = v1 - v2 + 2 * (v3 - v4) - 5 * v5;
    o[4 * so] = v0 + v1 + v2 + v3 + v4;
    o[5 * so] = v5;
}

// o (4) = Aᵀ·m (6).
static inline void at6(const v8 *m, int s, v8 *o, int so) {
    v8 m0 = m[0], m1 = m[s], m2 = m[2 * s], m3 = m[3 * s], m4 = m[4 * s], m5 = m[5 * s];
    v8 p12 = m1 + m2, n12 = m1 - m2, p34 = m3 + m4, n34 = m3 - m4;
    o[0] = m0 + p12 + p34;
    o[so] = n12 + 2 * n34;
    o[2 * so] = p12 + 4 * p34;
    o[3 * so] = n12 + 8 * n34 + m5;
}

// o (6) = A·y (4) (the transpose of at6).
static inline void a4(const v8 *y, int s, v8 *o, int so) {
    v8 y0 = y[0], y1 = y[s], y2 = y[2 * s], y3 = y[3 * s];
    o[0] = y0;
    o[so] = y0 + y1 + y2 + y3;
    o[2 * so] = y0 - y1 + y2 - y3;
    o[3 * so] = y0 + 2 * y1 + 4 * y2 + 8 * y3;
    o[4 * so] = y0 - 2 * y1 + 4 * y2 - 8 * y3;
    o[5 * so] = y3;
}

// Where lane l's tile sits: its image and the top-left of its 6×6 input window (row,
// column; may be negative) or of its 4×4 output tile. -1 image for padding lanes.
typedef struct { int image[LANES], row[LANES], col[LANES]; } Lanes;

static inline void locate(Lanes *L, int p0, int count, int T, int tiles_w, int shift) {
    for (int l = 0; l < LANES; l++) {
        int p = p0 + l;
        if (p >= count) { L->image[l] = -1; L->row[l] = L->col[l] = 0; continue; }
        int t = p % T;
        L->image[l] = p / T;
        L->row[l] = 4 * (t / tiles_w) - shift;
        L->col[l] = 4 * (t % tiles_w) - shift;
    }
}

// The planes of one channel of a block's images, zero-padded so that every tile's
// window lies inside: image i's plane starts at i·hp·wp, its pixel (y, x) at row
// y + pad, column x + pad. One more plane of zeros serves the padding lanes.
typedef struct { float *data; int hp, wp; } Planes;

static Planes planes_make(int n, int tiles_h, int tiles_w) {
    Planes P;
    P.hp = 4 * tiles_h + 2;
    P.wp = 4 * tiles_w + 2;
    P.data = calloc((size_t)(n + 1) * P.hp * P.wp, sizeof(float));
    return P;
}

// The window (or tile) pointers of 8 lanes into padded planes.
static inline void lane_pointers(const Lanes *L, const Planes *P, int n, const float *ptr[LANES]) {
    const size_t plane = (size_t)P->hp * P->wp;
    for (int l = 0; l < LANES; l++)
        ptr[l] = L->image[l] < 0 ? P->data + (size_t)n * plane
                                 : P->data + (size_t)L->image[l] * plane + (size_t)L->row[l] * P->wp + L->col[l];
}

// d[r·cols + k] = lane l's value at row r, column k of its window, for rows × cols.
static inline void gather(const float *ptr[LANES], int wp, int rows, int cols, v8 *d) {
    for (int r = 0; r < rows; r++)
        for (int k = 0; k < cols; k++) {
            const size_t o = (size_t)r * wp + k;
            d[r * cols + k] = (v8){ptr[0][o], ptr[1][o], ptr[2][o], ptr[3][o], ptr[4][o], ptr[5][o], ptr[6][o], ptr[7][o]};
        }
}

void tickets_wino_input(const float *x, int n, int C, int H, int W, int pad,
                        int tiles_h, int tiles_w, float *v, int pstride) {
    const int T = tiles_h * tiles_w, count = n * T;
    const size_t plane = (size_t)H * W, cstride = (size_t)C * pstride;
    Planes P = planes_make(n, tiles_h, tiles_w);
    const int rows = H < P.hp - pad ? H : P.hp - pad, cols = W < P.wp - pad ? W : P.wp - pad;
    for (int c = 0; c < C; c++) {
        for (int i = 0; i < n; i++) {
            const float *img = x + ((size_t)i * C + c) * plane;
            float *dst = P.data + (size_t)i * P.hp * P.wp;
            for (int y = 0; y < rows; y++) memcpy(dst + (size_t)(y + pad) * P.wp + pad, img + (size_t)y * W, sizeof(float) * cols);
        }
        for (int p0 = 0; p0 < pstride; p0 += LANES) {
            Lanes L;
            locate(&L, p0, count, T, tiles_w, 0);
            const float *ptr[LANES];
            lane_pointers(&L, &P, n, ptr);
            v8 d[36], t[36];
            gather(ptr, P.wp, 6, 6, d);
            for (int k = 0; k < 6; k++) bt6(d + k, 6, t + k, 6);       // columns: t = Bᵀ d
            for (int i = 0; i < 6; i++) bt6(t + 6 * i, 1, d + 6 * i, 1); // rows: d = t B
            float *out = v + (size_t)c * pstride + p0;
            for (int xi = 0; xi < 36; xi++) memcpy(out + xi * cstride, &d[xi], sizeof(v8));
        }
    }
    free(P.data);
}

void tickets_wino_input_adjoint(const float *dv, int n, int C, int H, int W, int pad,
                                int tiles_h, int tiles_w, int pstride, float *dx) {
    const int T = tiles_h * tiles_w, count = n * T;
    const size_t plane = (size_t)H * W, cstride = (size_t)C * pstride;
    Planes P = planes_make(n, tiles_h, tiles_w);
    const size_t pplane = (size_t)P.hp * P.wp;
    const int rows = H < P.hp - pad ? H : P.hp - pad, cols = W < P.wp - pad ? W : P.wp - pad;
    for (int c = 0; c < C; c++) {
        memset(P.data, 0, sizeof(float) * (size_t)n * pplane);
        for (int p0 = 0; p0 < pstride; p0 += LANES) {
            Lanes L;
            locate(&L, p0, count, T, tiles_w, 0);
            v8 d[36], t[36];
            const float *in = dv + (size_t)c * pstride + p0;
            for (int xi = 0; xi < 36; xi++) memcpy(&d[xi], in + xi * cstride, sizeof(v8));
            for (int k = 0; k < 6; k++) b6(d + k, 6, t + k, 6);
            for (int i = 0; i < 6; i++) b6(t + 6 * i, 1, d + 6 * i, 1);
            const float *df = (const float *)d;
            for (int l = 0; l < LANES; l++) {
                if (L.image[l] < 0) continue;
                float *win = P.data + (size_t)L.image[l] * pplane + (size_t)L.row[l] * P.wp + L.col[l];
                for (int r = 0; r < 6; r++)
                    for (int k = 0; k < 6; k++) win[(size_t)r * P.wp + k] += df[(r * 6 + k) * LANES + l];
            }
        }
        // The pixels inside the image; the padding's share is dropped.
        for (int i = 0; i < n; i++) {
            float *img = dx + ((size_t)i * C + c) * plane;
            const float *src = P.data + (size_t)i * pplane;
            if (rows < H || cols < W) memset(img, 0, sizeof(float) * plane);
            for (int y = 0; y < rows; y++) memcpy(img + (size_t)y * W, src + (size_t)(y + pad) * P.wp + pad, sizeof(float) * cols);
        }
    }
    free(P.data);
}

void tickets_wino_output(const float *m, int n, int K, int OH, int OW, int tiles_h, int tiles_w,
                         int pstride, const float *bias, float *y) {
    const int T = tiles_h * tiles_w, count = n * T;
    const size_t plane = (size_t)OH * OW, kstride = (size_t)K * pstride;
    for (int p0 = 0; p0 < pstride; p0 += LANES) {
        Lanes L;
        locate(&L, p0, count, T, tiles_w, 0);
        for (int k = 0; k < K; k++) {
            v8 d[36], t[24], o[16];
            const float *in = m + (size_t)k * pstride + p0;
            for (int xi = 0; xi < 36; xi++) memcpy(&d[xi], in + xi * kstride, sizeof(v8));
            for (int j = 0; j < 6; j++) at6(d + j, 6, t + j, 6);        // t (4×6) = Aᵀ m
            for (int i = 0; i < 4; i++) at6(t + 6 * i, 1, o + 4 * i, 1); // o (4×4) = t A
            const float b = bias ? bias[k] : 0.0f;
            const float *of = (const float *)o;
            for (int l = 0; l < LANES; l++) {
                if (L.image[l] < 0) continue;
                float *img = y + ((size_t)L.image[l] * K + k) * plane;
                int r0 = L.row[l], c0 = L.col[l];
                for (int r = 0; r < 4 && r0 + r < OH; r++)
                    for (int q = 0; q < 4 && c0 + q < OW; q++)
                        img[(size_t)(r0 + r) * OW + c0 + q] = of[(r * 4 + q) * LANES + l] + b;
            }
        }
    }
}

void tickets_wino_output_adjoint(const float *dy, int n, int K, int OH, int OW, int tiles_h, int tiles_w,
                                 int pstride, float *dm) {
    const int T = tiles_h * tiles_w, count = n * T;
    const size_t plane = (size_t)OH * OW, kstride = (size_t)K * pstride;
    Planes P = planes_make(n, tiles_h, tiles_w);   // 4·tiles + 2 ≥ OH: room for every tile
    for (int k = 0; k < K; k++) {
        for (int i = 0; i < n; i++) {
            const float *img = dy + ((size_t)i * K + k) * plane;
            float *dst = P.data + (size_t)i * P.hp * P.wp;
            for (int y = 0; y < OH; y++) memcpy(dst + (size_t)y * P.wp, img + (size_t)y * OW, sizeof(float) * OW);
        }
        for (int p0 = 0; p0 < pstride; p0 += LANES) {
            Lanes L;
            locate(&L, p0, count, T, tiles_w, 0);
            const float *ptr[LANES];
            lane_pointers(&L, &P, n, ptr);
            v8 g[16], t[24], d[36];
            gather(ptr, P.wp, 4, 4, g);
            for (int q = 0; q < 4; q++) a4(g + q, 4, t + q, 4);         // t (6×4) = A g
            for (int i = 0; i < 6; i++) a4(t + 4 * i, 1, d + 6 * i, 1);  // d (6×6) = t Aᵀ
            float *out = dm + (size_t)k * pstride + p0;
            for (int xi = 0; xi < 36; xi++) memcpy(out + xi * kstride, &d[xi], sizeof(v8));
        }
    }
    free(P.data);
}

// The 6×3 matrix G, and Gᵀ's use in the adjoint, in double for exact constants.
static const double Gm[6][3] = {
    {1.0 / 4, 0, 0}, {-1.0 / 6, -1.0 / 6, -1.0 / 6}, {-1.0 / 6, 1.0 / 6, -1.0 / 6},
    {1.0 / 24, 1.0 / 12, 1.0 / 6}, {1.0 / 24, -1.0 / 12, 1.0 / 6}, {0, 0, 1}};

void tickets_wino_weights(const float *w, int K, int C, float *u) {
    const size_t kc = (size_t)K * C;
    for (int k = 0; k < K; k++)
        for (int c = 0; c < C; c++) {
            const float *g = w + ((size_t)k * C + c) * 9;
            double t[6][3];
            for (int i = 0; i < 6; i++)
                for (int j = 0; j < 3; j++)
                    t[i][j] = Gm[i][0] * g[j] + Gm[i][1] * g[3 + j] + Gm[i][2] * g[6 + j];
            for (int i = 0; i < 6; i++)
                for (int j = 0; j < 6; j++)
                    u[(size_t)(i * 6 + j) * kc + (size_t)k * C + c] =
                        (float)(t[i][0] * Gm[j][0] + t[i][1] * Gm[j][1] + t[i][2] * Gm[j][2]);
        }
}

void tickets_wino_weights_adjoint(const float *du, int K, int C, float *dw) {
    const size_t kc = (size_t)K * C;
    for (int k = 0; k < K; k++)
        for (int c = 0; c < C; c++) {
            double t[3][6];   // Gᵀ du
            for (int a = 0; a < 3; a++)
                for (int j = 0; j < 6; j++) {
                    double s = 0;
                    for (int i = 0; i < 6; i++) s += Gm[i][a] * du[(size_t)(i * 6 + j) * kc + (size_t)k * C + c];
                    t[a][j] = s;
                }
            float *g = dw + ((size_t)k * C + c) * 9;
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++) {
                    double s = 0;
                    for (int j = 0; j < 6; j++) s += t[a][j] * Gm[j][b];
                    g[a * 3 + b] += (float)s;
                }
        }
}

void tickets_wino_exact_zeros(const float *x, int n, int C, int H, int W, int pad,
                              int K, int OH, int OW, const float *bias, float *y) {
    const size_t plane = (size_t)H * W, oplane = (size_t)OH * OW;
    // s[(r + 1)·(W + 1) + c + 1]: the nonzero inputs (over every channel) in rows < r+1,
    // columns < c+1, a summed-area table for the 3×3 windows.
    int *s = calloc((size_t)(H + 1) * (W + 1), sizeof(int));
    unsigned char *any = malloc(plane);
    for (int i = 0; i < n; i++) {
        memset(any, 0, plane);
        for (int c = 0; c < C; c++) {
            const float *p = x + ((size_t)i * C + c) * plane;
            for (size_t j = 0; j < plane; j++) any[j] |= p[j] != 0.0f;
        }
        for (int r = 0; r < H; r++)
            for (int c = 0; c < W; c++)
                s[(r + 1) * (W + 1) + c + 1] = any[(size_t)r * W + c] + s[r * (W + 1) + c + 1]
                                               + s[(r + 1) * (W + 1) + c] - s[r * (W + 1) + c];
        for (int oy = 0; oy < OH; oy++) {
            int r0 = oy - pad, r1 = oy - pad + 3;
            if (r0 < 0) r0 = 0;
            if (r1 > H) r1 = H;
            for (int ox = 0; ox < OW; ox++) {
                int c0 = ox - pad, c1 = ox - pad + 3;
                if (c0 < 0) c0 = 0;
                if (c1 > W) c1 = W;
                int count = (r1 > r0 && c1 > c0)
                    ? s[r1 * (W + 1) + c1] - s[r0 * (W + 1) + c1] - s[r1 * (W + 1) + c0] + s[r0 * (W + 1) + c0] : 0;
                if (count) continue;
                for (int k = 0; k < K; k++)
                    y[((size_t)i * K + k) * oplane + (size_t)oy * OW + ox] = bias ? bias[k] : 0.0f;
            }
        }
    }
    free(any);
    free(s);
}
