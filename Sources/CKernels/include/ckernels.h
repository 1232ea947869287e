#pragma once
// Elementwise kernels that Swift cannot vectorise on Linux: Float.squareRoot()
// lowers to a call of libm's sqrtf (for errno), which blocks vectorisation. Here clang
// compiles the loop with -fno-math-errno and AVX2 into vsqrtps.
#include <stddef.h>
#include "cpu.h"
#include "peak.h"
#include "winograd.h"

// Adam on indices [lo, hi): gi = g⊙m + wd·w; m1 ← b1·m1 + (1−b1)·gi;
// v ← b2·v + (1−b2)·gi²; w ← (w − s1·m1 / (sqrt(v·inv2) + eps)) ⊙ m.
// mask may be NULL (all ones). s1 = lr/(1−b1^t), inv2 = 1/(1−b2^t).
void tickets_adam(float *w, float *m1, float *v, const float *g, const float *mask,
                  float s1, float inv2, float b1, float b2, float eps, float wd,
                  size_t lo, size_t hi);

// AdamW (Loshchilov & Hutter), decoupled weight decay as torch.optim.AdamW:
// gi = g⊙m; moments as Adam; w ← (w·(1 − decay) − s1·m1 / (sqrt(v·inv2) + eps)) ⊙ m,
// decay = lr·weight_decay.
void tickets_adamw(float *w, float *m1, float *v, const float *g, const float *mask,
                   float s1, float inv2, float b1, float b2, float eps, float decay,
                   size_t lo, size_t hi);

// Pixels to Floats as a batch is gathered: out[i] = bytes[i] · scale. (Swift's loop
// converts one byte at a time; clang widens 32 bytes per step with AVX2.)
void tickets_bytes_to_floats(const unsigned char *bytes, float *out, size_t count, float scale);

// A batch gathered from pixel bytes: out row r = bytes row rows[r] · scale, each row d
// long. The rows are random, so the next ones are prefetched while one converts.
void tickets_gather_bytes(const unsigned char *bytes, const int *rows, size_t n, size_t d,
                          float *out, float scale);
