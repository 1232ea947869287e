import CCPU
import Testing
@testable import TicketsEngine

/// The engine's reading of cpuid (CPUFeatures.swift), the kernel sets it chooses from
/// it, and the start-up check, on the answers of CPUs this machine is not.
struct CPUFeaturesTests {
    /// cpuid answers: (leaf, subleaf) → [eax, ebx, ecx, edx], and XCR0.
    struct Answers {
        var leaves: [String: [UInt32]]
        var xcr0: UInt64
        var cpu: CPUFeatures {
            CPUFeatures(cpuid: { leaf, sub in leaves["\(leaf).\(sub)"] ?? [0, 0, 0, 0] }, xcr0: xcr0)
        }
        var missing: String? {
            tickets_missing_build_features(leaves["1.0"]![2], leaves["7.0"]?[1] ?? 0, xcr0).map { String(cString: $0) }
        }
    }

    /// Recorded on the development machine (lscpu: AMD EPYC, family 25 model 1, Zen 3):
    /// AVX2 and FMA, no AVX-512.
    static let amdEPYCZen3 = Answers(leaves: [
        "0.0": [0x0000_0010, 0x6874_7541, 0x444d_4163, 0x6974_6e65],
        "1.0": [0x00a0_0f11, 0x0002_0800, 0xfffa_3203, 0x178b_fbff],
        "7.0": [0x0000_0000, 0x219c_07ab, 0x0040_069c, 0x8800_0010],
        "7.1": [0, 0, 0, 0],
        "2147483648.0": [0x8000_0022, 0x6874_7541, 0x444d_4163, 0x6974_6e65],
        "2147483650.0": [0x2044_4d41, 0x4359_5045, 0, 0],
        "2147483651.0": [0, 0, 0, 0], "2147483652.0": [0, 0, 0, 0],
    ], xcr0: 0x207)

    /// Recorded under qemu-x86_64 -cpu Nehalem: SSE4.2, no AVX, no XSAVE.
    static let nehalem = Answers(leaves: [
        "0.0": [0x0000_000b, 0x756e_6547, 0x6c65_746e, 0x4965_6e69],
        "1.0": [0x0001_06a3, 0x0000_0800, 0x8098_2201, 0x078b_fbfd],
        "7.0": [0, 0, 0, 0],
        "2147483648.0": [0x8000_0008, 0x756e_6547, 0x6c65_746e, 0x4965_6e69],
        "2147483650.0": [0x6574_6e49, 0x6f43_206c, 0x6920_6572, 0x7839_2037],
        "2147483651.0": [0x4e28_2078, 0x6c61_6865, 0x4320_6d65, 0x7373_616c],
        "2147483652.0": [0x726f_4320, 0x3769_2065, 0x0000_0029, 0],
    ], xcr0: 0)

    /// Leaf 1's ECX of the AVX2 machine above: SSE3 to SSE4.2, FMA, OSXSAVE, AVX, F16C.
    static let modernLeaf1 = amdEPYCZen3.leaves["1.0"]!
    static func bits(_ positions: [Int]) -> UInt32 { positions.reduce(0) { $0 | (1 << UInt32($1)) } }

    /// The Intel Xeon of issue 18, written from the feature list lscpu printed there
    /// (AVX-512 F, BW, VL, DQ, CD, BF16, FP16, AMX): leaf 7 bits as Intel's SDM numbers
    /// them (EBX: AVX2 5, F 16, DQ 17, IFMA 21, CD 28, BW 30, VL 31; ECX: VBMI 1, VNNI 11;
    /// EDX: AMX-BF16 22, FP16 23, AMX-TILE 24; leaf 7.1 EAX: AVX-VNNI 4, BF16 5), and an
    /// OS that saves every state (XCR0 0x602e7).
    static let intelXeonAVX512 = Answers(leaves: [
        "0.0": [0x20, 0x756e_6547, 0x6c65_746e, 0x4965_6e69],
        "1.0": modernLeaf1,
        "7.0": [1, bits([5, 16, 17, 21, 28, 30, 31]), bits([1, 11]), bits([22, 23, 24])],
        "7.1": [bits([4, 5]), 0, 0, 0],
    ], xcr0: 0x602e7)

    /// An AMD Zen 4 (EPYC 9004): AVX-512 with BF16 and VNNI, no FP16 or AMX.
    static let amdZen4 = Answers(leaves: [
        "0.0": [0x10, 0x6874_7541, 0x444d_4163, 0x6974_6e65],
        "1.0": modernLeaf1,
        "7.0": [1, bits([5, 16, 17, 21, 28, 30, 31]), bits([1, 11]), 0],
        "7.1": [bits([5]), 0, 0, 0],
    ], xcr0: 0x2e7)

