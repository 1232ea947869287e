import Testing
@testable import TicketsEngine

/// gunzip's two paths: libdeflate inflates a well-formed one-member file in one call;
/// anything else goes to zlib's streaming path, which inflates it or names what is
/// wrong. A trailer stating a huge size is not believed.
struct GzipTests {
    static let payload: [UInt8] = (0..<100_000).map { UInt8(truncatingIfNeeded: ($0 * 7) ^ ($0 >> 5)) }

    @Test func aWellFormedFileTakesTheWholeBufferPath() throws {
        let z = IDXTests.gzip(Self.payload)
        #expect(inflateWhole(z) == Self.payload)
        #expect(try gunzip(z, name: "x.gz") == Self.payload)
    }

    @Test func aTrailerThatLiesIsNotBelieved() throws {
        var z = IDXTests.gzip(Self.payload)
        let n = z.count
        // ISIZE: first one byte too many, then 4 GB - 1.
        var more = z
        more[n - 4] &+= 1
        #expect(inflateWhole(more) == nil)
        #expect(throws: EngineError.self) { try gunzip(more, name: "x.gz") }
        for i in (n - 4)..<n { z[i] = 0xFF }
        #expect(inflateWhole(z) == nil)
        #expect(throws: EngineError.self) { try gunzip(z, name: "x.gz") }
    }

    @Test func trailingBytesAndCorruptDataGoToZlib() throws {
        let z = IDXTests.gzip(Self.payload)
        // Two members: libdeflate's single call stops after the first; zlib reads one.
        #expect(inflateWhole(z + z) == nil)
        #expect(try gunzip(z + z, name: "x.gz") == Self.payload)
        var bad = z
        for i in 40..<60 { bad[i] ^= 0x5A }
        #expect(inflateWhole(bad) == nil)
        #expect(throws: EngineError.self) { try gunzip(bad, name: "x.gz") }
    }
}
