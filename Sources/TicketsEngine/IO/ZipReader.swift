/// Reading a zip archive (PKWARE APPNOTE 6.3) through its central directory, for
/// `.npz` files. Members may be stored (method 0) or deflated (method 8); zip64
/// records and extra fields, which NumPy writes, are understood. Encrypted,
/// multi-disk and otherwise compressed archives are reported as unsupported.
///
/// Byte layouts (all integers little-endian):
///
///     end of central directory (EOCD), 22 bytes + comment, at the end of the file:
///       0 signature 0x06054b50   4 disk u16   6 disk of directory u16
///       8 entries here u16   10 entries u16   12 directory size u32
///       16 directory offset u32   20 comment length u16   22 comment
///     zip64 EOCD locator, 20 bytes, just before the EOCD when present:
///       0 signature 0x07064b50   4 disk u32   8 zip64 EOCD offset u64   16 disks u32
///     zip64 EOCD record, 56 bytes or more:
///       0 signature 0x06064b50   4 record size u64   12 made by u16   14 needed u16
///       16 disk u32   20 disk of directory u32   24 entries here u64
///       32 entries u64   40 directory size u64   48 directory offset u64
///     central directory header, 46 bytes + name + extra + comment, one per member:
///       0 signature 0x02014b50   4 made by u16   6 needed u16   8 flags u16
///       10 method u16   12 time u16   14 date u16   16 CRC-32 u32
///       20 compressed size u32   24 size u32   28 name length u16
///       30 extra length u16   32 comment length u16   34 disk u16
///       36 internal attributes u16   38 external attributes u32
///       42 local header offset u32   46 name, extra, comment
///     local file header, 30 bytes + name + extra, then the member's data:
///       0 signature 0x04034b50   4 needed u16   6 flags u16   8 method u16
///       10 time u16   12 date u16   14 CRC-32 u32   18 compressed size u32
///       22 size u32   26 name length u16   28 extra length u16   30 name, extra
///     zip64 extra field (tag 0x0001) inside "extra": the u64 size, u64 compressed
///       size and u64 local header offset, each present only if its 32-bit field
///       above is 0xFFFFFFFF, in that order.
struct ZipMember {
    var name: String
    var data: [UInt8]
}

enum ZipReader {
    /// Deflate expands at most 1032 : 1; a larger declared size is a corrupt file,
    /// refused before any memory is allocated for it.
    static let maxDeflateRatio = 1032

