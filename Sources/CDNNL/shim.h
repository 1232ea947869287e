// oneDNN (Debian: libdnnl-dev), the library under PyTorch's CPU convolutions. Its
// Debian build runs on OpenMP (libgomp): Tickets runs each call on one OpenMP thread
// and splits the batch between its own two threads.
#include <dnnl.h>
void omp_set_num_threads(int num_threads);
