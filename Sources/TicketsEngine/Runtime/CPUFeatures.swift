import CCPU
import Foundation

/// The CPU as its own cpuid describes it: vendor, model name and vector features.
///
/// The engine chooses its kernels from this, never from what a library guessed: Debian's
/// OpenBLAS 0.3.21 does not know every CPU (an AVX-512 Intel Xeon it took for a
/// Prescott, SSE3) and a machine's environment may force a core (OPENBLAS_CORETYPE).
/// It is built from cpuid's answers through a function, so tests feed it the recorded
/// answers of CPUs this machine is not (Tests/TicketsEngineTests/CPUFeaturesTests.swift).
///
///     CPUFeatures.current.vectorText   // "sse4_2 avx avx2 fma"
///     CPUFeatures.current.openBLASCore // "Haswell"
public struct CPUFeatures: Sendable, Equatable {
    /// "GenuineIntel", "AuthenticAMD", ...
    public let vendor: String
    /// The brand string, as lscpu's "Model name" ("AMD EPYC", "Intel(R) Xeon(R) ...").
    public let model: String
    /// The features found, in lscpu's spelling.
    public let features: Set<String>

    /// The vector features that matter to the engine, in lscpu's spelling and order.
    public static let vectorFeatureOrder = [
        "sse3", "ssse3", "sse4_1", "sse4_2", "avx", "fma", "f16c", "avx2",
        "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl", "avx512ifma", "avx512vbmi",
        "avx512_vnni", "avx512_bf16", "avx512_fp16", "avx_vnni", "amx_tile", "amx_bf16",
    ]

    /// Reads the features from `cpuid(leaf, subleaf)` (eax, ebx, ecx, edx) and XCR0
    /// (which register state the OS saves: a feature the OS does not save is absent).
    public init(cpuid: (UInt32, UInt32) -> [UInt32], xcr0: UInt64) {
        func bit(_ r: UInt32, _ i: Int) -> Bool { (r >> UInt32(i)) & 1 == 1 }
        let leaf0 = cpuid(0, 0), maxLeaf = leaf0[0]
        vendor = CPUFeatures.text([leaf0[1], leaf0[3], leaf0[2]])
        let maxExtended = cpuid(0x8000_0000, 0)[0]
        model = maxExtended >= 0x8000_0004
            ? CPUFeatures.text((0x8000_0002...0x8000_0004).flatMap { cpuid(UInt32($0), 0) })
            : ""
        var f = Set<String>()
        let l1 = maxLeaf >= 1 ? cpuid(1, 0) : [0, 0, 0, 0]
        let l7 = maxLeaf >= 7 ? cpuid(7, 0) : [0, 0, 0, 0]
        let l71 = maxLeaf >= 7 && l7[0] >= 1 ? cpuid(7, 1) : [0, 0, 0, 0]
        let (c1, d1) = (l1[2], l1[3])
        for (name, i) in [("sse", 25), ("sse2", 26)] where bit(d1, i) { f.insert(name) }
        for (name, i) in [("sse3", 0), ("ssse3", 9), ("sse4_1", 19), ("sse4_2", 20)] where bit(c1, i) { f.insert(name) }
        // AVX registers count only when the OS saves them (OSXSAVE and XCR0's SSE, AVX bits).
        let osAVX = bit(c1, 27) && xcr0 & 0x6 == 0x6
        let osAVX512 = osAVX && xcr0 & 0xE0 == 0xE0
        let osAMX = osAVX && xcr0 & 0x6_0000 == 0x6_0000
        if osAVX {
            for (name, i) in [("avx", 28), ("fma", 12), ("f16c", 29)] where bit(c1, i) { f.insert(name) }
            if bit(l7[1], 5) { f.insert("avx2") }
            if bit(l71[0], 4) { f.insert("avx_vnni") }
        }
        if osAVX512 {
            for (name, i) in [("avx512f", 16), ("avx512dq", 17), ("avx512ifma", 21), ("avx512cd", 28),
                              ("avx512bw", 30), ("avx512vl", 31)] where bit(l7[1], i) { f.insert(name) }
            for (name, i) in [("avx512vbmi", 1), ("avx512_vnni", 11)] where bit(l7[2], i) { f.insert(name) }
            if bit(l7[3], 23) { f.insert("avx512_fp16") }
            if bit(l71[0], 5) { f.insert("avx512_bf16") }
        }
        if osAMX {
            for (name, i) in [("amx_bf16", 22), ("amx_tile", 24)] where bit(l7[3], i) { f.insert(name) }
        }
        features = f
    }