    /// The members of the zip archive `bytes`, in directory order, each checked
    /// against its CRC-32. `name` (the file's path) is used in errors.
    /// `reserve` is told each member's size before it is inflated or copied, so a
    /// caller can refuse an archive whose members, summed, would pass a budget.
    static func read(_ bytes: [UInt8], name: String, reserve: (_ member: String, _ size: Int) throws -> Void = { _, _ in }) throws -> [ZipMember] {
        let view = ByteView(bytes, name: name)
        let (eocd, entryCount, directorySize, directoryOffset) = try findDirectory(view)
        guard directoryOffset <= eocd, directorySize <= eocd - directoryOffset else {
            throw EngineError.io("\(name): the zip central directory (offset \(directoryOffset), \(directorySize) bytes) does not fit before the end record at byte offset \(eocd)")
        }
        // Each directory header takes at least 46 bytes: bounds the count before looping.
        guard entryCount <= directorySize / 46 else {
            throw EngineError.io("\(name): the zip end record claims \(entryCount) members but the directory has room for at most \(directorySize / 46)")
        }

        var members: [ZipMember] = []
        var names = Set<String>()
        var spans: [(begin: Int, end: Int, member: String)] = []
        var at = directoryOffset
        for index in 0..<entryCount {
            let what = "zip directory entry \(index + 1)"
            guard try view.u32(at: at, what) == 0x0201_4b50 else {
                throw EngineError.io("\(name): \(what) at byte offset \(at) has a bad signature (the central directory is corrupt)")
            }
            let flags = try view.u16(at: at + 8, what)
            let method = try view.u16(at: at + 10, what)
            let crc = try view.u32(at: at + 16, what)
            var compressed = UInt64(try view.u32(at: at + 20, what))
            var size = UInt64(try view.u32(at: at + 24, what))
            let nameLength = Int(try view.u16(at: at + 28, what))
            let extraLength = Int(try view.u16(at: at + 30, what))
            let commentLength = Int(try view.u16(at: at + 32, what))
            var localOffset = UInt64(try view.u32(at: at + 42, what))
            let nameBytes = Array(try view.slice(at + 46, nameLength, "the name in \(what)"))
            let extra = ByteView(Array(try view.slice(at + 46 + nameLength, extraLength, "the extra field in \(what)")), name: name)
            at += 46 + nameLength + extraLength + commentLength
            guard at <= directoryOffset + directorySize else {
                throw EngineError.io("\(name): \(what) runs past the end of the central directory")
            }

            guard let memberName = String(validating: nameBytes, as: UTF8.self) else {
                throw EngineError.io("\(name): \(what) has a name that is not UTF-8")
            }
            let label = "\(name): member '\(memberName)'"
            guard names.insert(memberName).inserted else { throw EngineError.io("\(label) appears twice") }
            guard flags & 1 == 0 else { throw EngineError.io("\(label) is encrypted") }
            guard method == 0 || method == 8 else {
                throw EngineError.io("\(label) uses compression method \(method) (only 0, stored, and 8, deflated, are read)")
            }
            try applyZip64(extra, size: &size, compressed: &compressed, offset: &localOffset, label: label)

            // The local header repeats the name; the data follows it.
            let local = try checkedInt(localOffset, name: name, "the local header offset of '\(memberName)'")
            let compressedCount = try checkedInt(compressed, name: name, "the compressed size of '\(memberName)'")
            let sizeCount = try checkedInt(size, name: name, "the size of '\(memberName)'")
            guard local <= directoryOffset, try view.u32(at: local, "the local header of '\(memberName)'") == 0x0403_4b50 else {
                throw EngineError.io("\(label): no local header at byte offset \(local)")
            }
            let localName = Int(try view.u16(at: local + 26, "the local header of '\(memberName)'"))
            let localExtra = Int(try view.u16(at: local + 28, "the local header of '\(memberName)'"))
            let dataStart = local + 30 + localName + localExtra
            guard dataStart <= directoryOffset, compressedCount <= directoryOffset - dataStart else {
                throw EngineError.io("\(label): its \(compressedCount) bytes of data at byte offset \(dataStart) run into the central directory (truncated or corrupt)")
            }
            spans.append((local, dataStart + compressedCount, memberName))
            let stored = bytes[dataStart..<(dataStart + compressedCount)]

            let data: [UInt8]
            if method == 0 {
                guard compressedCount == sizeCount else {
                    throw EngineError.io("\(label) is stored uncompressed but its sizes differ (\(compressedCount) and \(sizeCount) bytes)")
                }
                try reserve(memberName, sizeCount)
                data = Array(stored)
            } else {
                guard sizeCount / maxDeflateRatio <= compressedCount else {
                    throw EngineError.io("\(label) claims \(sizeCount) bytes from \(compressedCount) compressed bytes, more than deflate can produce")
                }
                try reserve(memberName, sizeCount)
                data = try inflateRaw(stored, size: sizeCount, name: "\(name): member '\(memberName)'")
            }
            let actual = crc32Of(data[...])
            guard actual == crc else {
                throw EngineError.io("\(label) fails its CRC-32 check (stored \(hex(crc)), computed \(hex(actual))): the data is corrupt")
            }
            members.append(ZipMember(name: memberName, data: data))
        }

        // Members must not share bytes (a zip bomb's trick).
        spans.sort { $0.begin < $1.begin }
        for k in spans.indices.dropFirst() where spans[k].begin < spans[k - 1].end {
            throw EngineError.io("\(name): members '\(spans[k - 1].member)' and '\(spans[k].member)' overlap")
        }
        return members
    }

