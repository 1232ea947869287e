#pragma once
// The 2×2, stride-2 max pooling of Pool2D.swift's fast path, branch-free so that clang
// vectorises it (random activations make the comparisons of a branchy loop
// unpredictable). Same comparisons in the same order as the Swift kernel: the first of
// equal values wins, a NaN wins over any number.
#include <stddef.h>
#include <stdint.h>

// For each of `planes` planes of x (h, w): y (oh, ow) and argmax (oh, ow), argmax the
// index within the plane (ih·w + iw). oh ≤ h/2, ow ≤ w/2.
void tickets_maxpool2x2(const float *x, float *y, int32_t *argmax,
                        size_t planes, size_t h, size_t w, size_t oh, size_t ow);
