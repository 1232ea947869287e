/// Writing a zip archive of stored (uncompressed) members, for `.npz` files. The
/// byte layouts are in ZipReader.swift. Each member gets a local header, its data,
/// and a central directory entry with the same CRC-32 and sizes; the end record
/// closes the file. Times are fixed at 1980-01-01 00:00, so equal archives give
/// equal files. Archives above 4 GiB (which would need zip64) are refused.
enum ZipWriter {
    /// DOS date of 1980-01-01: (year − 1980) << 9 | month << 5 | day.
    static let dosDate: UInt16 = 0 << 9 | 1 << 5 | 1
    /// Version 2.0: the version that introduced deflate and folders; enough for stored.
    static let versionNeeded: UInt16 = 20

    static func encode(_ members: [ZipMember], name: String) throws -> [UInt8] {
        guard members.count < 0xFFFF else {
            throw EngineError("\(name): \(members.count) arrays are too many for one .npz file (65534 at most)")
        }
        var out = [UInt8]()
        out.reserveCapacity(members.reduce(22) { $0 + $1.data.count + 2 * ($1.name.utf8.count + 46) })
        var directory = [UInt8]()

        for member in members {
            let nameBytes = Array(member.name.utf8)
            guard nameBytes.count <= 0xFFFF else { throw EngineError("\(name): the name '\(member.name.prefix(40))…' is too long") }
            guard member.data.count < 0xFFFF_FFFF, out.count < 0xFFFF_FFFF - member.data.count - 30 - nameBytes.count else {
                throw EngineError("\(name): the arrays are too large for an .npz file without zip64 (4 GiB)")
            }
            // Bit 11: the name is UTF-8 (only needed, and only set, for non-ASCII names).
            let flags: UInt16 = nameBytes.allSatisfy { $0 < 0x80 } ? 0 : 1 << 11
            let crc = crc32Of(member.data[...])
            let size = UInt32(member.data.count)
            let localOffset = UInt32(out.count)

            // Local file header.
            out.appendLittle(UInt32(0x0403_4b50))
            out.appendLittle(versionNeeded)
            out.appendLittle(flags)
            out.appendLittle(UInt16(0))        // method: stored
            out.appendLittle(UInt16(0))        // time 00:00
            out.appendLittle(dosDate)
            out.appendLittle(crc)
            out.appendLittle(size)             // compressed size
            out.appendLittle(size)             // size
            out.appendLittle(UInt16(nameBytes.count))
            out.appendLittle(UInt16(0))        // extra length
            out += nameBytes
            out += member.data

            // Central directory header.
            directory.appendLittle(UInt32(0x0201_4b50))
            directory.appendLittle(UInt16(3 << 8 | 20))   // made by: Unix, version 2.0
            directory.appendLittle(versionNeeded)
            directory.appendLittle(flags)
            directory.appendLittle(UInt16(0))
            directory.appendLittle(UInt16(0))
            directory.appendLittle(dosDate)
            directory.appendLittle(crc)
            directory.appendLittle(size)
            directory.appendLittle(size)
            directory.appendLittle(UInt16(nameBytes.count))
            directory.appendLittle(UInt16(0))  // extra length
            directory.appendLittle(UInt16(0))  // comment length
            directory.appendLittle(UInt16(0))  // disk
            directory.appendLittle(UInt16(0))  // internal attributes
            directory.appendLittle(UInt32(0o100644) << 16)   // external: a regular file, rw-r--r--
            directory.appendLittle(localOffset)
            directory += nameBytes
        }

        guard out.count < 0xFFFF_FFFF - directory.count else {
            throw EngineError("\(name): the arrays are too large for an .npz file without zip64 (4 GiB)")
        }
        let directoryOffset = UInt32(out.count)
        out += directory

        // End of central directory record.
        out.appendLittle(UInt32(0x0605_4b50))
        out.appendLittle(UInt16(0))            // this disk
        out.appendLittle(UInt16(0))            // disk of the directory
        out.appendLittle(UInt16(members.count))
        out.appendLittle(UInt16(members.count))
        out.appendLittle(UInt32(directory.count))
        out.appendLittle(directoryOffset)
        out.appendLittle(UInt16(0))            // comment length
        return out
    }
}
