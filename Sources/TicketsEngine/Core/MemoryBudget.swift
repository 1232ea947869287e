import Foundation

/// How much memory the engine lets one net or one training run ask for, checked before
/// it allocates: a request beyond it is a clear error rather than the process being
/// killed by the system (with a REPL session and its state). Half of the machine's
/// memory, or TICKETS_MEMORY_MB when set.
public enum MemoryBudget {
    public static let bytes: Int = {
        if let v = ProcessInfo.processInfo.environment["TICKETS_MEMORY_MB"], let mb = Int(v), mb > 0 { return mb << 20 }
        return Int(min(ProcessInfo.processInfo.physicalMemory / 2, UInt64(Int.max)))
    }()

    /// Throws when `bytes` exceeds the budget; `what` names the request.
    /// `file`: the request is a file's contents (an I/O error, as every error about a file is).
    public static func check(_ bytes: Int, for what: String, file: Bool = false) throws {
        guard bytes > MemoryBudget.bytes else { return }
        let message = "\(what) would need \(describe(bytes)) of memory; the budget is \(describe(MemoryBudget.bytes)) (half the machine's memory; TICKETS_MEMORY_MB sets it)"
        if file { throw EngineError.io(message) }
        throw EngineError(message)
    }

    /// "1.2 GiB", "300 MiB"
    public static func describe(_ bytes: Int) -> String {
        let gib = Double(bytes) / Double(1 << 30)
        return gib >= 1 ? String(format: "%.1f GiB", gib) : String(format: "%.0f MiB", Double(bytes) / Double(1 << 20))
    }

    /// Adds sizes without overflowing: Int.max when the sum would.
    public static func sum(_ a: Int, _ b: Int) -> Int {
        let (r, o) = max(a, 0).addingReportingOverflow(max(b, 0))
        return o ? Int.max : r
    }

    /// Multiplies counts without overflowing: Int.max when the product would.
    public static func product(_ xs: [Int]) -> Int {
        var p = 1
        for x in xs {
            let (r, o) = p.multipliedReportingOverflow(by: max(x, 0))
            if o { return Int.max }
            p = r
        }
        return p
    }
}
