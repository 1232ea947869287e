/// Bounds-checked reading of binary files, and little-endian appending for writers.
///
/// Every file format in IO/ reads through `ByteView`: a length taken from a file is
/// never used to index the buffer before it has been checked against the buffer's
/// size, and a read that would run past the end throws an `EngineError.io` naming the
/// file, the field and the byte offset instead of trapping.
struct ByteView {
    let bytes: [UInt8]
    /// The file's path (or a member name) for error messages.
    let name: String

    init(_ bytes: [UInt8], name: String) {
        self.bytes = bytes; self.name = name
    }

    var count: Int { bytes.count }

    /// Throws unless `length` bytes starting at `offset` lie inside the buffer.
    /// `what` names the field in the error ("the zip central directory").
    func require(_ offset: Int, _ length: Int, _ what: String) throws {
        guard offset >= 0, length >= 0 else {
            throw EngineError.io("\(name): \(what) has a negative offset or length")
        }
        let (end, overflow) = offset.addingReportingOverflow(length)
        guard !overflow, end <= bytes.count else {
            throw EngineError.io("\(name): truncated: \(what) at byte offset \(offset) needs \(length) bytes but the file ends at byte \(bytes.count)")
        }
    }

    /// A little-endian unsigned integer of `T`'s width at `offset`.
    func little<T: FixedWidthInteger & UnsignedInteger>(_ type: T.Type, at offset: Int, _ what: String) throws -> T {
        let width = MemoryLayout<T>.size
        try require(offset, width, what)
        var value: T = 0
        for k in 0..<width { value |= T(bytes[offset + k]) << (8 * k) }
        return value
    }

    func u8(at offset: Int, _ what: String) throws -> UInt8 { try little(UInt8.self, at: offset, what) }
    func u16(at offset: Int, _ what: String) throws -> UInt16 { try little(UInt16.self, at: offset, what) }
    func u32(at offset: Int, _ what: String) throws -> UInt32 { try little(UInt32.self, at: offset, what) }
    func u64(at offset: Int, _ what: String) throws -> UInt64 { try little(UInt64.self, at: offset, what) }

    /// The bytes `offset ..< offset + length`, after checking they exist.
    func slice(_ offset: Int, _ length: Int, _ what: String) throws -> ArraySlice<UInt8> {
        try require(offset, length, what)
        return bytes[offset..<(offset + length)]
    }
}

/// Converts a length read from a file (a UInt64) to an Int, or throws: a value above
/// Int.max can only come from a corrupt file.
func checkedInt(_ value: UInt64, name: String, _ what: String) throws -> Int {
    guard value <= UInt64(Int.max) else {
        throw EngineError.io("\(name): \(what) (\(value)) is impossibly large")
    }
    return Int(value)
}

/// The product of `shape`'s dimensions times `width`, or nil on overflow or a
/// negative dimension.
func byteCount(shape: [Int], width: Int) -> Int? {
    var total = width
    for d in shape {
        guard d >= 0 else { return nil }
        let (product, overflow) = total.multipliedReportingOverflow(by: d)
        guard !overflow else { return nil }
        total = product
    }
    return total
}

extension Array where Element == UInt8 {
    /// Appends `value` in little-endian byte order.
    mutating func appendLittle<T: FixedWidthInteger>(_ value: T) {
        let width = MemoryLayout<T>.size
        for k in 0..<width { append(UInt8(truncatingIfNeeded: value >> (8 * k))) }
    }

    mutating func appendASCII(_ text: String) {
        append(contentsOf: Array(text.utf8))
    }
}
