import Foundation
import TicketsEngine

/// The file formats `save` writes and `load` reads, by extension.
enum FileFormat: String {
    case csv, json, safetensors, npz, npy, svg

    init?(path: String) {
        self.init(rawValue: (path as NSString).pathExtension.lowercased())
    }
}

func fileBuiltins() -> [BuiltinGroup] {
    [BuiltinGroup("Files", [
        Builtin("save", [
            .any("value", what: "table, net, mask, snapshot, tensor, record of tensors or plot", "what to write"),
            .string("path", "the file; its extension says the format"),
        ], doc: """
        Writes a value to a file, atomically (a temporary file, then a rename: a failed
        save never leaves half a file in place of a good one).
          table              .csv (a header row) or .json (a list of records)
          net                .safetensors or .npz: PyTorch's state dict of the equivalent
                             nn.Sequential (an MLP's keys are 0.weight, 0.bias, 2.weight,
                             ...); a pruned weight as torch.nn.utils.prune keeps it,
                             N.weight_orig and N.weight_mask
          mask               .safetensors or .npz: N.weight_mask (float 0/1) per layer, for
                             prune.custom_from_mask
          snapshot           .safetensors or .npz, like a net
          tensor             .npy (or .safetensors, .npz)
          record of tensors  .safetensors or .npz, each tensor under its dotted path
                             (save(params(net), "p.npz") holds fc1.weight, ...); NumPy's
                             np.load and safetensors' load_file read it
          plot               .svg: a standalone figure
        safetensors files also carry the layer names, the net's description and its
        iteration count as metadata (.npz has no room for them). examples/interchange.md
        shows the PyTorch side.
        """) { a in
            let v = try a.value("value"), path = try a.string("path")
            guard let format = FileFormat(path: path) else {
                throw a.fail("path", "must end in a known extension (.csv, .json, .safetensors, .npz, .npy, .svg), got \(quoteString(path))")
            }
            try checkFolder(path, a)
            if case .record(let r) = v {
                guard format == .safetensors || format == .npz else {
                    throw a.fail("path", "must end in .safetensors or .npz to hold a record of tensors, got \(quoteString(path))")
                }
                let archive = try TensorRecordFiles.archive(of: r, a)
                try writeArchive(archive, format, to: path)
                a.ctx.announce("saved \(archive.entries.count) tensor\(archive.entries.count == 1 ? "" : "s") to \(path)")
                return .null
            }
            guard case .object(let o) = v else {
                throw a.fail("value", "cannot be saved: save writes tables, nets, masks, snapshots, tensors, records of tensors and plots; got \(describeBrief(v))")
            }
            switch (o, format) {
            case (let p as PlotObject, .svg): try savePlot(p, to: path, a)
            case (let t as Table, .csv): try write(Array(t.csv().utf8), to: path)
            case (let t as Table, .json): try write(Array(try t.json().utf8), to: path)
            case (let n as NetObject, .safetensors), (let n as NetObject, .npz):
                try writeArchive(try Checkpoint.archive(of: n.net), format, to: path)
            case (let m as MaskObject, .safetensors), (let m as MaskObject, .npz):
                try writeArchive(try Checkpoint.archive(of: m.mask), format, to: path)
            case (let s as SnapshotObject, .safetensors), (let s as SnapshotObject, .npz):
                try writeArchive(try Checkpoint.archive(of: s.snapshot), format, to: path)
            case (let t as TensorObject, .npy): try NPY.write(t.tensor, to: path)
            case (let t as TensorObject, .safetensors), (let t as TensorObject, .npz):
                var archive = TensorArchive()
                try archive.append(t.name, t.tensor)
                try writeArchive(archive, format, to: path)
            default:
                let formats: String
                switch o {
                case is Table: formats = ".csv or .json"
                case is NetObject, is MaskObject, is SnapshotObject: formats = ".safetensors or .npz"
                case is TensorObject: formats = ".npy, .safetensors or .npz"
                case is PlotObject: formats = ".svg"
                default: throw a.fail("value", "cannot be saved: save writes tables, nets, masks, snapshots, tensors, records of tensors and plots; got \(describeBrief(v))")
                }
                throw a.fail("path", "must end in \(formats) for \(describeBrief(v)), got \(quoteString(path))")
            }
            a.ctx.announce("saved the \(o.typeName) to \(path)")   // as :save confirms
            return .null
        },
        Builtin("load", [
            .string("path", "the file; its extension says the format"),
            .object("like", "net", what: "a net", optional: true, "a net of the file's architecture (needed when the file does not say which net it holds)"),
            .choice("as", ["auto", "tensors"], "auto", "\"tensors\": a .safetensors or .npz file's every entry as a record of tensors, nested by the dots of the names, whatever it holds"),
        ], doc: """
        Reads a file that save wrote, or one from NumPy or PyTorch:
          .csv, .json        a table
          .safetensors, .npz a net, a mask or a snapshot (the file's metadata says which;
                             a file without it is a mask when every entry is N.weight_mask,
                             else a net). A PyTorch state dict loads as a net, including a
                             pruned module's N.weight_orig and N.weight_mask (the net keeps
                             the mask); masks may be stored as float, int or bool.
          .npy               a tensor
        With as="tensors", a .safetensors or .npz file is read as plain tensors: a record
        nested by the dots of its names (fc1.weight is r.fc1.weight, 0.weight r["0"].weight),
        as params(net) is; save writes such records back. Any NumPy or safetensors file
        loads this way.
        A net's architecture comes from the file's metadata, or from its shapes when they
        are an MLP's, or from like=net. Every entry is checked: a missing or unexpected
        name, a wrong shape, a mask that is not 0/1, a truncated or altered file is an
        error naming it. Pickled PyTorch files (.pt, .pth) are not read (they can run
        code): examples/interchange.md shows the two lines of Python that convert one.
        """) { a in
            let path = try a.string("path")
            let lower = path.lowercased()
            if lower.hasSuffix(".pt") || lower.hasSuffix(".pth") || lower.hasSuffix(".bin") {
                throw a.fail("path", "is a pickled PyTorch file, which Tickets does not read (unpickling can run code); convert it: from safetensors.torch import save_file; save_file(torch.load(\(quoteString(path))), \"x.safetensors\")")
            }
            guard let format = FileFormat(path: path), format != .svg else {
                throw a.fail("path", "must end in .csv, .json, .safetensors, .npz or .npy, got \(quoteString(path))")
            }
            let like = a.has("like") ? try a.net("like") : nil
            if try a.string("as") == "tensors" {
                guard format == .safetensors || format == .npz else {
                    throw a.fail("as", "\"tensors\" reads .safetensors and .npz files, got \(quoteString(path))")
                }
                return TensorRecordFiles.record(of: format == .safetensors ? try Safetensors.read(path: path) : try NPZ.read(path: path))
            }
            switch format {
            case .csv:
                return .object(try Table.fromCSV(try readFileBytes(path), name: path))
            case .json:
                return .object(try Table.fromJSON(try readFileBytes(path), name: path))
            case .svg:
                throw a.fail("path", "is a figure; load reads data files (.csv, .json, .safetensors, .npz, .npy)")
            case .npy:
                let (t, _) = try NPY.read(path: path)
                return .object(TensorObject((path as NSString).lastPathComponent, t))
            case .safetensors, .npz:
                let archive = format == .safetensors ? try Safetensors.read(path: path) : try NPZ.read(path: path)
                switch try Checkpoint.load(archive, name: path, like: like) {
                case .net(let n):
                    let obj = NetObject(n)
                    a.ctx.announce(obj.describe())
                    return .object(obj)
                case .mask(let m):
                    if m.blueprint == nil { m.blueprint = like?.blueprint ?? inferredBlueprint(m) }
                    let obj = MaskObject(m)
                    a.ctx.announce(obj.describe())
                    return .object(obj)
                case .snapshot(let s): return .object(SnapshotObject(s))
                }
            }
        },
    ]), BuiltinGroup("Data and nets", [
        Builtin("tensor", [
            .any("x", what: "list, number, net, snapshot, mask or record", "the values (nested lists), or where the tensor lives"),
            .optionalString("key", "a parameter's name (fc1.weight, fc1.bias) or file key (0.weight); a mask's layer (fc1)"),
        ], doc: """
        A tensor from nested lists, tensor([[1, 2], [3, 4]]); or one tensor of a net, a
        snapshot, a mask or a record of tensors, to look at (shape, mean, min, max,
        nonzero, values), compute with or save as .npy: tensor(net, "fc1.weight").
        """) { a in
            guard a.has("key") else {
                switch try a.value("x") {
                case .object(let o) where !(o is TensorObject):
                    throw a.fail("key", "is needed to pick a tensor of a \(o.typeName), e.g. tensor(x, \"fc1.weight\")")
                case let v:
                    do {
                        let (t, b) = try TensorValues.literal(v)
                        return .object(TensorObject(t, bool: b))
                    } catch let e as EngineError { throw a.fail("x", e.message) }
                }
            }
            let key = try a.string("key")
            switch try a.value("x") {
            case .record:
                guard let leaf = TensorValues.leaves(try a.value("x")).first(where: { $0.path == key }) else {
                    throw a.fail("key", "names no tensor of the record; it has \(TensorValues.leaves(try a.value("x")).map(\.path).joined(separator: ", "))")
                }
                return .object(TensorObject(key, leaf.tensor, bool: leaf.bool))
            case .object(let n as NetObject):
                let net = n.net
                guard let (k, p) = net.namedParameters.first(where: { $0.key == key || net.fileKey($0.key) == key }) else {
                    throw a.fail("key", "names no parameter of the net; it has \(net.namedParameters.map(\.key).joined(separator: ", "))")
                }
                return .object(TensorObject(k, p.value.copy()))
            case .object(let s as SnapshotObject):
                let snap = s.snapshot
                guard let i = snap.entries.indices.first(where: { snap.entries[$0].key == key || snap.fileKeys[$0] == key }) else {
                    throw a.fail("key", "names no tensor of the snapshot; it has \(snap.entries.map(\.key).joined(separator: ", "))")
                }
                return .object(TensorObject(snap.entries[i].key, snap.entries[i].tensor.copy()))
            case .object(let m as MaskObject):
                guard let t = m.mask.tensor(named: key) else {
                    throw a.fail("key", "names no layer of the mask; it has \(m.mask.names.joined(separator: ", "))")
                }
                return .object(TensorObject(key, t.copy(), bool: true))
            case let v:
                throw a.fail("x", "must be a net, a snapshot or a mask, got \(describeBrief(v))")
            }
        },
    ])]
}

