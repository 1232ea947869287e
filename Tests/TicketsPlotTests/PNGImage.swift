@preconcurrency import CZlib

/// A PNG file decoded to 8-bit RGBA pixels, enough to check a rendered figure: the
/// chunks are read, the IDAT data inflated with zlib and each scanline unfiltered.
/// Only what rsvg-convert writes is supported: bit depth 8, grey, RGB, grey+alpha
/// or RGBA, not interlaced.
struct PNGImage {
    let width: Int
    let height: Int
    /// width × height × 4 bytes, row by row.
    let rgba: [UInt8]

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(_ bytes: [UInt8]) throws {
        let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]
        guard bytes.count > 8, Array(bytes[0..<8]) == signature else { throw Failure(description: "not a PNG file") }
        func u32(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        var offset = 8, header: [UInt8] = [], compressed: [UInt8] = []
        while offset + 8 <= bytes.count {
            let length = u32(offset)
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            guard offset + 12 + length <= bytes.count else { throw Failure(description: "truncated chunk \(type)") }
            let data = Array(bytes[(offset + 8)..<(offset + 8 + length)])
            if type == "IHDR" { header = data }
            if type == "IDAT" { compressed += data }
            if type == "IEND" { break }
            offset += 12 + length
        }
        guard header.count == 13 else { throw Failure(description: "no IHDR chunk") }
        let w = header[0..<4].reduce(0) { $0 << 8 | Int($1) }, h = header[4..<8].reduce(0) { $0 << 8 | Int($1) }
        let depth = header[8], colorType = header[9], interlace = header[12]
        let channelsByType: [UInt8: Int] = [0: 1, 2: 3, 4: 2, 6: 4]
        guard depth == 8, interlace == 0, let channels = channelsByType[colorType] else {
            throw Failure(description: "unsupported PNG: depth \(depth), colour type \(colorType), interlace \(interlace)")
        }
        let stride = w * channels
        let raw = try PNGImage.inflate(compressed, expected: h * (stride + 1))
        guard raw.count == h * (stride + 1) else { throw Failure(description: "image data has \(raw.count) bytes, expected \(h * (stride + 1))") }

        var pixels = [UInt8](repeating: 0, count: h * stride)
        for y in 0..<h {
            let filter = raw[y * (stride + 1)]
            for x in 0..<stride {
                let value = Int(raw[y * (stride + 1) + 1 + x])
                let a = x >= channels ? Int(pixels[y * stride + x - channels]) : 0
                let b = y > 0 ? Int(pixels[(y - 1) * stride + x]) : 0
                let c = x >= channels && y > 0 ? Int(pixels[(y - 1) * stride + x - channels]) : 0
                let predicted: Int
                switch filter {
                case 0: predicted = 0
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predicted = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: throw Failure(description: "bad filter type \(filter) on row \(y)")
                }
                pixels[y * stride + x] = UInt8((value + predicted) & 0xFF)
            }
        }
        var rgba = [UInt8](repeating: 255, count: w * h * 4)
        for i in 0..<(w * h) {
            let p = Array(pixels[(i * channels)..<(i * channels + channels)])
            switch channels {
            case 1: rgba[i * 4] = p[0]; rgba[i * 4 + 1] = p[0]; rgba[i * 4 + 2] = p[0]
            case 2: rgba[i * 4] = p[0]; rgba[i * 4 + 1] = p[0]; rgba[i * 4 + 2] = p[0]; rgba[i * 4 + 3] = p[1]
            case 3: rgba[i * 4] = p[0]; rgba[i * 4 + 1] = p[1]; rgba[i * 4 + 2] = p[2]
            default: for k in 0..<4 { rgba[i * 4 + k] = p[k] }
            }
        }
        width = w
        height = h
        self.rgba = rgba
    }

    /// The pixel at (x, y) as (r, g, b, a).
    func pixel(_ x: Int, _ y: Int) -> (r: UInt8, g: UInt8, b: UInt8, a: UInt8) {
        let i = (y * width + x) * 4
        return (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3])
    }

    /// zlib-inflates `data`, whose result should be `expected` bytes long.
    static func inflate(_ data: [UInt8], expected: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(description: "zlib would not start")
        }
        defer { inflateEnd(&stream) }
        var input = data
        var output = [UInt8](repeating: 0, count: expected + 1)
        let status: Int32 = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = UInt32(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(outBuffer.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw Failure(description: "zlib inflate failed with status \(status)") }
        return Array(output[0..<Int(stream.total_out)])
    }
}
