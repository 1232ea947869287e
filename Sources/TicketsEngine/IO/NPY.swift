/// NumPy's `.npy` format: one array per file (what `np.save` writes and `np.load`
/// reads). Spec: numpy/lib/format.py ("NEP 1").
///
/// Byte layout:
///
///     offset 0   6 bytes   magic "\x93NUMPY"
///     offset 6   1 byte    major version (1, 2 or 3)
///     offset 7   1 byte    minor version (0)
///     offset 8   2 bytes   H, the header length, little-endian (version 1)
///                4 bytes   H, little-endian (versions 2 and 3)
///     then       H bytes   a Python dict literal, ASCII (v1, v2) or UTF-8 (v3):
///                          {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
///                          padded with spaces and ended by '\n' so the data starts
///                          at a multiple of 64 bytes
///     then       the data: shape's product elements of type descr, row-major
///                (column-major if fortran_order is True), nothing after
///
/// descr: byte order '<' little, '>' big, '|' or '=' not applicable/native, then
/// f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1. Shape () is a scalar.
public enum NPY {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    static let typeCodes: [String: ElementType] = [
        "f2": .f16, "f4": .f32, "f8": .f64,
        "i1": .i8, "i2": .i16, "i4": .i32, "i8": .i64,
        "u1": .u8, "u2": .u16, "u4": .u32, "u8": .u64,
        "b1": .bool,
    ]

    // MARK: Writing

    /// The bytes of a version 1.0 `.npy` file holding `tensor` as `dtype`
    /// (`.f32` → '<f4', `.u8` → '|u1', `.bool` → '|b1'; other types are written as f32).
    public static func encode(_ tensor: Tensor, as dtype: ElementType = .f32, name: String = "array") throws -> [UInt8] {
        let type = ElementType.writable.contains(dtype) ? dtype : .f32
        let descr = type == .f32 ? "<f4" : type == .u8 ? "|u1" : "|b1"
        let shape: String
        switch tensor.shape.count {
        case 0: shape = "()"
        case 1: shape = "(\(tensor.shape[0]),)"          // Python's one-element tuple
        default: shape = "(" + tensor.shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }".utf8)
        // 10 bytes of preamble + header + '\n' must be a multiple of 64.
        let total = 10 + header.count + 1
        let padded = (total + 63) / 64 * 64
        header += [UInt8](repeating: 0x20, count: padded - total) + [0x0A]
        guard header.count <= Int(UInt16.max) else {
            throw EngineError("\(name): the shape \(tensor.shape) is too long for an .npy header")
        }

        var out = magic + [1, 0]
        out.appendLittle(UInt16(header.count))
        out += header
        out += try type.encodeLittle(tensor.data, tensorName: name)
        return out
    }

    /// Writes `tensor` to `path` atomically as a version 1.0 `.npy` file.
    public static func write(_ tensor: Tensor, as dtype: ElementType = .f32, to path: String) throws {
        try writeAtomically(try encode(tensor, as: dtype, name: path), to: path)
    }

    // MARK: Reading

    /// Reads the `.npy` file at `path`: the array as Float32 and its stored type.
    public static func read(path: String) throws -> (tensor: Tensor, dtype: ElementType) {
        try decode(try readFileBytes(path), name: path)
    }

    /// Parses and checks the bytes of an `.npy` file; `name` is used in errors.
    /// Fortran-ordered arrays are transposed to row-major.
    public static func decode(_ bytes: [UInt8], name: String) throws -> (tensor: Tensor, dtype: ElementType) {
        let view = ByteView(bytes, name: name)
        guard bytes.count >= 8, Array(bytes[0..<6]) == magic else {
            throw EngineError.io("\(name): not an .npy file (it does not start with \\x93NUMPY)")
        }
        let major = bytes[6], minor = bytes[7]
        let lengthField: Int
        switch (major, minor) {
        case (1, 0): lengthField = 2
        case (2, 0), (3, 0): lengthField = 4
        default: throw EngineError.io("\(name): unsupported .npy format version \(major).\(minor) (1.0, 2.0 and 3.0 are read)")
        }
        let headerLength = lengthField == 2
            ? Int(try view.u16(at: 8, "the header length"))
            : try checkedInt(UInt64(try view.u32(at: 8, "the header length")), name: name, "the header length")
        let headerStart = 8 + lengthField
        let headerBytes = Array(try view.slice(headerStart, headerLength, "the .npy header"))
        guard let headerText = String(validating: headerBytes, as: UTF8.self) else {
            throw EngineError.io("\(name): the .npy header is not \(major == 3 ? "UTF-8" : "ASCII") text")
        }
        let header = try NPYHeader.parse(headerText, name: name)

        guard let type = elementType(header.descr) else {
            throw EngineError.io("\(name): unsupported array type '\(header.descr)' (numeric types f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1 are read)")
        }
        let bigEndian = header.descr.hasPrefix(">")
        let dataStart = headerStart + headerLength
        let dataLength = bytes.count - dataStart
        guard let expected = byteCount(shape: header.shape, width: type.width) else {
            throw EngineError.io("\(name): the shape \(header.shape) is impossibly large")
        }
        guard expected <= dataLength else {
            throw EngineError.io("\(name): truncated: shape \(header.shape) of '\(header.descr)' needs \(expected) bytes of data from byte offset \(dataStart) but the file has \(dataLength)")
        }
        guard expected == dataLength else {
            throw EngineError.io("\(name): \(dataLength - expected) unexpected bytes after the data, at byte offset \(dataStart + expected)")
        }
        let count = header.shape.reduce(1, *)
        try MemoryBudget.check(MemoryBudget.product([count, MemoryLayout<Float>.size]), for: "\(name): the array of \(count) numbers", file: true)
        var values = try type.decode(bytes, offset: dataStart, count: count, bigEndian: bigEndian, name: name)
        if header.fortranOrder && header.shape.count > 1 {
            values = columnToRowMajor(values, shape: header.shape)
        }
        return (Tensor(shape: header.shape, data: values), type)
    }

    /// The element type of a descr such as '<f4', '>i8', '|u1', or nil.
    /// One-byte types accept any byte-order mark; wider ones need '<', '>' or '='.
    static func elementType(_ descr: String) -> ElementType? {
        guard descr.count == 3, let order = descr.first, "<>|=".contains(order),
              let type = typeCodes[String(descr.dropFirst())] else { return nil }
        if type.width > 1 && order == "|" { return nil }
        return type
    }

    /// Reorders a column-major array (first index fastest) into row-major order
    /// (last index fastest). `shape` is the array's logical shape.
    static func columnToRowMajor(_ values: [Float], shape: [Int]) -> [Float] {
        let rank = shape.count
        // Column-major strides: stride[0] = 1, stride[k] = stride[k−1] × shape[k−1].
        var strides = [Int](repeating: 1, count: rank)
        for k in 1..<rank { strides[k] = strides[k - 1] * shape[k - 1] }
        var out = [Float](repeating: 0, count: values.count)
        var index = [Int](repeating: 0, count: rank)   // the row-major odometer
        var source = 0
        for i in 0..<values.count {
            out[i] = values[source]
            // Advance the last index; carry into earlier ones.
            var k = rank - 1
            while k >= 0 {
                index[k] += 1
                source += strides[k]
                if index[k] < shape[k] { break }
                source -= strides[k] * shape[k]
                index[k] = 0
                k -= 1
            }
        }
        return out
    }
}
