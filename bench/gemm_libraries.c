// The three matrix-product libraries at hand, side by side on this project's shapes,
// one thread each (the engine splits products between its own two threads):
// OpenBLAS (its kernels as it chose them, or OPENBLAS_CORETYPE), oneDNN's dnnl_sgemm
// (compiled at run time for this CPU) and libxsmm (made for small matrices; past its
// size limit it calls the BLAS it links). Prints GFLOP/s, the best of 5 rounds.
// Built and run by `scripts/bench gemm`.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <cblas.h>
#include <dnnl.h>
#include <libxsmm.h>

void openblas_set_num_threads(int);
char *openblas_get_corename(void);
void omp_set_num_threads(int);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

typedef struct { const char *name; int ta, tb, m, n, k; } Shape;

int main(void) {
    openblas_set_num_threads(1);
    omp_set_num_threads(1);
    libxsmm_init();
    // C (m×n) = op(A) (m×k) · op(B) (k×n), row-major, as Linear and im2col call them.
    const Shape shapes[] = {
        {"LeNet fc1 forward, half   60x150x784", 0, 1, 60, 150, 784},
        {"LeNet fc1 weight grad    300x784x60 ", 1, 0, 300, 784, 60},
        {"LeNet fc2 forward         60x100x300", 0, 1, 60, 100, 300},
        {"LeNet fc2 input grad      60x300x100", 0, 0, 60, 300, 100},
        {"LeNet fc2 weight grad    100x300x60 ", 1, 0, 100, 300, 60},
        {"LeNet fc3 weight grad     10x100x60 ", 1, 0, 10, 100, 60},
        {"evaluation fc1          1000x300x784", 0, 1, 1000, 300, 784},
        {"Conv-2 64->64 im2col   64x784x576   ", 0, 0, 64, 784, 576},
        {"Conv-2 fc1 forward     60x128x12544 ", 0, 1, 60, 128, 12544},
        {"tiny                       8x8x8    ", 0, 0, 8, 8, 8},
    };
    printf("OpenBLAS kernels: %s; GFLOP/s on one thread\n", openblas_get_corename());
    printf("%-40s %9s %9s %9s\n", "shape (m x n x k)", "OpenBLAS", "oneDNN", "libxsmm");
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        Shape q = shapes[i];
        int lda = q.ta ? q.m : q.k, ldb = q.tb ? q.k : q.n, ldc = q.n;
        size_t na = (size_t)q.m * q.k, nb = (size_t)q.k * q.n, nc = (size_t)q.m * q.n;
        float *a = malloc(na * 4), *b = malloc(nb * 4), *c = malloc(nc * 4);
        for (size_t j = 0; j < na; j++) a[j] = (float)(rand() % 100) / 100.f;
        for (size_t j = 0; j < nb; j++) b[j] = (float)(rand() % 100) / 100.f;
        double flop = 2.0 * q.m * q.n * q.k, best[3] = {1e9, 1e9, 1e9};
        int reps = (int)(1e9 / flop) + 1;
        // libxsmm is column-major: C^T = op(B)^T · op(A)^T.
        char xa = q.tb ? 'T' : 'N', xb = q.ta ? 'T' : 'N';
        libxsmm_blasint M = q.n, N = q.m, K = q.k, LDA = ldb, LDB = lda, LDC = ldc;
        float one = 1, zero = 0;
        for (int round = 0; round < 5; round++) {
            double t = now();
            for (int r = 0; r < reps; r++)
                cblas_sgemm(CblasRowMajor, q.ta ? CblasTrans : CblasNoTrans, q.tb ? CblasTrans : CblasNoTrans,
                            q.m, q.n, q.k, 1, a, lda, b, ldb, 0, c, ldc);
            t = (now() - t) / reps; if (t < best[0]) best[0] = t;
            t = now();
            for (int r = 0; r < reps; r++)
                dnnl_sgemm(q.ta ? 'T' : 'N', q.tb ? 'T' : 'N', q.m, q.n, q.k, 1, a, lda, b, ldb, 0, c, ldc);
            t = (now() - t) / reps; if (t < best[1]) best[1] = t;
            t = now();
            for (int r = 0; r < reps; r++) libxsmm_sgemm(&xa, &xb, &M, &N, &K, &one, b, &LDA, a, &LDB, &zero, c, &LDC);
            t = (now() - t) / reps; if (t < best[2]) best[2] = t;
        }
        printf("%-40s %9.1f %9.1f %9.1f\n", q.name, flop / best[0] * 1e-9, flop / best[1] * 1e-9, flop / best[2] * 1e-9);
        free(a); free(b); free(c);
    }
    return 0;
}
