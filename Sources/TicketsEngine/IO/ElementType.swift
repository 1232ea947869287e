/// The numeric element types a tensor file may store. The engine computes in Float32
/// only, so every type is converted to `Float` on import; the type read is kept
/// beside each tensor (`TensorArchive.Entry.dtype`) so a mask that arrived as `bool`
/// can be written back as `bool`.
///
/// Widths in bytes: bool, u8, i8: 1; f16, bf16, i16, u16: 2; f32, i32, u32: 4;
/// f64, i64, u64: 8.
public enum ElementType: String, Sendable, CaseIterable {
    case f64, f32, f16, bf16
    case i64, i32, i16, i8
    case u64, u32, u16, u8
    case bool

    public var width: Int {
        switch self {
        case .bool, .u8, .i8: return 1
        case .f16, .bf16, .i16, .u16: return 2
        case .f32, .i32, .u32: return 4
        case .f64, .i64, .u64: return 8
        }
    }

    /// Converts `count` elements stored from `offset` on in `bytes` to Floats.
    /// The caller has checked that `offset + count * width` lies inside `bytes`.
    /// Integers wider than 24 bits round to the nearest Float; a bool byte other
    /// than 0 or 1 is an error (it cannot come from NumPy, PyTorch or safetensors).
    func decode(_ bytes: [UInt8], offset: Int, count: Int, bigEndian: Bool, name: String) throws -> [Float] {
        if self == .f32 && !bigEndian && machineIsLittleEndian {
            // The file's bytes are the machine's Float bits: copy them as they are.
            return bytes.withUnsafeBytes { source in
                [Float](unsafeUninitializedCapacity: count) { dst, initialized in
                    if count > 0 {
                        UnsafeMutableRawPointer(dst.baseAddress!).copyMemory(from: source.baseAddress! + offset, byteCount: count * 4)
                    }
                    initialized = count
                }
            }
        }
        var out = [Float](repeating: 0, count: count)
        var badBool: Int? = nil
        bytes.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { dst in
                guard count > 0, let base = source.baseAddress, dst.baseAddress != nil else { return }
                let p = base + offset
                // The raw bits of element i, `w` bytes wide, as an unsigned integer.
                func bits(_ i: Int, _ w: Int) -> UInt64 {
                    var v: UInt64 = 0
                    for k in 0..<w {
                        let byte = UInt64(p[i * w + (bigEndian ? w - 1 - k : k)])
                        v |= byte << (8 * k)
                    }
                    return v
                }
                switch self {
                case .f32:
                    for i in 0..<count { dst[i] = Float(bitPattern: UInt32(truncatingIfNeeded: bits(i, 4))) }
                case .f64:
                    for i in 0..<count { dst[i] = Float(Double(bitPattern: bits(i, 8))) }
                case .f16:
                    for i in 0..<count { dst[i] = halfToFloat(UInt16(truncatingIfNeeded: bits(i, 2))) }
                case .bf16:
                    // bfloat16 is the top half of a Float32.
                    for i in 0..<count { dst[i] = Float(bitPattern: UInt32(truncatingIfNeeded: bits(i, 2)) << 16) }
                case .i64:
                    for i in 0..<count { dst[i] = Float(Int64(bitPattern: bits(i, 8))) }
                case .i32:
                    for i in 0..<count { dst[i] = Float(Int32(truncatingIfNeeded: bits(i, 4))) }
                case .i16:
                    for i in 0..<count { dst[i] = Float(Int16(truncatingIfNeeded: bits(i, 2))) }
                case .i8:
                    for i in 0..<count { dst[i] = Float(Int8(bitPattern: p[i])) }
                case .u64:
                    for i in 0..<count { dst[i] = Float(bits(i, 8)) }
                case .u32:
                    for i in 0..<count { dst[i] = Float(UInt32(truncatingIfNeeded: bits(i, 4))) }
                case .u16:
                    for i in 0..<count { dst[i] = Float(UInt16(truncatingIfNeeded: bits(i, 2))) }
                case .u8:
                    for i in 0..<count { dst[i] = Float(p[i]) }
                case .bool:
                    for i in 0..<count {
                        if p[i] > 1 && badBool == nil { badBool = i }
                        dst[i] = p[i] == 0 ? 0 : 1
                    }
                }
            }
        }
        if let i = badBool {
            throw EngineError.io("\(name): byte \(bytes[offset + i]) at byte offset \(offset + i) is not a boolean (0 or 1)")
        }
        return out
    }

    /// The little-endian bytes of `values` in this type. Only f32, u8 and bool are
    /// written by the engine; a value that the type cannot hold exactly (a mask entry
    /// of 0.5 written as bool) is an error naming the tensor.
    func encodeLittle(_ values: [Float], tensorName: String) throws -> [UInt8] {
        switch self {
        case .f32 where machineIsLittleEndian:
            return values.withUnsafeBytes { Array($0) }
        case .f32:
            var out = [UInt8]()
            out.reserveCapacity(values.count * 4)
            for v in values { out.appendLittle(v.bitPattern) }
            return out
        case .u8, .bool:
            let top: Float = self == .bool ? 1 : 255
            var out = [UInt8](repeating: 0, count: values.count)
            var bad: Int? = nil
            values.withUnsafeBufferPointer { source in
                out.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<source.count {
                        let v = source[i]
                        guard v >= 0, v <= top, v == v.rounded(.towardZero) else { bad = i; return }
                        dst[i] = UInt8(v)
                    }
                }
            }
            if let i = bad {
                throw EngineError("\(tensorName): value \(values[i]) at index \(i) cannot be stored as \(rawValue) (whole numbers 0...\(Int(top)) only)")
            }
            return out
        default:
            throw EngineError("\(tensorName): the engine writes f32, u8 or bool, not \(rawValue)")
        }
    }

    /// Types the writers accept.
    static let writable: Set<ElementType> = [.f32, .u8, .bool]
}

/// True on x86-64 and arm64, where a Float's bytes in memory are its little-endian bytes.
let machineIsLittleEndian = UInt16(1).littleEndian == 1

/// IEEE 754 half precision (1 sign, 5 exponent, 10 fraction bits) to Float32, exactly:
/// normals, subnormals, ±0, ±infinity and NaN (payload kept in the high fraction bits).
func halfToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h >> 15) << 31
    let exponent = UInt32(h >> 10) & 0x1F
    let fraction = UInt32(h) & 0x3FF
    if exponent == 0x1F {                      // infinity or NaN
        return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
    }
    if exponent == 0 {                         // zero or subnormal: fraction × 2^−24
        let magnitude = Float(fraction) * 0x1p-24
        return sign == 0 ? magnitude : -magnitude
    }
    // Normal: rebias the exponent from 15 to 127.
    return Float(bitPattern: sign | (exponent + 112) << 23 | fraction << 13)
}
