import Foundation
@testable import TicketsEngine

/// Helpers shared by the file-format tests.
enum IOTest {
    /// A fresh empty folder under the system's temporary folder.
    static func tempDir(_ label: String = "io") -> String {
        let dir = NSTemporaryDirectory() + "tickets-\(label)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The message of the error `body` throws, or nil if it returns normally.
    static func failure<T>(_ body: () throws -> T) -> String? {
        do { _ = try body(); return nil } catch { return "\(error)" }
    }

    /// True if `body` throws an `EngineError` marked as an I/O error.
    static func throwsIO<T>(_ body: () throws -> T) -> Bool {
        do { _ = try body(); return false } catch let e as EngineError { return e.isIO } catch { return false }
    }

    /// Little-endian bytes of Float32 values.
    static func floatBytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * $0)) } }
    }

    /// A small archive with every kind of entry the writers store.
    static func sampleArchive() throws -> TensorArchive {
        var a = TensorArchive(metadata: ["format": "pt", "note": "tickets \"test\"\n"])
        try a.append("0.weight", Tensor(shape: [3, 4], data: (0..<12).map { Float($0 * 7 % 13 - 6) / 4 }))
        try a.append("0.bias", Tensor(shape: [3], data: [-1.5, .infinity, -0.0]))
        try a.append("0.weight_mask", Tensor(shape: [3, 4], data: (0..<12).map { $0 % 3 == 0 ? 0 : 1 }), as: .bool)
        try a.append("1.weight_mask", Tensor(shape: [2, 2], data: [0, 1, 255, 7]), as: .u8)
        try a.append("scalar", Tensor(shape: [], data: [2.5]))
        try a.append("empty", Tensor(shape: [0, 3], data: []))
        return a
    }

    /// True if two archives hold the same names, shapes, bit-identical values and types.
    static func same(_ a: TensorArchive, _ b: TensorArchive) -> Bool {
        guard a.names == b.names else { return false }
        for (x, y) in zip(a.entries, b.entries) {
            guard x.tensor.shape == y.tensor.shape, x.dtype == y.dtype,
                  x.tensor.data.map(\.bitPattern) == y.tensor.data.map(\.bitPattern) else { return false }
        }
        return true
    }
}
