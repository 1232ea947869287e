#pragma once
// Small CPU controls the engine's runtime needs, which Swift cannot express.

// A spin-wait hint for the engine's two-thread hand-off (PAUSE on x86).
static inline void tickets_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

// Flush denormal floats to zero on this thread (MXCSR FTZ and DAZ). Optimizer state such
// as Adam's second moment decays into the denormal range, where x86 arithmetic is
// ~100× slower; deep-learning frameworks train with these flags set for that reason.
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
static inline void tickets_flush_denormals(void) { _mm_setcsr(_mm_getcsr() | 0x8040); }
#else
static inline void tickets_flush_denormals(void) {}
#endif
