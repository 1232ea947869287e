import Testing
import Foundation
@testable import TicketsEngine

struct SafetensorsTests {
    /// A safetensors file from a header text and data bytes (no padding added).
    static func file(_ header: String, _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.appendLittle(UInt64(header.utf8.count))
        return out + Array(header.utf8) + data
    }

    @Test func roundTripKeepsOrderTypesValuesAndMetadata() throws {
        let archive = try IOTest.sampleArchive()
        let bytes = try Safetensors.encode(archive)
        // The header is padded with spaces so the data starts at a multiple of 8.
        let n = Int(bytes[0]) | Int(bytes[1]) << 8
        #expect((8 + n) % 8 == 0 && bytes[8 + n - 1] != 0)
        let back = try Safetensors.decode(bytes, name: "t.safetensors")
        #expect(IOTest.same(archive, back))
        #expect(back.metadata == archive.metadata)
        #expect(back.entry("0.weight_mask")?.dtype == .bool && back.entry("1.weight_mask")?.dtype == .u8)

        let dir = IOTest.tempDir("st")
        let path = dir + "/ticket.safetensors"
        try Safetensors.write(archive, to: path)
        #expect(IOTest.same(try Safetensors.read(path: path), archive))
    }

    /// The bytes the Rust reference implementation's own test expects for one F32
    /// tensor "attn.0" of shape [1, 2, 3] holding 0...5 (a 64-byte header, no padding).
    @Test func encoderMatchesTheReferenceBytes() throws {
        let header = #"{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}"#
        #expect(header.utf8.count == 64)
        let expected: [UInt8] = [64, 0, 0, 0, 0, 0, 0, 0] + Array(header.utf8)
            + [0, 0, 0, 0, 0, 0, 0x80, 0x3F, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40, 0, 0, 0x80, 0x40, 0, 0, 0xA0, 0x40]
        let archive = try TensorArchive(entries: [.init(name: "attn.0", tensor: Tensor(shape: [1, 2, 3], data: [0, 1, 2, 3, 4, 5]))])
        #expect(try Safetensors.encode(archive) == expected)
        let back = try Safetensors.decode(expected, name: "ref")
        #expect(back["attn.0"]?.data == [0, 1, 2, 3, 4, 5] && back["attn.0"]?.shape == [1, 2, 3])
    }

