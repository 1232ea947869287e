@preconcurrency import CBLAS
import Foundation

/// Which of OpenBLAS's kernels its products run on.
///
/// OpenBLAS picks its kernels when it is loaded, before main, from OPENBLAS_CORETYPE
/// or its own detection by CPU model, and Debian's 0.3.21 does not know the newer
/// models: it took its Haswell (AVX2) kernels on an AVX-512 AMD Zen 4, whose
/// environment also set OPENBLAS_CORETYPE=Haswell, and its Prescott (SSE3) kernels on
/// an AVX-512 Intel Xeon (issue 18). The engine's large products run on oneDNN, which
/// compiles for the CPU it finds (`GemmLibrary`); OpenBLAS keeps the smallest ones, and
/// all of them with TICKETS_GEMM=openblas. So the engine chooses OpenBLAS's kernels from
/// the CPU's own features (`CPUFeatures.openBLASCore`), TICKETS_BLAS_CORE:
///
/// - "auto" (the default): the widest set the CPU's features allow
///   (`CPUFeatures.openBLASCore`: SkylakeX for AVX-512, Haswell for AVX2 + FMA, ...),
///   when OpenBLAS took a narrower one; otherwise what OpenBLAS took;
/// - "asis": what OpenBLAS took (OPENBLAS_CORETYPE, or its detection);
/// - a core name ("Haswell", "SkylakeX", ...): that one, if the CPU can run it (a
///   wider one would die of an illegal instruction: the choice falls back to auto).
///
/// `tks` asks `relaunchCore()` first thing and, when it names a core, sets
/// OPENBLAS_CORETYPE and executes itself again, once.
public enum BLASCore {
    /// The kernels OpenBLAS runs on: "Haswell", "SkylakeX", "Zen", ...
    public static var name: String { String(cString: openblas_get_corename()) }

    /// Whether the products run on AVX-512 kernels (SkylakeX and its successors).
    public static var hasAVX512Kernels: Bool { CPUFeatures.vectorBits(ofOpenBLASCore: name) == 512 }

    /// The core to execute again with, or nil to run as this process is.
    public static func relaunchCore(environment: [String: String] = ProcessInfo.processInfo.environment,
                                    cpu: CPUFeatures = .current, current: String = name) -> String? {
        guard environment["TICKETS_BLAS_RELAUNCHED"] == nil else { return nil }   // once
        let choice = environment["TICKETS_BLAS_CORE"] ?? "auto"
        let cpuLevel = CPUFeatures.level(ofOpenBLASCore: cpu.openBLASCore) ?? 0
        func auto() -> String? {
            let currentLevel = CPUFeatures.level(ofOpenBLASCore: current) ?? -1
            return currentLevel < cpuLevel ? cpu.openBLASCore : nil
        }
        switch choice.lowercased() {
        case "asis", "":
            return nil
        case "auto":
            return auto()
        case current.lowercased():
            return nil
        default:
            // A core wider than the CPU, or one this code does not know, is not forced.
            guard let level = CPUFeatures.level(ofOpenBLASCore: choice), level <= cpuLevel else { return auto() }
            return choice
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
