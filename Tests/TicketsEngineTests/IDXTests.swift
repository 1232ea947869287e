import Testing
import Foundation
@preconcurrency import CZlib
@testable import TicketsEngine

struct IDXTests {
    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var s = z_stream()
        _ = deflateInit2_(&s, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        var out = [UInt8](repeating: 0, count: bytes.count + 1024)
        var input = bytes
        let produced = input.withUnsafeMutableBufferPointer { inp in out.withUnsafeMutableBufferPointer { o in
            s.next_in = inp.baseAddress; s.avail_in = UInt32(inp.count)
            s.next_out = o.baseAddress; s.avail_out = UInt32(o.count)
            _ = deflate(&s, Z_FINISH)
            return o.count - Int(s.avail_out)
        } }
        deflateEnd(&s)
        return Array(out[0..<produced])
    }

    static func tempDir() -> String {
        let d = NSTemporaryDirectory() + "tickets-idx-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// Writes an MNIST-style folder of `n` train and `m` test 2×2 images.
    static func writeFolder(_ dir: String, n: Int = 6, m: Int = 3, gz: Bool = true) {
        func put(_ name: String, _ bytes: [UInt8]) {
            let data = gz ? gzip(bytes) : bytes
            _ = FileManager.default.createFile(atPath: dir + "/" + name + (gz ? ".gz" : ""), contents: Data(data))
        }
        put("train-images-idx3-ubyte", IDX.encodeUInt8(shape: [n, 2, 2], values: (0..<(n * 4)).map { UInt8($0 * 10 % 256) }))
        put("train-labels-idx1-ubyte", IDX.encodeUInt8(shape: [n], values: (0..<n).map { UInt8($0 % 3) }))
        put("t10k-images-idx3-ubyte", IDX.encodeUInt8(shape: [m, 2, 2], values: [UInt8](repeating: 255, count: m * 4)))
        put("t10k-labels-idx1-ubyte", IDX.encodeUInt8(shape: [m], values: [UInt8](repeating: 1, count: m)))
    }

    @Test(arguments: [true, false])
    func loadsAFolder(gz: Bool) throws {
        let dir = Self.tempDir()
        Self.writeFolder(dir, gz: gz)
        let d = try Dataset.loadIDX(folder: dir, name: "tiny")
        #expect(d.sampleShape == [1, 2, 2] && d.train.count == 6 && d.test.count == 3)
        #expect(d.train.floats()[1] == 10 / 255 && d.test.floats().allSatisfy { $0 == 1 })
        #expect(d.train.labels == [0, 1, 2, 0, 1, 2] && d.classes == 3)
    }

    @Test func parsesOtherTypes() throws {
        // Int16 big-endian, shape [2]: 258, −2.
        let a = try IDX.parse([0, 0, 0x0B, 1, 0, 0, 0, 2, 0x01, 0x02, 0xFF, 0xFE], name: "t")
        #expect(a.values == [258, -2])
        let f = try IDX.parse([0, 0, 0x0D, 1, 0, 0, 0, 1] + [0x3F, 0xC0, 0, 0], name: "t")
        #expect(f.values == [1.5])
    }

    @Test func corruptFilesAreClearErrors() throws {
        func message(_ bytes: [UInt8]) -> String {
            do { _ = try IDX.parse(bytes, name: "f.idx"); return "no error" } catch { return "\(error)" }
        }
        #expect(message([0, 0]).contains("too short"))
        #expect(message([1, 2, 8, 1]).contains("not an IDX file"))
        #expect(message([0, 0, 0x42, 1, 0, 0, 0, 1, 0]).contains("unknown IDX value type"))
        #expect(message([0, 0, 8, 3, 0, 0]).contains("truncated IDX header"))
        #expect(message(IDX.encodeUInt8(shape: [4, 2], values: [1, 2, 3])).contains("truncated"))
        #expect(message(IDX.encodeUInt8(shape: [1], values: [1, 2])).contains("unexpected bytes"))
        // Dimensions whose product overflows are refused before anything is allocated.
        #expect(message([0, 0, 8, 4] + [UInt8](repeating: 0xFF, count: 16)).contains("too large"))
    }

    @Test func truncatedAndCorruptGzipAreErrors() throws {
        let z = Self.gzip(IDX.encodeUInt8(shape: [100], values: [UInt8](repeating: 7, count: 100)))
        #expect(throws: EngineError.self) { try gunzip(Array(z[0..<(z.count / 2)]), name: "x.gz") }
        var bad = z
        for i in 12..<min(30, bad.count) { bad[i] ^= 0x5A }
        #expect(throws: EngineError.self) { try gunzip(bad, name: "x.gz") }
        #expect(try gunzip(z, name: "x.gz").count == 108)   // 8 header bytes + 100 values
    }

    @Test func missingFilesNameWhatIsMissing() throws {
        let dir = Self.tempDir()
        do { _ = try Dataset.loadIDX(folder: dir, name: "x"); Issue.record("no error") } catch let e as EngineError {
            #expect(e.isIO && e.message.contains("missing train-images-idx3-ubyte"))
        }
        do { _ = try Dataset.loadIDX(folder: dir + "/nope", name: "x"); Issue.record("no error") } catch let e as EngineError {
            #expect(e.message.contains("no such folder"))
        }
        // Label count that does not match the images.
        Self.writeFolder(dir, gz: false)
        _ = FileManager.default.createFile(atPath: dir + "/train-labels-idx1-ubyte", contents: Data(IDX.encodeUInt8(shape: [2], values: [0, 1])))
        do { _ = try Dataset.loadIDX(folder: dir, name: "x"); Issue.record("no error") } catch let e as EngineError {
            #expect(e.message.contains("2 labels for 6 images"))
        }
    }
}
