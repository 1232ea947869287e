import Testing
@testable import TicketsEngine

/// A training batch gathered from pixel bytes (the C path with prefetching) equals the
/// rows converted one by one, for batches shorter and longer than the prefetch distance
/// and rows whose length is not a multiple of a cache line.
struct DatasetGatherTests {
    @Test(arguments: [1, 3, 23])
    func batchesFromBytesEqualTheRows(n: Int) throws {
        let size = 37, rows = 40
        let bytes = (0..<(size * rows)).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 13) }
        let split = try Split(storage: .bytes(bytes, scale: 1 / 255), labels: [Int32](repeating: 0, count: rows), sampleSize: size)
        let order = (0..<rows).map { Int32(($0 * 17 + 3) % rows) }   // a permutation: 17 is prime to 40
        let batch = order[7..<(7 + n)]
        var fast = [Float](repeating: -1, count: n * size)
        fast.withUnsafeMutableBufferPointer { split.gather(batch, into: $0.baseAddress!) }
        var expected: [Float] = []
        for r in batch { expected += bytes[(Int(r) * size)..<(Int(r) * size + size)].map { Float($0) * (1 / 255) } }
        #expect(fast == expected)
    }
}
