// OpenBLAS's CBLAS interface (Debian: libopenblas-dev; it ships no libcblas).
#include <cblas.h>
// OpenBLAS extensions used to pin the thread count.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
// The name of the kernels OpenBLAS chose for this CPU ("Haswell", "SkylakeX", ...).
char *openblas_get_corename(void);
