#pragma once
// What the CPU can do, read with cpuid and xgetbv. This target is compiled for the
// baseline x86-64 (no -mavx2): its check runs first thing in tks, before any code
// built for AVX2, so a CPU without AVX2 gets a sentence instead of SIGILL.

// cpuid(leaf, subleaf) into regs = {eax, ebx, ecx, edx}; zeros off x86-64.
void tickets_cpuid(unsigned leaf, unsigned subleaf, unsigned regs[4]);

// XCR0: which register states the OS saves (bits 1-2 SSE/AVX, 5-7 AVX-512); 0 when
// the CPU has no XGETBV (OSXSAVE clear) or off x86-64.
unsigned long long tickets_xcr0(void);

// The features the engine's build needs (AVX2, FMA, and the OS saving AVX state),
// given the answers of cpuid leaf 1 (ecx), leaf 7 subleaf 0 (ebx) and XCR0: NULL
// when all are there, else a static string naming the missing ones ("AVX2 and FMA").
const char *tickets_missing_build_features(unsigned leaf1_ecx, unsigned leaf7_ebx, unsigned long long xcr0);

// The same for this CPU.
const char *tickets_cpu_missing_build_features(void);
