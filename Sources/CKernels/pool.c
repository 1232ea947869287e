#include "pool.h"

void tickets_maxpool2x2(const float *restrict x, float *restrict y, int32_t *restrict argmax,
                        size_t planes, size_t h, size_t w, size_t oh, size_t ow) {
    for (size_t p = 0; p < planes; p++) {
        const float *xp = x + p * h * w;
        float *yp = y + p * oh * ow;
        int32_t *ap = argmax + p * oh * ow;
        for (size_t r = 0; r < oh; r++) {
            const float *top = xp + 2 * r * w, *bottom = top + w;
            float *yr = yp + r * ow;
            int32_t *ar = ap + r * ow;
            int32_t row0 = (int32_t)(2 * r * w), row1 = row0 + (int32_t)w;
            for (size_t j = 0; j < ow; j++) {
                float v0 = top[2 * j], v1 = top[2 * j + 1], v2 = bottom[2 * j], v3 = bottom[2 * j + 1];
                int32_t c = (int32_t)(2 * j);
                float best = v0;
                int32_t at = row0 + c;
                int t1 = (v1 > best) | (v1 != v1);
                best = t1 ? v1 : best; at = t1 ? row0 + c + 1 : at;
                int t2 = (v2 > best) | (v2 != v2);
                best = t2 ? v2 : best; at = t2 ? row1 + c : at;
                int t3 = (v3 > best) | (v3 != v3);
                best = t3 ? v3 : best; at = t3 ? row1 + c + 1 : at;
                yr[j] = best;
                ar[j] = at;
            }
        }
    }
}
