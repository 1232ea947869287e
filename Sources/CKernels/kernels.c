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
