import Foundation
import TicketsEngine

/// The two things the fuzzers feed untrusted input to (scripts/fuzz; the targets are
/// Sources/FuzzLang and Sources/FuzzFiles). Tests replay every input a fuzzer ever
/// crashed on (Tests/fuzz/) through the same functions.
public enum Fuzzing {
    /// Runs a source in a fresh interpreter without the standard library (the stdlib
    /// reaches the fuzzer as code, through the seed corpus), with a time limit of
    /// `seconds`, writing no files. Every input must end in values or TicketsErrors.
    public static func runSource(_ source: String, seconds: Double = 0.2) {
        guard let interp = try? Interpreter(output: { _ in }, progressOutput: { _ in }, loadStdlib: false) else { return }
        interp.writesFiles = false
        interp.timeLimit = seconds
        try? interp.runContinuing(source, file: "<fuzz>", report: { _ in })
        interp.tearDown()
    }

    /// Hands the bytes to every file parser: IDX (raw and gzipped), CIFAR records,
    /// .npy, safetensors and .npz (and a checkpoint from what they decode), CSV and JSON
    /// tables. Any parser may reject the bytes; none may trap or read past them.
    public static func parseFiles(_ bytes: [UInt8]) {
        _ = try? IDX.parse(bytes, name: "f")
        if let inflated = try? gunzip(bytes, name: "f") { _ = try? IDX.parse(inflated, name: "f") }
        _ = try? CIFAR.parse(bytes, kind: .cifar10, name: "f")
        _ = try? CIFAR.parse(bytes, kind: .cifar100, name: "f")
        _ = try? NPY.decode(bytes, name: "f")
        for archive in [try? Safetensors.decode(bytes, name: "f"), try? NPZ.decode(bytes, name: "f")] {
            guard let archive else { continue }
            _ = try? Checkpoint.load(archive, name: "f")
        }
        _ = try? Table.fromCSV(bytes, name: "f")
        _ = try? Table.fromJSON(bytes, name: "f")
    }
}
