import Foundation

/// An array read from the IDX format of MNIST and its relatives: a 4-byte magic
/// (0, 0, type, rank), `rank` big-endian UInt32 dimensions, then the values, big-endian.
/// Types: 0x08 UInt8, 0x09 Int8, 0x0B Int16, 0x0C Int32, 0x0D Float32, 0x0E Float64.
public struct IDXArray {
    public var shape: [Int]
    /// UInt8 files keep their bytes (pixels: a quarter of the memory of Floats); every
    /// other type is converted to Float.
    public enum Storage { case bytes([UInt8]), floats([Float]) }
    public var storage: Storage

    /// The values as Floats (bytes as 0...255).
    public var values: [Float] {
        switch storage {
        case .bytes(let b): return b.map(Float.init)
        case .floats(let f): return f
        }
    }
}

public enum IDX {
    /// Reads an IDX file, gzip-compressed (by its magic bytes) or raw.
    public static func read(path: String) throws -> IDXArray {
        var bytes = try readFileBytes(path)
        if bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B {
            bytes = try gunzip(bytes, name: path, declared: declaredSize)
        }
        return try parse(bytes, name: path)
    }

    /// The size of the whole file as its header declares it, once `b` holds the header
    /// (nil before, or when the header is not an IDX header: `parse` names the fault).
    static func declaredSize(_ b: [UInt8]) -> Int? {
        guard b.count >= 4, b[0] == 0, b[1] == 0, b[3] >= 1, b.count >= 4 + 4 * Int(b[3]) else { return nil }
        let width: Int
        switch b[2] {
        case 0x08, 0x09: width = 1
        case 0x0B: width = 2
        case 0x0C, 0x0D: width = 4
        case 0x0E: width = 8
        default: return nil
        }
        let rank = Int(b[3])
        let dims = (0..<rank).map { d in (0..<4).reduce(0) { $0 << 8 | Int(b[4 + 4 * d + $1]) } }
        return MemoryBudget.sum(4 + 4 * rank, MemoryBudget.product(dims + [width]))
    }

    /// Parses the bytes of an (uncompressed) IDX file.
    public static func parse(_ b: [UInt8], name: String) throws -> IDXArray {
        guard b.count >= 4 else { throw EngineError.io("\(name): too short to be an IDX file (\(b.count) bytes)") }
        guard b[0] == 0, b[1] == 0 else {
            throw EngineError.io("\(name): not an IDX file (the magic number must start with two zero bytes)")
        }
        let type = b[2], rank = Int(b[3])
        let width: Int
        switch type {
        case 0x08, 0x09: width = 1
        case 0x0B: width = 2
        case 0x0C, 0x0D: width = 4
        case 0x0E: width = 8
        default: throw EngineError.io("\(name): unknown IDX value type 0x\(String(type, radix: 16))")
        }
        guard rank >= 1 else { throw EngineError.io("\(name): an IDX file needs at least one dimension") }
        let header = 4 + 4 * rank
        guard b.count >= header else { throw EngineError.io("\(name): truncated IDX header") }
        var shape = [Int]()
        var count = 1
        for d in 0..<rank {
            let o = 4 + 4 * d
            let n = Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3])
            shape.append(n)
            let (product, overflow) = count.multipliedReportingOverflow(by: n)
            count = product
            guard !overflow, count <= 1 << 34 else { throw EngineError.io("\(name): IDX dimensions \(shape) are too large") }
        }
        let expected = header + count * width
        guard b.count >= expected else {
            throw EngineError.io("\(name): truncated: the header promises \(shape.map(String.init).joined(separator: "×")) values (\(expected) bytes) but the file has \(b.count) bytes")
        }
        guard b.count == expected else {
            throw EngineError.io("\(name): \(b.count - expected) unexpected bytes after the \(count) values the header declares")
        }
        if type == 0x08 { return IDXArray(shape: shape, storage: .bytes(Array(b[header...]))) }
        var values = [Float](repeating: 0, count: count)
        b.withUnsafeBufferPointer { src in
            values.withUnsafeMutableBufferPointer { dst in
                let p = src.baseAddress! + header
                switch type {
                case 0x09: for i in 0..<count { dst[i] = Float(Int8(bitPattern: p[i])) }
                case 0x0B:
                    for i in 0..<count { dst[i] = Float(Int16(bitPattern: UInt16(p[2 * i]) << 8 | UInt16(p[2 * i + 1]))) }
                case 0x0C, 0x0D:
                    for i in 0..<count {
                        let u = UInt32(p[4 * i]) << 24 | UInt32(p[4 * i + 1]) << 16 | UInt32(p[4 * i + 2]) << 8 | UInt32(p[4 * i + 3])
                        dst[i] = type == 0x0C ? Float(Int32(bitPattern: u)) : Float(bitPattern: u)
                    }
                default:
                    for i in 0..<count {
                        var u: UInt64 = 0
                        for k in 0..<8 { u = u << 8 | UInt64(p[8 * i + k]) }
                        dst[i] = Float(Double(bitPattern: u))
                    }
                }
            }
        }
        return IDXArray(shape: shape, storage: .floats(values))
    }

    /// The bytes of an IDX file of UInt8 values (tests and exports use it).
    public static func encodeUInt8(shape: [Int], values: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0, 0, 0x08, UInt8(shape.count)]
        for d in shape { out += [UInt8(d >> 24 & 0xFF), UInt8(d >> 16 & 0xFF), UInt8(d >> 8 & 0xFF), UInt8(d & 0xFF)] }
        return out + values
    }
}
