/// A named list of tensors with string metadata: what a checkpoint, a mask file or a
/// PyTorch `state_dict` holds, independent of the file format. The formats in IO/
/// (safetensors, `.npz`, `.npy`) read into and write from this one type.
///
/// Names are PyTorch `state_dict` keys (`0.weight`, `0.weight_mask`) and keep the
/// order they were added in; a name appears at most once.
///
///     var archive = TensorArchive()
///     try archive.append("0.weight", w)
///     try archive.append("0.weight_mask", mask, as: .bool)
///     archive.metadata["format"] = "pt"
///     try Safetensors.write(archive, to: "ticket.safetensors")
public struct TensorArchive {
    public struct Entry {
        public var name: String
        public var tensor: Tensor
        /// The element type the tensor was read as, or will be written as. Writers
        /// store `.u8` and `.bool` as such and every other type as `.f32`.
        public var dtype: ElementType

        public init(name: String, tensor: Tensor, dtype: ElementType = .f32) {
            self.name = name; self.tensor = tensor; self.dtype = dtype
        }
    }

    public private(set) var entries: [Entry]
    /// Where each name sits in `entries`: lookups stay fast for 200,000 tensors.
    private var positions: [String: Int] = [:]
    /// Free-form text (safetensors `__metadata__`). `.npz` and `.npy` have no place
    /// for it: their writers drop it and their readers leave it empty.
    public var metadata: [String: String]

    public init(metadata: [String: String] = [:]) {
        self.entries = []; self.metadata = metadata
    }

    /// An archive of `entries`, in that order; a repeated name is an error.
    public init(entries: [Entry], metadata: [String: String] = [:]) throws {
        self.init(metadata: metadata)
        for e in entries { try append(e.name, e.tensor, as: e.dtype) }
    }

    public var names: [String] { entries.map(\.name) }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// The tensor named `name`, if any.
    public subscript(name: String) -> Tensor? {
        positions[name].map { entries[$0].tensor }
    }

    /// The entry named `name`, if any.
    public func entry(_ name: String) -> Entry? {
        positions[name].map { entries[$0] }
    }

    /// Adds a tensor at the end. Throws if the name is empty or already present.
    public mutating func append(_ name: String, _ tensor: Tensor, as dtype: ElementType = .f32) throws {
        guard !name.isEmpty else { throw EngineError("a tensor in an archive needs a name") }
        guard positions[name] == nil else {
            throw EngineError("the archive already holds a tensor named '\(name)'")
        }
        positions[name] = entries.count
        entries.append(Entry(name: name, tensor: tensor, dtype: dtype))
    }

    /// The type a writer stores `entry` as: its own type if writable, else f32.
    static func storedType(_ entry: Entry) -> ElementType {
        ElementType.writable.contains(entry.dtype) ? entry.dtype : .f32
    }
}
