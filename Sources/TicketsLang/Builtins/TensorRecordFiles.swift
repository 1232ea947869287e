import TicketsEngine

/// Records of tensors in files: `save(record, "x.npz")` writes every tensor of a
/// (nested) record under its dotted path, `load("x.npz", as="tensors")` reads any
/// .npz or .safetensors file back as such a record, nested by the dots of its names,
/// as params(net) is. NumPy's np.savez and safetensors' save_file read and write the
/// same files.
enum TensorRecordFiles {
    /// The archive of a record whose leaves are all tensors, named by their paths
    /// ("fc1.weight"); a leaf of another type is an error naming its path.
    static func archive(of record: RecordRef, _ a: Args) throws -> TensorArchive {
        var archive = TensorArchive()
        func walk(_ r: RecordRef, _ prefix: String) throws {
            for (key, value) in r.fields {
                let path = prefix.isEmpty ? key : prefix + "." + key
                switch value {
                case .record(let inner): try walk(inner, path)
                case .object(let t as TensorObject):
                    try archive.append(path, t.tensor, as: t.isBool ? .bool : .f32)
                default:
                    throw a.fail("value", "is a record that saves as tensors, but its field \(path) is \(describeBrief(value)); every field must be a tensor or a record of tensors")
                }
            }
        }
        try walk(record, "")
        guard !archive.entries.isEmpty else { throw a.fail("value", "is an empty record: there are no tensors to save") }
        return archive
    }

    /// Every entry of an archive as a record nested by the dots of its names.
    static func record(of archive: TensorArchive) -> Value {
        nestedRecord(archive.entries.map { ($0.name, $0.tensor) })
    }
}
