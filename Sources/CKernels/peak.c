#include "peak.h"
#include <immintrin.h>

// 12 accumulators: FMA latency 4 cycles × 2 ports = 8 in flight at least, 12 to spare.
#define CHAINS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)

__attribute__((target("avx512f")))
static float loop512(long iterations) {
    __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
#define DECL(i) __m512 c##i = _mm512_set1_ps((float)i);
    CHAINS(DECL)
#undef DECL
    for (long it = 0; it < iterations; it++) {
#define STEP(i) c##i = _mm512_fmadd_ps(c##i, a, b);
        CHAINS(STEP)
#undef STEP
    }
    __m512 s = _mm512_setzero_ps();
#define SUM(i) s = _mm512_add_ps(s, c##i);
    CHAINS(SUM)
#undef SUM
    return _mm512_reduce_add_ps(s);
}

__attribute__((target("avx2,fma")))
static float loop256(long iterations) {
    __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
#define DECL(i) __m256 c##i = _mm256_set1_ps((float)i);
    CHAINS(DECL)
#undef DECL
    for (long it = 0; it < iterations; it++) {
#define STEP(i) c##i = _mm256_fmadd_ps(c##i, a, b);
        CHAINS(STEP)
#undef STEP
    }
    __m256 s = _mm256_setzero_ps();
#define SUM(i) s = _mm256_add_ps(s, c##i);
    CHAINS(SUM)
#undef SUM
    float out[8];
    _mm256_storeu_ps(out, s);
    return out[0] + out[1] + out[2] + out[3] + out[4] + out[5] + out[6] + out[7];
}

float tickets_fma_loop(int bits, long iterations) {
    return bits == 512 ? loop512(iterations) : loop256(iterations);
}
