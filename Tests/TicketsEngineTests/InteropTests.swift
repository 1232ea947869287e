import Testing
import Foundation
@testable import TicketsEngine

/// The formats against the real NumPy, safetensors and (if installed) PyTorch, in
/// both directions, through Tests/interop/check_formats.py. Runs only when
/// TICKETS_PYTHON names a Python with numpy and safetensors:
///
///     TICKETS_PYTHON=~/.cache/tickets-venv/bin/python swift test --filter InteropTests
struct InteropTests {
    static let python: String? = ProcessInfo.processInfo.environment["TICKETS_PYTHON"].map {
        $0.hasPrefix("~/") ? NSHomeDirectory() + $0.dropFirst(1) : $0
    }

    /// Tests/interop/check_formats.py, found from this source file's place.
    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("interop/check_formats.py").path
    }

    static let numpyNames: [ElementType: String] = [
        .f64: "float64", .f32: "float32", .f16: "float16", .bf16: "bfloat16",
        .i64: "int64", .i32: "int32", .i16: "int16", .i8: "int8",
        .u64: "uint64", .u32: "uint32", .u16: "uint16", .u8: "uint8", .bool: "bool",
    ]

    /// Runs the script; returns its exit status and output.
    static func run(_ mode: String, _ dir: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python ?? "python3")
        process.arguments = [script, mode, dir]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    static func describe(_ archive: TensorArchive, kind: String, metadata: Bool) -> [String: Any] {
        var spec: [String: Any] = ["kind": kind, "arrays": archive.entries.map { e -> [String: Any] in
            ["name": e.name, "dtype": numpyNames[e.dtype] ?? "?", "shape": e.tensor.shape,
             "values": e.tensor.data.map { "\($0)" }]
        }]
        if metadata { spec["metadata"] = archive.metadata }
        return spec
    }

    @Test(.enabled(if: python != nil, "set TICKETS_PYTHON to a Python with numpy and safetensors to run it"))
    func pythonReadsWhatSwiftWrites() throws {
        let dir = IOTest.tempDir("interop")
        let archive = try IOTest.sampleArchive()
        try Safetensors.write(archive, to: dir + "/swift.safetensors")
        try NPZ.write(archive, to: dir + "/swift.npz")
        var expected: [String: Any] = [
            "swift.safetensors": Self.describe(archive, kind: "safetensors", metadata: true),
            "swift.npz": Self.describe(archive, kind: "npz", metadata: false),
        ]
        for entry in archive.entries {
            let file = "swift_\(entry.name).npy"
            try NPY.write(entry.tensor, as: entry.dtype, to: dir + "/" + file)
            let single = try TensorArchive(entries: [.init(name: "array", tensor: entry.tensor, dtype: entry.dtype)])
            expected[file] = Self.describe(single, kind: "npy", metadata: false)
        }
        let json = try JSONSerialization.data(withJSONObject: expected, options: [.prettyPrinted, .sortedKeys])
        try writeAtomically([UInt8](json), to: dir + "/swift_expected.json")

        let (status, output) = try Self.run("check", dir)
        #expect(status == 0, "\(output)")
    }

    @Test(.enabled(if: python != nil, "set TICKETS_PYTHON to a Python with numpy and safetensors to run it"))
    func swiftReadsWhatPythonWrites() throws {
        let dir = IOTest.tempDir("interop")
        let (status, output) = try Self.run("write", dir)
        try #require(status == 0, "\(output)")

        let json = try JSONSerialization.jsonObject(with: Data(try readFileBytes(dir + "/python_expected.json")))
        let files = try #require(json as? [String: [String: Any]])
        #expect(files.count >= 17)
        for (file, spec) in files.sorted(by: { $0.key < $1.key }) {
            let path = dir + "/" + file
            let kind = spec["kind"] as? String
            let archive: TensorArchive
            switch kind {
            case "npy":
                let (tensor, dtype) = try NPY.read(path: path)
                archive = try TensorArchive(entries: [.init(name: "array", tensor: tensor, dtype: dtype)])
            case "npz": archive = try NPZ.read(path: path)
            default: archive = try Safetensors.read(path: path)
            }
            let arrays = try #require(spec["arrays"] as? [[String: Any]])
            let names = arrays.compactMap { $0["name"] as? String }
            // np.savez keeps the order given; safetensors sorts, so compare it as a set.
            #expect(kind == "npz" ? archive.names == names : Set(archive.names) == Set(names), "\(file)")
            if let metadata = spec["metadata"] as? [String: String] {
                #expect(archive.metadata == metadata, "\(file)")
            }
            for a in arrays {
                let name = a["name"] as? String ?? "?"
                guard let entry = archive.entry(name) else { Issue.record("\(file): no '\(name)'"); continue }
                #expect(Self.numpyNames[entry.dtype] == a["dtype"] as? String, "\(file)[\(name)]: \(entry.dtype)")
                #expect(entry.tensor.shape == a["shape"] as? [Int], "\(file)[\(name)]")
                // Python's float text → Double → Float: the rounding the reader does.
                let want = (a["values"] as? [String] ?? []).map { Float(Double($0) ?? .nan) }
                let same = want.count == entry.tensor.count && zip(want, entry.tensor.data).allSatisfy {
                    $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN)
                }
                #expect(same, "\(file)[\(name)]: \(entry.tensor.data.prefix(6)) vs \(want.prefix(6))")
            }
        }
    }
}
