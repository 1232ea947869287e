// OpenBLAS's CBLAS interface (Debian: libopenblas-dev; it ships no libcblas).
#include <cblas.h>
// OpenBLAS extensions used to pin the thread count.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);

// A spin-wait hint for the engine's two-thread hand-off (PAUSE on x86).
static inline void tickets_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}
