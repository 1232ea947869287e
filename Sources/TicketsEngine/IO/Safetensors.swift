/// The safetensors format (https://github.com/huggingface/safetensors), the safe way
/// PyTorch and Hugging Face exchange weights.
///
/// Byte layout:
///
///     offset 0        8 bytes   N, the header length, unsigned little-endian
///     offset 8        N bytes   the header: UTF-8 JSON, an object
///                               { "__metadata__": { "key": "text", ... },      (optional)
///                                 "0.weight": { "dtype": "F32", "shape": [300, 784],
///                                               "data_offsets": [begin, end] }, ... }
///                               padded with spaces so that 8 + N is a multiple of 8
///     offset 8 + N    the data: each tensor's elements, little-endian, row-major,
///                     at data_offsets counted from here (end exclusive)
///
/// The tensors' byte ranges must follow one another without gap or overlap from 0
/// to the end of the file, and each range must be exactly shape × dtype width long.
/// dtypes: F64 F32 F16 BF16 I64 I32 I16 I8 U64 U32 U16 U8 BOOL (F8 types are not read).
public enum Safetensors {
    /// Headers above this size are refused before they are parsed (as in the Rust reader).
    public static let maxHeaderBytes = 100_000_000

    static let dtypeNames: [ElementType: String] = [
        .f64: "F64", .f32: "F32", .f16: "F16", .bf16: "BF16",
        .i64: "I64", .i32: "I32", .i16: "I16", .i8: "I8",
        .u64: "U64", .u32: "U32", .u16: "U16", .u8: "U8", .bool: "BOOL",
    ]

    // MARK: Writing

    /// The bytes of a safetensors file holding `archive`, tensors in the archive's
    /// order. Entries typed `.u8` or `.bool` are stored as U8 / BOOL (their values
    /// must be whole numbers in range); all others as F32.
    public static func encode(_ archive: TensorArchive) throws -> [UInt8] {
        var header = "{"
        var fields: [String] = []
        if !archive.metadata.isEmpty {
            let pairs = archive.metadata.keys.sorted().map { "\(jsonQuoted($0)):\(jsonQuoted(archive.metadata[$0] ?? ""))" }
            fields.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var payloads: [[UInt8]] = []
        var offset = 0
        for entry in archive.entries {
            guard entry.name != "__metadata__" else {
                throw EngineError("a tensor cannot be named __metadata__ in a safetensors file")
            }
            let type = TensorArchive.storedType(entry)
            let payload = try type.encodeLittle(entry.tensor.data, tensorName: entry.name)
            let shape = entry.tensor.shape.map(String.init).joined(separator: ",")
            fields.append("\(jsonQuoted(entry.name)):{\"dtype\":\"\(dtypeNames[type] ?? "F32")\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + payload.count)]}")
            offset += payload.count
            payloads.append(payload)
        }
        header += fields.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        // Pad with spaces so the data starts at a multiple of 8 bytes.
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }

        var out = [UInt8]()
        out.reserveCapacity(8 + headerBytes.count + offset)
        out.appendLittle(UInt64(headerBytes.count))
        out += headerBytes
        for p in payloads { out += p }
        return out
    }

    /// Writes `archive` to `path` atomically.
    public static func write(_ archive: TensorArchive, to path: String) throws {
        try writeAtomically(try encode(archive), to: path)
    }

    // MARK: Reading

    /// Reads the safetensors file at `path`.
    public static func read(path: String) throws -> TensorArchive {
        try decode(try readFileBytes(path), name: path)
    }

