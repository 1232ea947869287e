import Testing
import Foundation
@preconcurrency import CZlib
@testable import TicketsEngine

/// A zip builder independent of the engine's writer, able to make what NumPy and
/// other tools write (deflated members, zip64 fields, comments) and what they should
/// never write (bad CRCs, odd methods), to test the reader against.
struct ZipBuilder {
    struct Member {
        var name: String
        var data: [UInt8]
        var method: UInt16 = 0
        var flags: UInt16 = 0
        var crc: UInt32? = nil            // nil: the right one
        var declaredSize: Int? = nil      // nil: the right one
        var zip64 = false                 // sizes and offset in zip64 extra fields
        var localOffset: Int? = nil       // nil: where it is written
    }
    var members: [Member]
    var comment: [UInt8] = []
    var zip64End = false                  // a zip64 end record and locator
    var claimedCount: Int? = nil

    static func rawDeflate(_ input: [UInt8]) -> [UInt8] {
        var s = z_stream()
        _ = deflateInit2_(&s, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        var out = [UInt8](repeating: 0, count: input.count + 1024)
        var inp = input + [0]
        let produced = inp.withUnsafeMutableBufferPointer { i in out.withUnsafeMutableBufferPointer { o in
            s.next_in = i.baseAddress; s.avail_in = UInt32(i.count - 1)
            s.next_out = o.baseAddress; s.avail_out = UInt32(o.count)
            _ = deflate(&s, Z_FINISH)
            return o.count - Int(s.avail_out)
        } }
        deflateEnd(&s)
        return Array(out[0..<produced])
    }

    func bytes() -> [UInt8] {
        var out = [UInt8](), directory = [UInt8]()
        for m in members {
            let stored = m.method == 8 ? Self.rawDeflate(m.data) : m.data
            let crc = m.crc ?? crc32Of(m.data[...])
            let size = UInt64(m.declaredSize ?? m.data.count)
            let offset = UInt64(m.localOffset ?? out.count)
            let name = Array(m.name.utf8)
            var extra = [UInt8]()
            if m.zip64 {
                extra.appendLittle(UInt16(1)); extra.appendLittle(UInt16(24))
                extra.appendLittle(size); extra.appendLittle(UInt64(stored.count)); extra.appendLittle(offset)
            }
            func common(_ into: inout [UInt8]) {
                into.appendLittle(UInt16(45)); into.appendLittle(m.flags); into.appendLittle(m.method)
                into.appendLittle(UInt32(0)); into.appendLittle(crc)
                into.appendLittle(m.zip64 ? UInt32.max : UInt32(stored.count))
                into.appendLittle(m.zip64 ? UInt32.max : UInt32(size))
                into.appendLittle(UInt16(name.count)); into.appendLittle(UInt16(extra.count))
            }
            if m.localOffset == nil {
                out.appendLittle(UInt32(0x0403_4b50)); common(&out); out += name + extra + stored
            }
            directory.appendLittle(UInt32(0x0201_4b50)); directory.appendLittle(UInt16(45)); common(&directory)
            directory += [UInt8](repeating: 0, count: 10)   // comment length, disk, attributes
            directory.appendLittle(m.zip64 ? UInt32.max : UInt32(offset))
            directory += name + extra
        }
        let directoryOffset = out.count
        out += directory
        let count = claimedCount ?? members.count
        if zip64End {
            let recordOffset = out.count
            out.appendLittle(UInt32(0x0606_4b50)); out.appendLittle(UInt64(44))
            out.appendLittle(UInt16(45)); out.appendLittle(UInt16(45)); out.appendLittle(UInt64(0))
            out.appendLittle(UInt64(count)); out.appendLittle(UInt64(count))
            out.appendLittle(UInt64(directory.count)); out.appendLittle(UInt64(directoryOffset))
            out.appendLittle(UInt32(0x0706_4b50)); out.appendLittle(UInt32(0))
            out.appendLittle(UInt64(recordOffset)); out.appendLittle(UInt32(1))
        }
        out.appendLittle(UInt32(0x0605_4b50)); out.appendLittle(UInt32(0))
        out.appendLittle(zip64End ? UInt16.max : UInt16(count)); out.appendLittle(zip64End ? UInt16.max : UInt16(count))
        out.appendLittle(zip64End ? UInt32.max : UInt32(directory.count))
        out.appendLittle(zip64End ? UInt32.max : UInt32(directoryOffset))
        out.appendLittle(UInt16(comment.count))
        return out + comment
    }
}

struct NPZTests {
    static var weight: Tensor { Tensor(shape: [20, 30], data: (0..<600).map { Float($0 % 7) * 0.25 }) }
    static var weightNPY: [UInt8] { (try? NPY.encode(weight)) ?? [] }

