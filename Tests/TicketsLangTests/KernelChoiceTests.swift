import Foundation
import Testing

/// The kernels `tks` runs on are the widest the CPU allows, whatever OpenBLAS guessed
/// (issue 18), and a CPU without the build's AVX2 gets a sentence, not SIGILL.
struct KernelChoiceTests {
    let cli = CommandLineTests()

    /// The vector width `tks --version` reports for the CPU, for oneDNN's products and
    /// for OpenBLAS's kernels.
    func widths(_ version: String) -> (cpu: Int, oneDNN: Int?, openBLAS: Int?) {
        func firstMatch(_ pattern: String) -> String? {
            guard let r = version.range(of: pattern, options: .regularExpression) else { return nil }
            return String(version[r])
        }
        let cpu = Int(firstMatch("[0-9]+(?=-bit vectors)") ?? "") ?? 0
        let isa = firstMatch("(?<=matrix products: oneDNN )[a-z0-9_]+")
        let core = firstMatch("(?<=OpenBLAS )[A-Za-z0-9]+")
        let oneDNN = isa.map { $0.hasPrefix("avx512") ? 512 : $0.hasPrefix("avx2") ? 256 : 128 }
        let openBLAS: Int? = core.map {
            switch $0.lowercased() {
            case "skylakex", "cooperlake", "sapphirerapids": return 512
            case "haswell", "zen": return 256
            default: return 128
            }
        }
        return (cpu, oneDNN, openBLAS)
    }

    /// Fails when the kernels in use are narrower than the CPU's vectors: on an AVX-512
    /// Xeon that OpenBLAS took for a Prescott, OpenBLAS's line said 128 against 512.
    @Test func theKernelsInUseAreAsWideAsTheCPU() throws {
        try #require(CommandLineTests.binary != nil, "build tks first (swift build)")
        let version = try cli.tks(["--version"]).1
        let w = widths(version)
        #expect(w.cpu >= 256, "\(version)")   // the build needs AVX2, so at least 256
        #expect(w.oneDNN.map { $0 >= w.cpu } == true, "\(version)")
        #expect(w.openBLAS.map { $0 >= w.cpu } == true, "\(version)")
    }

    /// A wrong guess forced through the environment (as OpenBLAS makes on CPUs it does
    /// not know) is replaced by the CPU's own choice; `asis` keeps it.
    @Test func aNarrowGuessIsReplaced() throws {
        try #require(CommandLineTests.binary != nil)
        let forced = try cli.tks(["--version"], environment: ["OPENBLAS_CORETYPE": "Prescott"]).1
        let w = widths(forced)
        #expect(w.openBLAS.map { $0 >= w.cpu } == true, "\(forced)")
        let asis = try cli.tks(["--version"], environment: ["OPENBLAS_CORETYPE": "Prescott", "TICKETS_BLAS_CORE": "asis",
                                                          "TICKETS_GEMM": "openblas"]).1
        #expect(asis.contains("matrix products: OpenBLAS Prescott"), "\(asis)")
        // A core wider than the CPU would die of an illegal instruction: it is not forced.
        if w.cpu < 512 {
            let (status, out, _) = try cli.tks(["-e", "print(1)"], environment: ["TICKETS_BLAS_CORE": "SkylakeX"])
            #expect(status == 0 && out == "1\n")
        }
    }

    /// Under an emulated CPU without AVX2 (qemu-user, installed by scripts/test), tks
    /// stops at once with one sentence and exit status 69 instead of SIGILL.
    static let qemu = ["/usr/bin/qemu-x86_64", "/usr/bin/qemu-x86_64-static"].first(where: FileManager.default.isExecutableFile)

    @Test(.enabled(if: qemu != nil, "qemu-user is not installed")) func aCPUWithoutAVX2GetsASentence() throws {
        try #require(CommandLineTests.binary != nil)
        let qemu = try #require(Self.qemu)
        for model in ["Nehalem", "SandyBridge"] {
            let (status, out, err) = try cli.tks(["-e", "print(1)"], launcher: [qemu, "-cpu", model])
            #expect(status == 69 && out.isEmpty, "\(model): \(status) \(err)")
            #expect(err.contains("tks: this CPU lacks AVX2 and FMA, which this build of Tickets needs"), "\(model): \(err)")
        }
    }
}
