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
        #expect(BLASCore.relaunchCore(environment: ["TICKETS_BLAS_CORE": "Prescott"]) == (current == "Prescott" ? nil : "Prescott"))
        // Once only: a relaunched process runs as it is, whatever it asks for.
        #expect(BLASCore.relaunchCore(environment: ["TICKETS_BLAS_CORE": "Prescott", "TICKETS_BLAS_RELAUNCHED": "1"]) == nil)
        // auto: the CPU's own choice exactly when OpenBLAS took a narrower set.
        let narrower = (CPUFeatures.level(ofOpenBLASCore: current) ?? -1) < CPUFeatures.level(ofOpenBLASCore: CPUFeatures.current.openBLASCore)!
        #expect(BLASCore.relaunchCore(environment: [:]) == (narrower ? CPUFeatures.current.openBLASCore : nil))
    }

    /// After the relaunch the environment is put back as it was, so child processes
    /// (sweep workers, Slurm tasks on other nodes) choose their own kernels.
    @Test func theRelaunchedProcessPutsTheEnvironmentBack() {
        func changes(_ env: [String: String]) -> [String] {
            BLASCore.environmentToRestore(env).map { "\($0.0)=\($0.1 ?? "<unset>")" }
        }
        #expect(changes(["OPENBLAS_CORETYPE": "Haswell"]).isEmpty)   // not relaunched: nothing to do
        #expect(changes(["TICKETS_BLAS_RELAUNCHED": "1", "OPENBLAS_CORETYPE": "SkylakeX", "TICKETS_BLAS_FORMER_CORETYPE": "Haswell"])
                == ["TICKETS_BLAS_RELAUNCHED=<unset>", "OPENBLAS_CORETYPE=Haswell", "TICKETS_BLAS_FORMER_CORETYPE=<unset>"])
        #expect(changes(["TICKETS_BLAS_RELAUNCHED": "1", "OPENBLAS_CORETYPE": "SkylakeX", "TICKETS_BLAS_FORMER_CORETYPE": ""])
                == ["TICKETS_BLAS_RELAUNCHED=<unset>", "OPENBLAS_CORETYPE=<unset>", "TICKETS_BLAS_FORMER_CORETYPE=<unset>"])
    }
}