    @Test func roundTripKeepsOrderTypesAndValues() throws {
        let archive = try IOTest.sampleArchive()
        let back = try NPZ.decode(try NPZ.encode(archive), name: "t.npz")
        #expect(IOTest.same(archive, back) && back.metadata.isEmpty)

        let path = IOTest.tempDir("npz") + "/ticket.npz"
        try NPZ.write(archive, to: path)
        #expect(IOTest.same(try NPZ.read(path: path), archive))
        #expect(try NPZ.decode(try NPZ.encode(TensorArchive()), name: "empty").isEmpty)
    }

    /// The members NumPy writes: `key.npy`, with the zip's own bookkeeping correct.
    @Test func writerLayout() throws {
        let archive = try TensorArchive(entries: [.init(name: "0.weight", tensor: Tensor(shape: [1], data: [1]))])
        let bytes = try NPZ.encode(archive)
        #expect(Array(bytes[0..<4]) == [0x50, 0x4B, 0x03, 0x04])
        #expect(String(decoding: bytes[30..<42], as: UTF8.self) == "0.weight.npy")
        let members = try ZipReader.read(bytes, name: "z")
        #expect(members.map(\.name) == ["0.weight.npy"])
        #expect(Array(bytes[(bytes.count - 22)..<(bytes.count - 18)]) == [0x50, 0x4B, 0x05, 0x06])
    }

    @Test func readsDeflatedZip64AndCommentedArchives() throws {
        let mask = try NPY.encode(Tensor(shape: [4], data: [1, 0, 1, 1]), as: .bool)
        let variants: [ZipBuilder] = [
            ZipBuilder(members: [.init(name: "w.npy", data: Self.weightNPY, method: 8), .init(name: "m.npy", data: mask)]),
            ZipBuilder(members: [.init(name: "w.npy", data: Self.weightNPY, method: 8, zip64: true),
                                 .init(name: "m.npy", data: mask, zip64: true)], zip64End: true),
            ZipBuilder(members: [.init(name: "w.npy", data: Self.weightNPY, flags: 1 << 3), .init(name: "m.npy", data: mask, method: 8)],
                       comment: Array("made by hand".utf8)),
        ]
        for builder in variants {
            let archive = try NPZ.decode(builder.bytes(), name: "v.npz")
            #expect(archive.names == ["w", "m"])
            #expect(archive["w"]?.data == Self.weight.data && archive["w"]?.shape == [20, 30])
            #expect(archive["m"]?.data == [1, 0, 1, 1] && archive.entry("m")?.dtype == .bool)
        }
    }