/// An MLP's blueprint from a mask's shapes, so a mask saved from a file can be saved
/// again with its architecture.
func inferredBlueprint(_ m: Mask) -> Blueprint? {
    let shapes = m.tensors.map(\.shape)
    guard !shapes.isEmpty, shapes.allSatisfy({ $0.count == 2 }),
          zip(shapes, shapes.dropFirst()).allSatisfy({ $0.0[0] == $0.1[1] }) else { return nil }
    return .mlp(sizes: [shapes[0][1]] + shapes.map { $0[0] })
}

func writeArchive(_ archive: TensorArchive, _ format: FileFormat, to path: String) throws {
    if format == .npz { try NPZ.write(archive, to: path) } else { try Safetensors.write(archive, to: path) }
}

func write(_ bytes: [UInt8], to path: String) throws { try writeAtomically(bytes, to: path) }

/// A clear error before any work when the file's folder is missing or the path is a folder.
func checkFolder(_ path: String, _ a: Args) throws {
    let fail = { (why: String) in TicketsError(.io, "\(a.builtin.name): cannot write \(path) (\(why))", at: a.locs["path"] ?? a.callLoc) }
    guard a.ctx.writesFiles else { throw fail("writing files is turned off in this session") }
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue { throw fail("it is a folder") }
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty && !(FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) && isDir.boolValue) {
        throw fail("no such folder \(folder)")
    }
}
