@preconcurrency import CZlib

/// The two zlib services a zip file needs: CRC-32 and raw inflate.

/// The CRC-32 (IEEE 802.3 polynomial, as zip and gzip use) of `bytes`, by zlib.
func crc32Of(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc = crc32(0, nil, 0)
    bytes.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        // zlib takes 32-bit lengths: feed large inputs in 1 GiB pieces.
        var done = 0
        while done < buffer.count {
            let piece = min(buffer.count - done, 1 << 30)
            crc = crc32(crc, base + done, uInt(piece))
            done += piece
        }
    }
    return UInt32(truncatingIfNeeded: crc)
}

/// Inflates a raw deflate stream (no zlib or gzip wrapper: windowBits −15, as zip
/// stores it) that must expand to exactly `size` bytes. `name` is used in errors.
/// The output buffer is allocated from `size`, so the caller bounds `size` first.
func inflateRaw(_ input: ArraySlice<UInt8>, size: Int, name: String) throws -> [UInt8] {
    guard input.count <= Int(UInt32.max), size < Int(UInt32.max) else {
        throw EngineError.io("\(name): the member is too large to inflate (over 4 GiB)")
    }
    var stream = z_stream()
    var status = inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else { throw EngineError.io("\(name): zlib could not start (code \(status))") }
    defer { inflateEnd(&stream) }

    // One byte more than declared, to notice a stream that expands to more.
    var output = [UInt8](repeating: 0, count: size + 1)
    var input = Array(input)
    input.append(0)   // never empty, so its base address exists
    let produced: Int = input.withUnsafeMutableBufferPointer { inp in
        output.withUnsafeMutableBufferPointer { out in
            stream.next_in = inp.baseAddress
            stream.avail_in = UInt32(inp.count - 1)
            stream.next_out = out.baseAddress
            stream.avail_out = UInt32(out.count)
            repeat {
                status = inflate(&stream, Z_NO_FLUSH)
            } while status == Z_OK && stream.avail_in > 0 && stream.avail_out > 0
            return out.count - Int(stream.avail_out)
        }
    }
    switch status {
    case Z_STREAM_END where produced == size:
        output.removeLast()
        return output
    case Z_STREAM_END:
        throw EngineError.io("\(name): the compressed data expands to \(produced) bytes but the zip directory says \(size)")
    case Z_OK, Z_BUF_ERROR:
        if produced > size {
            throw EngineError.io("\(name): the compressed data expands to more than the \(size) bytes the zip directory says")
        }
        throw EngineError.io("\(name): the compressed data is truncated")
    default:
        let reason = stream.msg.map { String(cString: $0) } ?? "code \(status)"
        throw EngineError.io("\(name): the compressed data is corrupt (\(reason))")
    }
}