    /// This machine's CPU.
    public static let current = CPUFeatures(cpuid: { leaf, sub in
        var r: [UInt32] = [0, 0, 0, 0]
        r.withUnsafeMutableBufferPointer { tickets_cpuid(leaf, sub, $0.baseAddress) }
        return r
    }, xcr0: tickets_xcr0())

    public func has(_ feature: String) -> Bool { features.contains(feature) }

    /// AVX-512 as OpenBLAS's SkylakeX kernels and oneDNN's avx512_core need it: F, BW, VL, DQ.
    public var hasAVX512: Bool { ["avx512f", "avx512bw", "avx512vl", "avx512dq"].allSatisfy(has) }

    /// The widest vector registers the CPU and its OS let a program use: 512, 256 or 128.
    public var vectorBits: Int { hasAVX512 ? 512 : has("avx2") && has("fma") ? 256 : 128 }

    /// The vector features, in a fixed order ("sse3 ... avx2 fma avx512f ..."), for
    /// `tks --version` and the benchmark's records.
    public var vectorText: String {
        CPUFeatures.vectorFeatureOrder.filter(has).joined(separator: " ")
    }

    /// The widest set of OpenBLAS 0.3.21 kernels this CPU can run, by features alone
    /// (whatever the vendor or model). SkylakeX for AVX-512: Cooperlake and
    /// SapphireRapids are SkylakeX's single-precision kernels plus bfloat16 ones
    /// (OpenBLAS's kernel/x86_64/KERNEL.COOPERLAKE includes KERNEL.SKYLAKEX), and the
    /// Intel machine measured SkylakeX 0.45 s and Cooperlake 0.41–0.45 s a LeNet epoch
    /// in one run (docs/performance.md). Haswell's kernels for AVX2 with FMA (OpenBLAS's
    /// "Zen" is the same set); then Sandybridge (AVX), Nehalem (SSE4.2), Core2, Prescott.
    public var openBLASCore: String {
        if hasAVX512 { return "SkylakeX" }
        if has("avx2") && has("fma") { return "Haswell" }
        if has("avx") { return "Sandybridge" }
        if has("sse4_2") { return "Nehalem" }
        if has("ssse3") { return "Core2" }
        return "Prescott"
    }

    /// OpenBLAS's x86-64 kernel sets, narrowest first, with their vector width in bits:
    /// a set needs every feature of the ones before it.
    static let openBLASCores: [(names: Set<String>, bits: Int)] = [
        (["prescott", "katmai", "northwood", "banias", "opteron", "opteron_sse3", "barcelona", "bobcat", "nano", "atom"], 128),
        (["core2", "penryn", "dunnington"], 128),
        (["nehalem"], 128),
        (["sandybridge", "bulldozer", "piledriver"], 128),   // AVX without FMA: half Haswell's rate
        (["haswell", "zen", "excavator", "steamroller"], 256),
        (["skylakex", "cooperlake", "sapphirerapids"], 512),
    ]

    /// Where an OpenBLAS core name stands among `openBLASCores` (0 = narrowest), or nil.
    public static func level(ofOpenBLASCore name: String) -> Int? {
        openBLASCores.firstIndex { $0.names.contains(name.lowercased()) }
    }

    /// The vector width, in bits, of an OpenBLAS core name (nil when unknown).
    public static func vectorBits(ofOpenBLASCore name: String) -> Int? {
        level(ofOpenBLASCore: name).map { openBLASCores[$0].bits }
    }

    /// Text from cpuid's registers: four little-endian bytes each, up to the first 0.
    private static func text(_ registers: [UInt32]) -> String {
        var bytes: [UInt8] = []
        for r in registers { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: r >> UInt32(8 * i))) } }
        if let end = bytes.firstIndex(of: 0) { bytes.removeSubrange(end...) }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }
}
