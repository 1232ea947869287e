import Testing
import Foundation
@testable import TicketsEngine

struct NPYTests {
    /// An .npy file from its parts, built without the encoder: `version` 1, 2 or 3,
    /// the dict text, padded with spaces and '\n' to a multiple of 64 bytes.
    static func file(_ dict: String, _ data: [UInt8], version: UInt8 = 1) -> [UInt8] {
        let preamble = version == 1 ? 10 : 12
        var header = Array(dict.utf8)
        while (preamble + header.count + 1) % 64 != 0 { header.append(0x20) }
        header.append(0x0A)
        var out: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0]
        if version == 1 { out.appendLittle(UInt16(header.count)) } else { out.appendLittle(UInt32(header.count)) }
        return out + header + data
    }

    static func dict(_ descr: String, _ shape: String, fortran: Bool = false) -> String {
        "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
    }

    /// The bytes np.save writes for np.array([1.5, -10], dtype='<f4') (NumPy 2.4),
    /// typed out: magic, version 1.0, header length 118, the dict, 60 spaces, '\n', data.
    @Test func encoderWritesWhatNumPyWrites() throws {
        let text = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"
        #expect(text.utf8.count == 57)
        let expected: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, 118, 0] + Array(text.utf8)
            + [UInt8](repeating: 0x20, count: 60) + [0x0A] + [0, 0, 0xC0, 0x3F, 0, 0, 0x20, 0xC1]
        #expect(expected.count == 128 + 8)
        #expect(try NPY.encode(Tensor(shape: [2], data: [1.5, -10])) == expected)
        let (t, dtype) = try NPY.decode(expected, name: "hand.npy")
        #expect(t.shape == [2] && t.data == [1.5, -10] && dtype == .f32)
    }

    @Test(arguments: [[], [0], [5], [2, 3], [2, 0, 4], [1, 2, 3, 4]] as [[Int]])
    func roundTrips(shape: [Int]) throws {
        let n = shape.reduce(1, *)
        let t = Tensor(shape: shape, data: (0..<n).map { Float($0) - 2.25 })
        let bytes = try NPY.encode(t)
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0 && bytes[10 + headerLength - 1] == 0x0A)
        let (back, dtype) = try NPY.decode(bytes, name: "t.npy")
        #expect(back.shape == shape && back.data == t.data && dtype == .f32)

        let mask = Tensor(shape: shape, data: (0..<n).map { Float($0 % 2) })
        for type in [ElementType.bool, .u8] {
            let (m, mt) = try NPY.decode(try NPY.encode(mask, as: type), name: "m.npy")
            #expect(m.data == mask.data && mt == type)
        }
    }

    @Test func writesAndReadsFiles() throws {
        let path = IOTest.tempDir("npy") + "/w.npy"
        try NPY.write(Tensor(shape: [2, 2], data: [1, 2, 3, 4]), to: path)
        #expect(try NPY.read(path: path).tensor.data == [1, 2, 3, 4])
        #expect(IOTest.failure { try NPY.read(path: path + ".missing") }?.hasSuffix("w.npy.missing: no such file") == true)
    }

    @Test func readsEveryType() throws {
        let cases: [(String, [UInt8], [Float])] = [
            ("<f2", [0x00, 0x3C, 0xFF, 0x7B], [1, 65504]),
            (">f2", [0x3C, 0x00], [1]),
            ("<f4", [0, 0, 0xC0, 0x3F], [1.5]),
            (">f4", [0x3F, 0xC0, 0, 0], [1.5]),
            ("=f4", [0, 0, 0xC0, 0x3F], [1.5]),
            ("<f8", [0, 0, 0, 0, 0, 0, 0xF8, 0xBF], [-1.5]),
            (">f8", [0xBF, 0xF8, 0, 0, 0, 0, 0, 0], [-1.5]),
            ("|u1", [0, 255], [0, 255]),
            ("|i1", [0xFF], [-1]),
            ("|b1", [1, 0], [1, 0]),
            ("<i2", [0xFE, 0xFF], [-2]),
            (">i2", [0xFF, 0xFE], [-2]),
            ("<i4", [0x00, 0x00, 0x01, 0x00], [65536]),
            (">i4", [0x00, 0x01, 0x00, 0x00], [65536]),
            ("<i8", [0xFB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], [-5]),
            (">i8", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFB], [-5]),
            ("<u2", [0x34, 0x12], [0x1234]),
            (">u2", [0x12, 0x34], [0x1234]),
            ("<u4", [0xFF, 0xFF, 0xFF, 0x00], [16_777_215]),
            ("<u8", [7, 0, 0, 0, 0, 0, 0, 0], [7]),
            (">u8", [0, 0, 0, 0, 0, 0, 0, 7], [7]),
        ]
        for (descr, data, values) in cases {
            for version in [UInt8(1), 2, 3] {
                let bytes = Self.file(Self.dict(descr, "(\(values.count),)"), data, version: version)
                let (t, _) = try NPY.decode(bytes, name: descr)
                #expect(t.data == values, "\(descr) v\(version)")
            }
        }
        // A scalar, shape (), and an old Python 2 header with 3L.
        #expect(try NPY.decode(Self.file(Self.dict("<f4", "()"), [0, 0, 0x20, 0x40]), name: "s").tensor.shape == [])
        #expect(try NPY.decode(Self.file(Self.dict("|u1", "(3L,)"), [1, 2, 3]), name: "l").tensor.data == [1, 2, 3])
        // Double quotes and no trailing comma are Python too.
        let plain = #"{"descr": "|u1", "fortran_order": False, "shape": (1, 2)}"#
        #expect(try NPY.decode(Self.file(plain, [4, 5]), name: "q").tensor.shape == [1, 2])
    }

    @Test func fortranOrderIsTransposed() throws {
        // A (2, 3) array stored column by column: a[i][j] = data[i + 2j].
        let bytes = Self.file(Self.dict("|u1", "(2, 3)", fortran: true), [0, 1, 2, 3, 4, 5])
        #expect(try NPY.decode(bytes, name: "f").tensor.data == [0, 2, 4, 1, 3, 5])

        // (2, 3, 4) against the index formula: element (i, j, k) is stored at i + 2j + 6k.
        let shape = [2, 3, 4]
        let column = (0..<24).map(Float.init)
        let row = NPY.columnToRowMajor(column, shape: shape)
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 {
            #expect(row[(i * 3 + j) * 4 + k] == Float(i + 2 * j + 6 * k))
        } } }
        // A 1-D Fortran array is the same as C order.
        #expect(try NPY.decode(Self.file(Self.dict("|u1", "(3,)", fortran: true), [7, 8, 9]), name: "f").tensor.data == [7, 8, 9])
    }

    @Test func everyTruncationIsAnError() throws {
        let bytes = try NPY.encode(Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6]))
        for length in 0..<bytes.count {
            #expect(IOTest.throwsIO { try NPY.decode(Array(bytes[0..<length]), name: "cut") }, "length \(length)")
        }
    }

    @Test func alteredHeadersNeverCrash() throws {
        let bytes = try NPY.encode(Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6]))
        let values: [UInt8] = [0x00, 0x01, 0x02, 0x03, 0x20, 0x27, 0x28, 0x29, 0x2C, 0x2D, 0x30, 0x39, 0x3A, 0x4C, 0x7B, 0x7D, 0x80, 0xFF]
        for position in 0..<(bytes.count - 24) {
            for v in values where bytes[position] != v {
                var altered = bytes
                altered[position] = v
                do { _ = try NPY.decode(altered, name: "x") } catch let e as EngineError { #expect(e.isIO, "\(e)") }
            }
        }
    }

    @Test(arguments: [
        (NPYTests.dict("<f4", "(2,)"), 4, "truncated: shape [2] of '<f4' needs 8 bytes"),
        (NPYTests.dict("<f4", "(1,)"), 8, "4 unexpected bytes after the data, at byte offset 132"),
        (NPYTests.dict("<U5", "(1,)"), 20, "unsupported array type '<U5'"),
        (NPYTests.dict("|O", "(1,)"), 8, "unsupported array type '|O'"),
        (NPYTests.dict("|f4", "(1,)"), 4, "unsupported array type '|f4'"),
        (NPYTests.dict("|b1", "(1,)"), 1, "not a boolean"),
        (NPYTests.dict("<f4", "(-1,)"), 0, "whole numbers"),
        (NPYTests.dict("<f4", "(4611686018427387904, 4)"), 0, "impossibly large"),
        ("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", 4, "structured arrays"),
        ("{'descr': '<f4', 'shape': (1,), }", 4, "must give 'descr', 'fortran_order' and 'shape'"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': True}", 4, "unexpected key 'x'"),
        ("{'descr': '<f4', 'fortran_order': 'no', 'shape': (1,)}", 4, "'fortran_order' has the wrong kind of value"),
        ("{'descr': '<f4', 'descr': '<f4'}", 4, "appears twice"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} extra", 4, "unexpected text after the dict"),
        ("{'descr': '<f4", 4, "a string is not closed"),
    ] as [(String, Int, String)])
    func badFilesAreNamed(dict: String, dataBytes: Int, expected: String) throws {
        let bytes = Self.file(dict, [UInt8](repeating: 2, count: dataBytes))
        let message = IOTest.failure { try NPY.decode(bytes, name: "bad.npy") }
        #expect(message?.hasPrefix("bad.npy: ") == true && message?.contains(expected) == true, "\(message ?? "no error")")
    }

    @Test func badPreamblesAreNamed() throws {
        var bytes = try NPY.encode(Tensor(shape: [1], data: [1]))
        #expect(IOTest.failure { try NPY.decode(Array("PK\u{3}\u{4}".utf8), name: "f") }?.contains("not an .npy file") == true)
        bytes[6] = 4
        #expect(IOTest.failure { try NPY.decode(bytes, name: "f") }?.contains("unsupported .npy format version 4.0") == true)
        bytes[6] = 1
        bytes[8] = 0xFF; bytes[9] = 0xFF
        #expect(IOTest.failure { try NPY.decode(bytes, name: "f") }?.contains("the .npy header at byte offset 10 needs 65535 bytes") == true)
    }
}
