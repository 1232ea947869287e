/// NumPy's `.npz` format (what `np.savez` / `np.savez_compressed` write and
/// `np.load` reads): a zip archive whose members are `.npy` files, one per array,
/// named `<key>.npy`. The key is the array's name in the archive (`0.weight`).
///
///     [local header "0.weight.npy"][.npy bytes] [local header "0.bias.npy"][.npy bytes]
///     ... [central directory] [end record]            (layouts in ZipReader.swift)
///
/// Writing stores members uncompressed; reading accepts stored or deflated members.
/// `.npz` has no place for free-form metadata: `TensorArchive.metadata` is not written
/// and comes back empty.
public enum NPZ {
    /// The bytes of an `.npz` file holding `archive`'s tensors in its order.
    public static func encode(_ archive: TensorArchive, name: String = "archive.npz") throws -> [UInt8] {
        var members: [ZipMember] = []
        for entry in archive.entries {
            let npy = try NPY.encode(entry.tensor, as: TensorArchive.storedType(entry), name: entry.name)
            members.append(ZipMember(name: entry.name + ".npy", data: npy))
        }
        return try ZipWriter.encode(members, name: name)
    }

    /// Writes `archive` to `path` atomically.
    public static func write(_ archive: TensorArchive, to path: String) throws {
        try writeAtomically(try encode(archive, name: path), to: path)
    }

    /// Reads the `.npz` file at `path`.
    public static func read(path: String) throws -> TensorArchive {
        try decode(try readFileBytes(path), name: path)
    }

    /// Parses and checks the bytes of an `.npz` file; `name` is used in errors.
    /// Arrays come back in the order of the zip directory (the order they were saved).
    public static func decode(_ bytes: [UInt8], name: String) throws -> TensorArchive {
        var archive = TensorArchive()
        // Each member's bytes stay until every one is decoded, and each becomes up to
        // 4 times as many bytes of Float32 (uint8 and bool arrays): 5 bytes a byte,
        // summed over the members, checked before each is inflated.
        var total = 0
        let members = try ZipReader.read(bytes, name: name) { member, size in
            total = MemoryBudget.sum(total, MemoryBudget.product([size, 1 + MemoryLayout<Float>.size]))
            try MemoryBudget.check(total, for: "\(name): its members up to '\(member)', inflated and read as Float32,", file: true)
        }
        for member in members {
            try Interrupt.check("reading \(name)")
            guard member.name.hasSuffix(".npy"), member.name.count > 4 else {
                throw EngineError.io("\(name): member '\(member.name)' is not an .npy array")
            }
            let key = String(member.name.dropLast(4))
            let (tensor, dtype) = try NPY.decode(member.data, name: "\(name): member '\(member.name)'")
            try archive.append(key, tensor, as: dtype)
        }
        return archive
    }
}
