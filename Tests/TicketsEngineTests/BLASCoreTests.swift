import CKernels
import Testing
@testable import TicketsEngine

/// The engine's choice of OpenBLAS kernels (BLASCore.swift): when tks executes itself
/// again, and with what.
struct BLASCoreTests {
    @Test func theChoiceFollowsTicketsBLASCore() {
        let current = BLASCore.name
        #expect(!current.isEmpty)
        #expect(BLASCore.relaunchCore(environment: ["TICKETS_BLAS_CORE": "asis"]) == nil)
        #expect(BLASCore.relaunchCore(environment: ["TICKETS_BLAS_CORE": current.uppercased()]) == nil)   // already on it
        let other = current == "Sandybridge" ? "Haswell" : "Sandybridge"
        #expect(BLASCore.relaunchCore(environment: ["TICKETS_BLAS_CORE": other]) == other)
        // Once only: a relaunched process runs as it is, whatever it asks for.
        #expect(BLASCore.relaunchCore(environment: ["TICKETS_BLAS_CORE": other, "TICKETS_BLAS_RELAUNCHED": "1"]) == nil)
        // auto: SkylakeX exactly when OpenBLAS took an AVX2 core on an AVX-512 CPU.
        let wide = BLASCore.avx2Cores.contains(current.lowercased()) && tickets_cpu_has_avx512() != 0
        #expect(BLASCore.relaunchCore(environment: [:]) == (wide ? "SkylakeX" : nil))
        #expect(BLASCore.relaunchCore(environment: ["TICKETS_BLAS_CORE": "auto"]) == (wide ? "SkylakeX" : nil))
    }
}
