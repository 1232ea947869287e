#include "ccpu.h"
#include <stddef.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

void tickets_cpuid(unsigned leaf, unsigned subleaf, unsigned regs[4]) {
    regs[0] = regs[1] = regs[2] = regs[3] = 0;
#if defined(__x86_64__)
    unsigned max = __get_cpuid_max(leaf & 0x80000000u, NULL);
    if (max == 0 || leaf > max) return;
    __cpuid_count(leaf, subleaf, regs[0], regs[1], regs[2], regs[3]);
#else
    (void)leaf; (void)subleaf;
#endif
}

unsigned long long tickets_xcr0(void) {
#if defined(__x86_64__)
    unsigned r[4];
    tickets_cpuid(1, 0, r);
    if (!(r[2] & (1u << 27))) return 0;   // OSXSAVE: XGETBV is usable
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
#else
    return 0;
#endif
}

const char *tickets_missing_build_features(unsigned leaf1_ecx, unsigned leaf7_ebx, unsigned long long xcr0) {
    int fma = (leaf1_ecx >> 12) & 1, avx = (leaf1_ecx >> 28) & 1, osxsave = (leaf1_ecx >> 27) & 1;
    int avx2 = (leaf7_ebx >> 5) & 1;
    int os_avx = osxsave && (xcr0 & 6) == 6;
    if (!avx2 && !fma) return "AVX2 and FMA";
    if (!avx2) return "AVX2";
    if (!fma) return "FMA";
    if (!avx || !os_avx) return "AVX state saved by the operating system";
    return NULL;
}

const char *tickets_cpu_missing_build_features(void) {
#if defined(__x86_64__)
    unsigned l1[4], l7[4];
    tickets_cpuid(1, 0, l1);
    tickets_cpuid(7, 0, l7);
    return tickets_missing_build_features(l1[2], l7[1], tickets_xcr0());
#else
    return "an x86-64 CPU";
#endif
}