    @Test(arguments: [
        (ZipBuilder.Member(name: "w.npy", data: [1, 2, 3], crc: 0x1234_5678), "fails its CRC-32 check (stored 0x12345678"),
        (ZipBuilder.Member(name: "w.npy", data: [1, 2, 3], method: 12), "uses compression method 12"),
        (ZipBuilder.Member(name: "w.npy", data: [1, 2, 3], flags: 1), "is encrypted"),
        (ZipBuilder.Member(name: "w.txt", data: [1, 2, 3]), "member 'w.txt' is not an .npy array"),
        (ZipBuilder.Member(name: "w.npy", data: [1, 2, 3]), "member 'w.npy': not an .npy file"),
        (ZipBuilder.Member(name: "w.npy", data: [1, 2, 3], declaredSize: 4), "stored uncompressed but its sizes differ"),
        (ZipBuilder.Member(name: "w.npy", data: Array(repeating: 7, count: 500), method: 8, declaredSize: 600), "expands to 500 bytes but the zip directory says 600"),
        (ZipBuilder.Member(name: "w.npy", data: Array(repeating: 7, count: 500), method: 8, declaredSize: 400), "expands to more than the 400 bytes"),
        (ZipBuilder.Member(name: "w.npy", data: [1], method: 8, declaredSize: 1 << 40, zip64: true), "more than deflate can produce"),
        (ZipBuilder.Member(name: "w.npy", data: [1], localOffset: 9999), "no local header at byte offset 9999"),
    ] as [(ZipBuilder.Member, String)])
    func badMembersAreNamed(member: ZipBuilder.Member, expected: String) throws {
        let bytes = ZipBuilder(members: [member]).bytes()
        let message = IOTest.failure { try NPZ.decode(bytes, name: "bad.npz") }
        #expect(message?.hasPrefix("bad.npz: ") == true && message?.contains(expected) == true, "\(message ?? "no error")")
    }

    @Test func badArchivesAreNamed() throws {
        func message(_ bytes: [UInt8]) -> String { IOTest.failure { try NPZ.decode(bytes, name: "z.npz") } ?? "no error" }
        #expect(message(Array("not a zip at all, just some text".utf8)).contains("no zip end record"))
        #expect(message([1, 2]).contains("too short"))
        let twice = ZipBuilder(members: [.init(name: "a.npy", data: Self.weightNPY), .init(name: "a.npy", data: Self.weightNPY)])
        #expect(message(twice.bytes()).contains("member 'a.npy' appears twice"))
        let shared = ZipBuilder(members: [.init(name: "a.npy", data: Self.weightNPY), .init(name: "b.npy", data: Self.weightNPY, localOffset: 0)])
        #expect(message(shared.bytes()).contains("members 'a.npy' and 'b.npy' overlap"))
        let inflated = ZipBuilder(members: [.init(name: "a.npy", data: Self.weightNPY)], claimedCount: 1000)
        #expect(message(inflated.bytes()).contains("claims 1000 members"))
        // Corrupt deflate data: flip bits inside the compressed stream, keep the CRC.
        var corrupt = ZipBuilder(members: [.init(name: "a.npy", data: Self.weightNPY, method: 8)]).bytes()
        for k in 40..<48 { corrupt[k] ^= 0xFF }
        let m = message(corrupt)
        #expect(m.contains("corrupt") || m.contains("CRC-32") || m.contains("expands"), "\(m)")
    }

    @Test func everyTruncationIsAnError() throws {
        var archive = try IOTest.sampleArchive()
        archive.metadata = [:]
        for bytes in [try NPZ.encode(archive),
                      ZipBuilder(members: [.init(name: "w.npy", data: Self.weightNPY, method: 8, zip64: true)], zip64End: true).bytes()] {
            for length in 0..<bytes.count {
                #expect(IOTest.throwsIO { try NPZ.decode(Array(bytes[0..<length]), name: "cut") }, "length \(length)")
            }
        }
    }

    @Test func alteredBytesNeverCrash() throws {
        let stored = try NPZ.encode(try IOTest.sampleArchive())
        let zip64 = ZipBuilder(members: [.init(name: "w.npy", data: Self.weightNPY, method: 8, zip64: true)], zip64End: true).bytes()
        for bytes in [stored, zip64] {
            for position in bytes.indices {
                for v: UInt8 in [0x00, 0x01, 0x7F, 0x80, 0xFF] where bytes[position] != v {
                    var altered = bytes
                    altered[position] = v
                    do { _ = try NPZ.decode(altered, name: "x") } catch let e as EngineError { #expect(e.isIO, "\(e)") }
                }
            }
        }
    }
}