    @Test func theFeaturesAndTheKernelSetFollowCpuid() {
        let zen3 = Self.amdEPYCZen3.cpu
        #expect(zen3.vendor == "AuthenticAMD" && zen3.model == "AMD EPYC")
        #expect(zen3.vectorText == "sse3 ssse3 sse4_1 sse4_2 avx fma f16c avx2")
        #expect(zen3.vectorBits == 256 && !zen3.hasAVX512 && zen3.openBLASCore == "Haswell")

        let xeon = Self.intelXeonAVX512.cpu
        #expect(xeon.vendor == "GenuineIntel" && xeon.hasAVX512 && xeon.vectorBits == 512)
        #expect(xeon.has("avx512_bf16") && xeon.has("avx512_fp16") && xeon.has("amx_tile") && xeon.has("avx_vnni"))
        #expect(xeon.openBLASCore == "SkylakeX")

        let zen4 = Self.amdZen4.cpu
        #expect(zen4.hasAVX512 && zen4.has("avx512_bf16") && !zen4.has("avx512_fp16") && zen4.openBLASCore == "SkylakeX")

        let old = Self.nehalem.cpu
        #expect(old.vendor == "GenuineIntel" && old.model == "Intel Core i7 9xx (Nehalem Class Core i7)")
        #expect(old.vectorText == "sse3 ssse3 sse4_1 sse4_2" && old.vectorBits == 128 && old.openBLASCore == "Nehalem")
    }

    /// AVX-512 the OS does not save (XCR0 without the ZMM states) cannot be used.
    @Test func featuresTheOSDoesNotSaveAreAbsent() {
        var noZMM = Self.intelXeonAVX512
        noZMM.xcr0 = 0x7
        #expect(!noZMM.cpu.hasAVX512 && noZMM.cpu.vectorBits == 256 && noZMM.cpu.openBLASCore == "Haswell")
        var noAVX = Self.amdEPYCZen3
        noAVX.xcr0 = 0x3
        #expect(noAVX.cpu.vectorBits == 128 && noAVX.missing == "AVX state saved by the operating system")
    }

    @Test func theStartUpCheckNamesWhatIsMissing() {
        #expect(Self.amdEPYCZen3.missing == nil)
        #expect(Self.intelXeonAVX512.missing == nil)
        #expect(Self.nehalem.missing == "AVX2 and FMA")
        #expect(tickets_cpu_missing_build_features() == nil)   // this machine runs the tests
    }

    /// OpenBLAS's guess is replaced when narrower than the CPU allows: Prescott on the
    /// Xeon (what users got), Haswell on Zen 4; never by a core the CPU cannot run.
    @Test func theRelaunchChoosesFromTheCPU() {
        let xeon = Self.intelXeonAVX512.cpu, zen4 = Self.amdZen4.cpu, zen3 = Self.amdEPYCZen3.cpu
        #expect(BLASCore.relaunchCore(environment: [:], cpu: xeon, current: "Prescott") == "SkylakeX")
        #expect(BLASCore.relaunchCore(environment: [:], cpu: zen4, current: "Haswell") == "SkylakeX")
        #expect(BLASCore.relaunchCore(environment: [:], cpu: zen4, current: "SkylakeX") == nil)
        #expect(BLASCore.relaunchCore(environment: [:], cpu: xeon, current: "Cooperlake") == nil)
        #expect(BLASCore.relaunchCore(environment: [:], cpu: zen3, current: "Zen") == nil)
        #expect(BLASCore.relaunchCore(environment: [:], cpu: zen3, current: "Prescott") == "Haswell")
        #expect(BLASCore.relaunchCore(environment: [:], cpu: Self.nehalem.cpu, current: "Prescott") == "Nehalem")
        #expect(BLASCore.relaunchCore(environment: ["TICKETS_BLAS_CORE": "asis"], cpu: xeon, current: "Prescott") == nil)
        #expect(BLASCore.relaunchCore(environment: ["TICKETS_BLAS_CORE": "Haswell"], cpu: xeon, current: "Prescott") == "Haswell")
        // Forcing a core wider than the CPU (SIGILL) falls back to the CPU's own choice.
        #expect(BLASCore.relaunchCore(environment: ["TICKETS_BLAS_CORE": "SkylakeX"], cpu: zen3, current: "Zen") == nil)
        #expect(BLASCore.relaunchCore(environment: ["TICKETS_BLAS_CORE": "SkylakeX"], cpu: zen3, current: "Prescott") == "Haswell")
        #expect(BLASCore.relaunchCore(environment: ["TICKETS_BLAS_CORE": "NoSuchCore"], cpu: zen3, current: "Zen") == nil)
        // Once only.
        #expect(BLASCore.relaunchCore(environment: ["TICKETS_BLAS_RELAUNCHED": "1"], cpu: xeon, current: "Prescott") == nil)
    }

    /// The products run on oneDNN kernels as wide as this CPU's vectors.
    @Test func oneDNNUsesTheWholeVectorWidth() {
        #expect(GemmLibrary.oneDNNVectorBits >= CPUFeatures.current.vectorBits)
    }
}