    /// A file written byte by byte: tensors listed out of data order, metadata last.
    @Test func readsAHandMadeFile() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"m":{"dtype":"BOOL","shape":[3],"data_offsets":[8,11]},"__metadata__":{"k":"v"}}"#
        #expect(header.utf8.count == 134)
        let bytes: [UInt8] = [134, 0, 0, 0, 0, 0, 0, 0] + Array(header.utf8)
            + [0x00, 0x00, 0xC0, 0x3F,   0x00, 0x00, 0x20, 0xC1]   // 1.5, −10
            + [1, 0, 1]
        let archive = try Safetensors.decode(bytes, name: "hand")
        #expect(archive.names == ["a", "m"])
        #expect(archive["a"]?.data == [1.5, -10] && archive["m"]?.data == [1, 0, 1])
        #expect(archive.entry("m")?.dtype == .bool && archive.metadata == ["k": "v"])
    }

    @Test func readsEveryDtype() throws {
        let cases: [(String, [UInt8], [Float])] = [
            ("F64", [0, 0, 0, 0, 0, 0, 0xF8, 0x3F], [1.5]),
            ("F16", [0x00, 0x3C, 0x00, 0xC0, 0x01, 0x00, 0x00, 0x7C], [1, -2, 0x1p-24, .infinity]),
            ("BF16", [0x80, 0x3F, 0x20, 0xC1], [1, -10]),
            ("I64", [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], [-2]),
            ("I32", [0x00, 0x01, 0x00, 0x00], [256]),
            ("I16", [0xFF, 0x7F, 0x00, 0x80], [32767, -32768]),
            ("I8", [0x80, 0x7F], [-128, 127]),
            ("U8", [0, 200], [0, 200]),
            ("U16", [0xFF, 0xFF], [65535]),
            ("U32", [0x01, 0x00, 0x01, 0x00], [65537]),
            ("U64", [5, 0, 0, 0, 0, 0, 0, 0], [5]),
            ("BOOL", [0, 1], [0, 1]),
        ]
        for (dtype, data, values) in cases {
            let header = #"{"x":{"dtype":"\#(dtype)","shape":[\#(values.count)],"data_offsets":[0,\#(data.count)]}}"#
            let archive = try Safetensors.decode(Self.file(header, data), name: dtype)
            #expect(archive["x"]?.data == values, "\(dtype)")
            #expect(archive.entry("x")?.dtype.rawValue == dtype.lowercased(), "\(dtype)")
        }
    }

    @Test func everyTruncationIsAnError() throws {
        let bytes = try Safetensors.encode(try IOTest.sampleArchive())
        for length in 0..<bytes.count {
            #expect(IOTest.throwsIO { try Safetensors.decode(Array(bytes[0..<length]), name: "cut") }, "length \(length)")
        }
    }

    /// Changing any header byte to any of several telling values gives a file that
    /// still reads or an I/O error, never a crash.
    @Test func alteredHeadersNeverCrash() throws {
        let bytes = try Safetensors.encode(try IOTest.sampleArchive())
        let n = Int(bytes[0]) | Int(bytes[1]) << 8
        let values: [UInt8] = [0x00, 0x20, 0x22, 0x2C, 0x2D, 0x30, 0x39, 0x3A, 0x5B, 0x5D, 0x7B, 0x7D, 0x5C, 0x80, 0xFF, 0x41]
        for position in 0..<(8 + n) {
            for v in values where bytes[position] != v {
                var altered = bytes
                altered[position] = v
                do { _ = try Safetensors.decode(altered, name: "x") } catch let e as EngineError {
                    #expect(e.isIO, "\(e)")
                }
            }
        }
    }

    @Test(arguments: [
        // (header, data, words the error must contain)
        (#"{"a":{"dtype":"F7","shape":[1],"data_offsets":[0,4]}}"#, 4, "unsupported dtype 'F7'"),
        (#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, 4, "whole numbers"),
        (#"{"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}}"#, 4, "whole numbers"),
        (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, 4, "needs 8 bytes"),
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}"#, 4, "run past the end"),
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, 4, "end before they begin"),
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, 4, "two whole numbers"),
        (#"{"a":{"dtype":"F32","shape":[1]}}"#, 4, "no data_offsets"),
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}"#, 4, "unknown field 'x'"),
        (#"{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}"#, 4, "overlaps"),
        (#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}"#, 4, "a gap in the data"),
        (#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}"#, 4, "extra bytes at the end"),
        (#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"a":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}"#, 4, "appears twice"),
        (#"{"__metadata__":{"k":1}}"#, 0, "entry 'k' must be a string"),
        (#"{"__metadata__":[]}"#, 0, "must be an object of strings"),
        (#"{"a":{"dtype":"BOOL","shape":[1],"data_offsets":[0,1]}}"#, 1, "not a boolean"),
        (#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#, 4, "impossibly large"),
        (#"{"a":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,4]}}"#, 4, "whole numbers"),
        (#"{"a":{"dtype":"F32""#, 4, "not valid JSON"),
        (#"{"a":1,}"#, 0, "not valid JSON"),
        (#"{"a" "b"}"#, 0, "expected ':' at byte offset 13"),
        (#"[1]"#, 0, "does not start with '{'"),
        (String(repeating: "{\"a\":", count: 100) + "1" + String(repeating: "}", count: 100), 0, "nested more than"),
    ] as [(String, Int, String)])
    func badHeadersAreNamed(header: String, dataBytes: Int, expected: String) throws {
        let data = [UInt8](repeating: 2, count: dataBytes)
        let message = IOTest.failure { try Safetensors.decode(Self.file(header, data), name: "bad.safetensors") }
        #expect(message?.hasPrefix("bad.safetensors") == true, "\(message ?? "no error")")
        #expect(message?.contains(expected) == true, "\(message ?? "no error")")
    }

    @Test func badPrefixesAreNamed() throws {
        #expect(IOTest.failure { try Safetensors.decode([1, 2, 3], name: "f") }?.contains("too short") == true)
        var huge = [UInt8](repeating: 0, count: 16)
        huge[7] = 0x80   // 2^63
        #expect(IOTest.failure { try Safetensors.decode(huge, name: "f") }?.contains("limit") == true)
        var long = Self.file("{}", [])
        long[0] = 40
        #expect(IOTest.failure { try Safetensors.decode(long, name: "f") }?.contains("truncated") == true)
        // {"é":{}} with é in Latin-1 (one byte 0xE9) instead of UTF-8.
        let latin1: [UInt8] = [8, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x22, 0xE9, 0x22, 0x3A, 0x7B, 0x7D, 0x7D]
        #expect(IOTest.failure { try Safetensors.decode(latin1, name: "f") }?.contains("not valid UTF-8") == true)
    }

    @Test func writerRefusesWhatItCannotStore() throws {
        var a = TensorArchive()
        try a.append("m", Tensor(shape: [2], data: [0, 0.5]), as: .bool)
        #expect(IOTest.failure { try Safetensors.encode(a) }?.contains("m: value 0.5 at index 1 cannot be stored as bool") == true)
        var b = TensorArchive()
        try b.append("__metadata__", Tensor(shape: [1], data: [0]))
        #expect(IOTest.failure { try Safetensors.encode(b) } != nil)
        #expect(IOTest.failure { try b.append("__metadata__", Tensor(shape: [1], data: [0])) }?.contains("already holds") == true)
    }

    @Test func jsonStringsRoundTrip() throws {
        let names = ["plain", "quote\"back\\slash", "tab\there\nnewline", "\u{01}ctl", "é ü 日本 🎟"]
        var a = TensorArchive(metadata: Dictionary(uniqueKeysWithValues: names.map { ($0, $0 + "!") }))
        for n in names { try a.append(n, Tensor(shape: [1], data: [1])) }
        let back = try Safetensors.decode(try Safetensors.encode(a), name: "s")
        #expect(back.names == names && back.metadata == a.metadata)
        // Escapes the writer never uses are read too: \u surrogate pairs, \/ and \b.
        let header = #"{"\ud83c\udf9f\/\b":{"dtype":"U8","shape":[],"data_offsets":[0,1]}}"#
        #expect(try Safetensors.decode(Self.file(header, [9]), name: "e").names == ["🎟/\u{08}"])
    }
}
