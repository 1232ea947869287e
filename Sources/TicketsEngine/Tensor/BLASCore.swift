@preconcurrency import CBLAS
import CKernels
import Foundation

/// Which of OpenBLAS's kernels the matrix products run on.
///
/// OpenBLAS picks its kernels for the CPU when it is loaded, before main, from
/// OPENBLAS_CORETYPE or its own detection. Neither is right on the AMD Zen 4 and 5
/// machines this project runs on: Debian's OpenBLAS (0.3.21) does not know them and
/// takes its Haswell (AVX2) kernels, and this machine's environment sets
/// OPENBLAS_CORETYPE=Haswell for every program. On AVX-512 the SkylakeX kernels are
/// much faster (a LeNet-300-100 epoch: 0.34 s on Haswell's, 0.21 s on SkylakeX's,
/// side by side here; docs/performance.md). So the engine makes its own choice,
/// TICKETS_BLAS_CORE:
///
/// - "auto" (the default): SkylakeX when the CPU has AVX-512 (F, BW, VL, DQ) and
///   OpenBLAS took an AVX2 core; otherwise what OpenBLAS took;
/// - "asis": what OpenBLAS took (OPENBLAS_CORETYPE, or its detection);
/// - a core name ("Haswell", "SkylakeX", ...): that one.
///
/// `tks` asks `relaunchCore()` first thing and, when it names a core, sets
/// OPENBLAS_CORETYPE and executes itself again, once.
public enum BLASCore {
    /// The kernels OpenBLAS runs on: "Haswell", "SkylakeX", "Zen", ...
    public static var name: String { String(cString: openblas_get_corename()) }

    /// Whether the products run on AVX-512 kernels (SkylakeX and its successors).
    public static var hasAVX512Kernels: Bool { avx512Cores.contains(name.lowercased()) }

    static let avx512Cores: Set<String> = ["skylakex", "cooperlake", "sapphirerapids"]

    /// OpenBLAS's AVX2 cores, which leave AVX-512 unused.
    static let avx2Cores: Set<String> = ["haswell", "zen"]

    /// The core to execute again with, or nil to run as this process is.
    public static func relaunchCore(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard environment["TICKETS_BLAS_RELAUNCHED"] == nil else { return nil }   // once
        let choice = environment["TICKETS_BLAS_CORE"] ?? "auto"
        let current = name.lowercased()
        switch choice.lowercased() {
        case "asis", "":
            return nil
        case "auto":
            return avx2Cores.contains(current) && tickets_cpu_has_avx512() != 0 ? "SkylakeX" : nil
        default:
            return choice.lowercased() == current ? nil : choice
        }
    }

    /// Executes this program again, with the same arguments, on `core`'s kernels.
    /// Returns only when that fails (the process then runs as it is).
    public static func relaunch(with core: String) {
        // What the environment said before, for `restoreEnvironment` to put back.
        setenv("TICKETS_BLAS_FORMER_CORETYPE", getenv("OPENBLAS_CORETYPE").map { String(cString: $0) } ?? "", 1)
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv("TICKETS_BLAS_RELAUNCHED", "1", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }

    /// In the relaunched process, once OpenBLAS has loaded: the environment as it was
    /// before the relaunch, so the programs this one starts (sweep workers, and through
    /// sbatch's exported environment, Slurm tasks on other nodes, whose CPUs may lack
    /// AVX-512) choose their kernels for themselves.
    public static func restoreEnvironment() {
        for (name, value) in environmentToRestore(ProcessInfo.processInfo.environment) {
            if let value { setenv(name, value, 1) } else { unsetenv(name) }
        }
    }

    /// The variables `restoreEnvironment` sets (a value) or removes (nil).
    static func environmentToRestore(_ environment: [String: String]) -> [(String, String?)] {
        guard environment["TICKETS_BLAS_RELAUNCHED"] != nil else { return [] }
        var changes: [(String, String?)] = [("TICKETS_BLAS_RELAUNCHED", nil)]
        if let former = environment["TICKETS_BLAS_FORMER_CORETYPE"] {
            changes += [("OPENBLAS_CORETYPE", former.isEmpty ? nil : former), ("TICKETS_BLAS_FORMER_CORETYPE", nil)]
        }
        return changes
    }
}
