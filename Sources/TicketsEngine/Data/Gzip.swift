@preconcurrency import CZlib
import CDeflate

/// Inflates gzip (or zlib) data with zlib. Foundation cannot gunzip on Linux.
/// `name` is used in error messages. `declared` reads the size the inflated data's own
/// header declares from its first bytes (nil: not known yet); once known, it must fit
/// the memory budget and the output may not pass it. Without one, the budget bounds it.
public func gunzip(_ input: [UInt8], name: String, declared: ([UInt8]) -> Int? = { _ in nil }) throws -> [UInt8] {
    if let whole = inflateWhole(input) { return whole }
    var stream = z_stream()
    // 15 + 32: maximum window, and detect a gzip or zlib header automatically.
    var status = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else { throw EngineError.io("\(name): zlib could not start (code \(status))") }
    defer { inflateEnd(&stream) }

    var output = [UInt8]()
    output.reserveCapacity(min(input.count * 4, MemoryBudget.bytes))
    var limit = MemoryBudget.bytes, sizeKnown = false
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    try input.withUnsafeBufferPointer { inp in
        stream.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
        stream.avail_in = UInt32(inp.count)
        repeat {
            try Interrupt.check("inflating \(name)")
            let produced: Int = chunk.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                status = inflate(&stream, Z_NO_FLUSH)
                return out.count - Int(stream.avail_out)
            }
            switch status {
            case Z_OK, Z_STREAM_END:
                // The trailer lied or wrapped past 4 GiB (else libdeflate had inflated
                // it): what the data's header declares, or the memory budget, bounds it.
                guard output.count + produced <= limit else {
                    if sizeKnown { throw EngineError.io("\(name): the gzip data inflates to more than the \(limit) bytes its header declares") }
                    throw EngineError.io("\(name): the gzip data inflates to more than the memory budget of \(MemoryBudget.describe(MemoryBudget.bytes)) (TICKETS_MEMORY_MB sets it)")
                }
                output.append(contentsOf: chunk[0..<produced])
                if !sizeKnown, let size = declared(output) {
                    try MemoryBudget.check(size, for: "\(name): the data its header declares", file: true)
                    output.reserveCapacity(size)
                    limit = size
                    sizeKnown = true
                }
            case Z_BUF_ERROR where stream.avail_in == 0:
                throw EngineError.io("\(name): the gzip data is truncated")
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "code \(status)"
                throw EngineError.io("\(name): the gzip data is corrupt (\(reason))")
            }
            if status == Z_OK && stream.avail_in == 0 && produced == 0 {
                throw EngineError.io("\(name): the gzip data is truncated")
            }
        } while status != Z_STREAM_END
    }
    return output
}

/// A one-member gzip file inflated in one call by libdeflate, straight into an array of
/// the size its trailer states. nil for anything else — several members, trailing
/// bytes, a trailer that lies, corrupt data — which zlib's streaming path above then
/// inflates or names. The stated size is believed only up to deflate's largest ratio
/// (1,032 : 1) and the memory budget, so a forged trailer cannot ask for gigabytes.
func inflateWhole(_ input: [UInt8]) -> [UInt8]? {
    guard input.count >= 18 else { return nil }
    let n = input.count
    let stated = Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
    guard stated <= 1032 * n, stated <= MemoryBudget.bytes, let d = libdeflate_alloc_decompressor() else { return nil }
    defer { libdeflate_free_decompressor(d) }
    var ok = false
    let out = [UInt8](unsafeUninitializedCapacity: max(stated, 1)) { buf, count in
        var consumed = 0, produced = 0
        let r = input.withUnsafeBytes { inp in
            libdeflate_gzip_decompress_ex(d, inp.baseAddress, n, buf.baseAddress, stated, &consumed, &produced)
        }
        ok = r == LIBDEFLATE_SUCCESS && consumed == n && produced == stated
        count = ok ? produced : 0
    }
    return ok ? out : nil
}
