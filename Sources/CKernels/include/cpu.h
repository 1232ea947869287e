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
// tickets_fp_mode saves the mode so that it can be restored: the calling thread is also
// the interpreter's, whose arithmetic must keep IEEE denormals.
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
static inline void tickets_flush_denormals(void) { _mm_setcsr(_mm_getcsr() | 0x8040); }
static inline unsigned int tickets_fp_mode(void) { return _mm_getcsr(); }
static inline void tickets_set_fp_mode(unsigned int mode) { _mm_setcsr(mode); }
#else
static inline void tickets_flush_denormals(void) {}
static inline unsigned int tickets_fp_mode(void) { return 0; }
static inline void tickets_set_fp_mode(unsigned int mode) { (void)mode; }
#endif