    /// Locates the end record (and the zip64 record when present) and returns the
    /// end record's offset, the member count, and the central directory's size and
    /// offset.
    private static func findDirectory(_ view: ByteView) throws -> (eocd: Int, count: Int, size: Int, offset: Int) {
        let name = view.name
        guard view.count >= 22 else {
            throw EngineError.io("\(name): too short to be a zip (.npz) file (\(view.count) bytes)")
        }
        // The end record is the last 22 bytes, unless a comment (≤ 65535 bytes) follows it.
        var eocd = -1
        var candidate = view.count - 22
        while candidate >= max(0, view.count - 22 - 65535) {
            if try view.u32(at: candidate, "the zip end record") == 0x0605_4b50,
               Int(try view.u16(at: candidate + 20, "the zip end record")) == view.count - candidate - 22 {
                eocd = candidate
                break
            }
            candidate -= 1
        }
        guard eocd >= 0 else {
            throw EngineError.io("\(name): no zip end record (not a zip or .npz file, or truncated)")
        }
        let what = "the zip end record"
        guard try view.u16(at: eocd + 4, what) == 0, try view.u16(at: eocd + 6, what) == 0 else {
            throw EngineError.io("\(name): a multi-disk zip archive is not supported")
        }
        var count = UInt64(try view.u16(at: eocd + 10, what))
        var size = UInt64(try view.u32(at: eocd + 12, what))
        var offset = UInt64(try view.u32(at: eocd + 16, what))
        var end = eocd

        // Zip64: a locator just before the end record points at the zip64 record.
        if eocd >= 20, try view.u32(at: eocd - 20, "the zip64 locator") == 0x0706_4b50 {
            let recordOffset = try checkedInt(try view.u64(at: eocd - 12, "the zip64 locator"), name: name, "the zip64 record offset")
            let what64 = "the zip64 end record"
            guard recordOffset <= eocd - 20 - 56, try view.u32(at: recordOffset, what64) == 0x0606_4b50 else {
                throw EngineError.io("\(name): the zip64 locator points to byte offset \(recordOffset), where there is no zip64 end record")
            }
            guard try view.u32(at: recordOffset + 16, what64) == 0, try view.u32(at: recordOffset + 20, what64) == 0 else {
                throw EngineError.io("\(name): a multi-disk zip archive is not supported")
            }
            count = try view.u64(at: recordOffset + 32, what64)
            size = try view.u64(at: recordOffset + 40, what64)
            offset = try view.u64(at: recordOffset + 48, what64)
            end = recordOffset
        }
        return (end,
                try checkedInt(count, name: name, "the zip member count"),
                try checkedInt(size, name: name, "the zip directory size"),
                try checkedInt(offset, name: name, "the zip directory offset"))
    }

    /// Replaces saturated 32-bit fields by the 64-bit values of a zip64 extra field.
    private static func applyZip64(_ extra: ByteView, size: inout UInt64, compressed: inout UInt64,
                                   offset: inout UInt64, label: String) throws {
        var at = 0
        while at + 4 <= extra.count {
            let tag = try extra.u16(at: at, "an extra field")
            let length = Int(try extra.u16(at: at + 2, "an extra field"))
            try extra.require(at + 4, length, "an extra field of \(label)")
            if tag == 0x0001 {
                var field = at + 4
                let fieldEnd = at + 4 + length
                for target in [0, 1, 2] {
                    let saturated = target == 0 ? size == 0xFFFF_FFFF : target == 1 ? compressed == 0xFFFF_FFFF : offset == 0xFFFF_FFFF
                    guard saturated else { continue }
                    guard field + 8 <= fieldEnd else { throw EngineError.io("\(label): its zip64 extra field is too short") }
                    let value = try extra.u64(at: field, "the zip64 extra field")
                    if target == 0 { size = value } else if target == 1 { compressed = value } else { offset = value }
                    field += 8
                }
            }
            at += 4 + length
        }
    }

    private static func hex(_ v: UInt32) -> String {
        let digits = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
