#pragma once
// The CPU's FP32 peak on one core, measured: a loop of independent fused multiply-adds
// on the widest vectors, as many chains as hide the FMA latency on two ports. What a
// dense epoch reaches is reported as a fraction of this (scripts/bench).

// Multiply-add operations of `iterations` rounds at `bits` = 512 or 256 (only call
// 512 on a CPU with AVX-512F); returns a value that depends on the arithmetic, so
// the loop is not optimised away.
float tickets_fma_loop(int bits, long iterations);
