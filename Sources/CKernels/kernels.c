#include "ckernels.h"
#include <math.h>

void tickets_adam(float *restrict w, float *restrict m1, float *restrict v, const float *restrict g,
                  const float *restrict mask, float s1, float inv2, float b1, float b2, float eps, float wd,
                  size_t lo, size_t hi) {
    if (mask) {
        for (size_t i = lo; i < hi; i++) {
            float gi = g[i] * mask[i] + wd * w[i];
            m1[i] = b1 * m1[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            w[i] = (w[i] - s1 * m1[i] / (sqrtf(v[i] * inv2) + eps)) * mask[i];
        }
    } else {
        for (size_t i = lo; i < hi; i++) {
            float gi = g[i] + wd * w[i];
            m1[i] = b1 * m1[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            w[i] -= s1 * m1[i] / (sqrtf(v[i] * inv2) + eps);
        }
    }
}

void tickets_adamw(float *restrict w, float *restrict m1, float *restrict v, const float *restrict g,
                   const float *restrict mask, float s1, float inv2, float b1, float b2, float eps, float decay,
                   size_t lo, size_t hi) {
    float keep = 1 - decay;
    if (mask) {
        for (size_t i = lo; i < hi; i++) {
            float gi = g[i] * mask[i];
            m1[i] = b1 * m1[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            w[i] = (w[i] * keep - s1 * m1[i] / (sqrtf(v[i] * inv2) + eps)) * mask[i];
        }
    } else {
        for (size_t i = lo; i < hi; i++) {
            float gi = g[i];
            m1[i] = b1 * m1[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            w[i] = w[i] * keep - s1 * m1[i] / (sqrtf(v[i] * inv2) + eps);
        }
    }
}

void tickets_bytes_to_floats(const unsigned char *bytes, float *out, size_t count, float scale) {
    for (size_t i = 0; i < count; i++) out[i] = (float)bytes[i] * scale;
}

void tickets_gather_bytes(const unsigned char *bytes, const int *rows, size_t n, size_t d,
                          float *out, float scale) {
    const size_t ahead = 4;
    for (size_t r = 0; r < n && r < ahead; r++)
        for (size_t o = 0; o < d; o += 64) __builtin_prefetch(bytes + (size_t)rows[r] * d + o);
    for (size_t r = 0; r < n; r++) {
        if (r + ahead < n) {
            const unsigned char *next = bytes + (size_t)rows[r + ahead] * d;
            for (size_t o = 0; o < d; o += 64) __builtin_prefetch(next + o);
        }
        const unsigned char *src = bytes + (size_t)rows[r] * d;
        float *dst = out + r * d;
        for (size_t i = 0; i < d; i++) dst[i] = (float)src[i] * scale;
    }
}