    /// Parses and checks the bytes of a safetensors file; `name` is used in errors.
    /// Tensors come back in the order of their data in the file.
    public static func decode(_ bytes: [UInt8], name: String) throws -> TensorArchive {
        let view = ByteView(bytes, name: name)
        guard bytes.count >= 8 else {
            throw EngineError.io("\(name): too short to be a safetensors file (\(bytes.count) bytes; the 8-byte header length is missing)")
        }
        let declared = try view.u64(at: 0, "the header length")
        guard declared <= UInt64(maxHeaderBytes) else {
            throw EngineError.io("\(name): the header length \(declared) at byte offset 0 is above the \(maxHeaderBytes)-byte limit (not a safetensors file, or a corrupt one)")
        }
        let headerLength = Int(declared)
        guard 8 + headerLength <= bytes.count else {
            throw EngineError.io("\(name): truncated: the header length is \(headerLength) bytes but only \(bytes.count - 8) bytes follow it")
        }
        let headerBytes = Array(bytes[8..<(8 + headerLength)])
        guard headerBytes.first == UInt8(ascii: "{") else {
            throw EngineError.io("\(name): the header at byte offset 8 does not start with '{' (not a safetensors file)")
        }
        guard String(validating: headerBytes, as: UTF8.self) != nil else {
            throw EngineError.io("\(name): the header (bytes 8..<\(8 + headerLength)) is not valid UTF-8")
        }
        guard case .object(let members) = try JSONReader.parse(headerBytes, name: name, fileOffset: 8) else {
            throw EngineError.io("\(name): the header is not a JSON object")
        }

        let dataStart = 8 + headerLength
        let dataLength = bytes.count - dataStart
        var metadata: [String: String] = [:]
        var infos: [(name: String, dtype: ElementType, shape: [Int], begin: Int, end: Int)] = []
        for (key, value) in members {
            if key == "__metadata__" {
                metadata = try readMetadata(value, name: name)
                continue
            }
            let info = try readTensorInfo(key, value, name: name, dataLength: dataLength)
            infos.append((key, info.dtype, info.shape, info.begin, info.end))
        }

        // The byte ranges, in file order, must tile the data section exactly.
        infos.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var covered = 0
        for info in infos {
            if info.begin > covered {
                throw EngineError.io("\(name): a gap in the data: bytes \(covered)..<\(info.begin) (file offset \(dataStart + covered)) belong to no tensor, before '\(info.name)'")
            }
            if info.begin < covered {
                throw EngineError.io("\(name): tensor '\(info.name)' (data_offsets [\(info.begin), \(info.end)]) overlaps the tensor before it, which ends at \(covered)")
            }
            covered = info.end
        }
        guard covered == dataLength else {
            throw EngineError.io("\(name): the tensors cover \(covered) bytes of data but the file has \(dataLength) bytes after the header (\(dataLength > covered ? "extra bytes at the end" : "truncated"))")
        }

        // What the tensors become as Float32s (bytes and bools grow 4 times), summed.
        var floats = 0
        for info in infos { floats = MemoryBudget.sum(floats, MemoryBudget.product(info.shape)) }
        try MemoryBudget.check(MemoryBudget.product([floats, MemoryLayout<Float>.size]), for: "\(name): its \(infos.count) tensors as Float32", file: true)
        var archive = TensorArchive(metadata: metadata)
        for (k, info) in infos.enumerated() {
            if k & 0xFFF == 0 { try Interrupt.check("reading \(name)") }
            let count = info.shape.reduce(1, *)
            let values = try info.dtype.decode(bytes, offset: dataStart + info.begin, count: count, bigEndian: false, name: name)
            try archive.append(info.name, Tensor(shape: info.shape, data: values), as: info.dtype)
        }
        return archive
    }

    /// `__metadata__` must map strings to strings.
    private static func readMetadata(_ value: JSONValue, name: String) throws -> [String: String] {
        guard case .object(let pairs) = value else {
            throw EngineError.io("\(name): __metadata__ must be an object of strings, not \(value.kind)")
        }
        var metadata: [String: String] = [:]
        for (key, v) in pairs {
            guard case .string(let text) = v else {
                throw EngineError.io("\(name): __metadata__ entry '\(key)' must be a string, not \(v.kind)")
            }
            metadata[key] = text
        }
        return metadata
    }

    /// Checks one tensor's header entry: exactly dtype, shape and data_offsets, a
    /// known dtype, whole non-negative sizes, and a byte range that fits the data and
    /// matches shape × width.
    private static func readTensorInfo(_ tensor: String, _ value: JSONValue, name: String, dataLength: Int)
        throws -> (dtype: ElementType, shape: [Int], begin: Int, end: Int)
    {
        let what = "\(name): tensor '\(tensor)'"
        guard case .object(let fields) = value else { throw EngineError.io("\(what) must be an object, not \(value.kind)") }
        var dtypeText: String? = nil, shapeValue: JSONValue? = nil, offsetsValue: JSONValue? = nil
        for (key, v) in fields {
            switch key {
            case "dtype":
                guard case .string(let s) = v else { throw EngineError.io("\(what): dtype must be a string, not \(v.kind)") }
                dtypeText = s
            case "shape": shapeValue = v
            case "data_offsets": offsetsValue = v
            default: throw EngineError.io("\(what) has an unknown field '\(key)'")
            }
        }
        guard let dtypeText else { throw EngineError.io("\(what) has no dtype") }
        guard let shapeValue else { throw EngineError.io("\(what) has no shape") }
        guard let offsetsValue else { throw EngineError.io("\(what) has no data_offsets") }
        guard let dtype = dtypeNames.first(where: { $0.value == dtypeText })?.key else {
            throw EngineError.io("\(what) has the unsupported dtype '\(dtypeText)' (known: \(dtypeNames.values.sorted().joined(separator: " ")))")
        }
        guard case .array(let dims) = shapeValue else { throw EngineError.io("\(what): shape must be a list, not \(shapeValue.kind)") }
        var shape: [Int] = []
        for d in dims {
            guard let n = d.nonNegativeInt else { throw EngineError.io("\(what): the shape must hold whole numbers ≥ 0") }
            shape.append(n)
        }
        guard case .array(let pair) = offsetsValue, pair.count == 2,
              let begin = pair[0].nonNegativeInt, let end = pair[1].nonNegativeInt else {
            throw EngineError.io("\(what): data_offsets must be two whole numbers ≥ 0")
        }
        guard begin <= end else { throw EngineError.io("\(what): data_offsets [\(begin), \(end)] end before they begin") }
        guard end <= dataLength else {
            throw EngineError.io("\(what): data_offsets [\(begin), \(end)] run past the end of the data (\(dataLength) bytes; the file is truncated or the offsets are wrong)")
        }
        guard let expected = byteCount(shape: shape, width: dtype.width) else {
            throw EngineError.io("\(what): the shape \(shape) is impossibly large")
        }
        guard expected == end - begin else {
            throw EngineError.io("\(what): shape \(shape) of \(dtypeText) needs \(expected) bytes but data_offsets [\(begin), \(end)] give \(end - begin)")
        }
        return (dtype, shape, begin, end)
    }
}
