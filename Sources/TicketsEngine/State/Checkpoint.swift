import Foundation

/// Nets, masks and snapshots as named tensors in files (safetensors, .npz), named as
/// PyTorch names the state dict of the equivalent nn.Sequential (see
/// `Network.fileKey`: an MLP's keys are 0.weight, 0.bias, 2.weight, ...), so that a
/// file moves between Tickets and PyTorch either way:
/// - a net: every parameter and buffer; a masked weight as torch.nn.utils.prune leaves
///   it in a pruned module's state dict, `N.weight_orig` (the weight) and
///   `N.weight_mask` (float 0/1);
/// - a mask: `N.weight_mask` for each prunable layer, which `prune.custom_from_mask`
///   takes unchanged;
/// - a snapshot: like a net's plain state dict.
/// Metadata (string → string, safetensors only) records the kind, the layer names users
/// see, the net's blueprint and its iteration count.
public enum Checkpoint {
    public enum Kind: String, Sendable { case net, mask, snapshot }

    /// What a file held, as the engine's objects.
    public enum Loaded {
        case net(Network)
        case mask(Mask)
        case snapshot(Snapshot)
    }

    // MARK: writing

    public static func archive(of net: Network) throws -> TensorArchive {
        var a = TensorArchive(metadata: metadata(.net, net: net))
        for (key, p) in net.namedParameters {
            let fk = net.fileKey(key)
            if let m = p.mask {
                try a.append(fk + "_orig", p.value.copy())
                try a.append(fk + "_mask", m.copy())
            } else {
                try a.append(fk, p.value.copy())
            }
        }
        // PyTorch's batch norm keeps a count of batches in its state dict, and a strict
        // load_state_dict wants it; Tickets has none, so it writes 0.
        for (path, layer) in net.allLayers where layer.kind == "batchnorm" {
            try a.append(net.fileKey(path + ".num_batches_tracked"), Tensor(shape: [], data: [0]))
        }
        a.metadata["tickets.names"] = namesJSON(net.namedParameters.map { (net.fileKey($0.key), $0.key) })
        return a
    }

    public static func archive(of mask: Mask) throws -> TensorArchive {
        var a = TensorArchive(metadata: ["tickets.kind": Kind.mask.rawValue, "tickets.version": version,
                                         "tickets.layers": mask.names.joined(separator: ",")])
        if let b = mask.blueprint { a.metadata["tickets.blueprint"] = b.json }
        for (fk, t) in zip(mask.fileKeys, mask.tensors) { try a.append(fk + "_mask", t.copy()) }
        a.metadata["tickets.names"] = namesJSON(zip(mask.fileKeys, mask.names).map { ($0 + "_mask", $1) })
        return a
    }

    public static func archive(of snapshot: Snapshot) throws -> TensorArchive {
        var a = TensorArchive(metadata: ["tickets.kind": Kind.snapshot.rawValue, "tickets.version": version,
                                         "tickets.step": String(snapshot.step),
                                         "tickets.layers": snapshot.layerNames.joined(separator: ",")])
        if let b = snapshot.blueprint { a.metadata["tickets.blueprint"] = b.json }
        for (fk, e) in zip(snapshot.fileKeys, snapshot.entries) { try a.append(fk, e.tensor.copy()) }
        a.metadata["tickets.names"] = namesJSON(zip(snapshot.fileKeys, snapshot.entries.map(\.key)).map { ($0, $1) })
        return a
    }

    static let version = "0.1"

    static func metadata(_ kind: Kind, net: Network) -> [String: String] {
        var m = ["tickets.kind": kind.rawValue, "tickets.version": version, "tickets.architecture": net.architecture,
                 "tickets.step": String(net.step), "tickets.init": net.initializer.rawValue, "tickets.seed": String(net.seed),
                 "tickets.layers": net.prunableNames.joined(separator: ",")]
        if let b = net.blueprint { m["tickets.blueprint"] = b.json }
        return m
    }

    /// {"0.weight": "fc1.weight", ...}: file keys to the names users see.
    static func namesJSON(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(jsonQuoted($0.0)): \(jsonQuoted($0.1))" }.joined(separator: ", ") + "}"
    }

    // MARK: reading

    /// What an archive holds, checked entry by entry. `like` is a net of the file's
    /// architecture; without it the architecture comes from the file's metadata or, for
    /// a file with none (from PyTorch), from its shapes when they are an MLP's.
    public static func load(_ archive: TensorArchive, name: String, like: Network? = nil) throws -> Loaded {
        let kind = try self.kind(of: archive, name: name)
        let net = try like?.copy() ?? architecture(of: archive, kind: kind, name: name)
        switch kind {
        case .net:
            try fill(net, from: archive, name: name)
            if let s = archive.metadata["tickets.step"], let step = Int(s), step >= 0 { net.step = step } else { net.step = 0 }
            net.optimizer = nil
            return .net(net)
        case .mask:
            return .mask(try mask(for: net, from: archive, name: name))
        case .snapshot:
            try fill(net, from: archive, name: name, allowMasks: false)
            if let s = archive.metadata["tickets.step"], let step = Int(s), step >= 0 { net.step = step } else { net.step = 0 }
            return .snapshot(Snapshot(of: net))
        }
    }

    /// The kind the metadata states; otherwise a mask when every entry is a
    /// `*_mask`, else a net.
    static func kind(of archive: TensorArchive, name: String) throws -> Kind {
        if let k = archive.metadata["tickets.kind"] {
            guard let kind = Kind(rawValue: k) else { throw EngineError.io("\(name): unknown kind \"\(k)\" in the file's metadata") }
            return kind
        }
        guard !archive.isEmpty else { throw EngineError.io("\(name): the file holds no tensors") }
        return archive.names.allSatisfy { $0.hasSuffix("_mask") } ? .mask : .net
    }

    /// A net of the file's architecture: from its blueprint, or an MLP read off the
    /// shapes of a plain state dict (Linear layers at positions 0, 2, 4, ...).
    static func architecture(of archive: TensorArchive, kind: Kind, name: String) throws -> Network {
        // The values come from the file: no weights are drawn (that took longer than
        // reading them). The net keeps the initializer and seed it was made with, so
        // that reinit on it draws what it would have drawn before the save.
        if let b = archive.metadata["tickets.blueprint"] {
            let initializer = archive.metadata["tickets.init"].flatMap(Initializer.init(rawValue:)) ?? .glorot
            let seed = archive.metadata["tickets.seed"].flatMap { UInt64($0) } ?? 0
            return try Blueprint.parse(json: b, name: name).build(initializer: initializer, seed: seed, drawWeights: false)
        }
        let suffix = kind == .mask ? ".weight_mask" : ".weight"
        var weights: [(Int, Tensor)] = []
        for e in archive.entries {
            let key = e.name.hasSuffix(".weight_orig") ? String(e.name.dropLast(5)) : e.name
            guard key.hasSuffix(suffix), let i = Int(key.dropLast(suffix.count)) else { continue }
            weights.append((i, e.tensor))
        }
        weights.sort { $0.0 < $1.0 }
        let looksLikeMLP = !weights.isEmpty && weights.enumerated().allSatisfy { k, w in
            w.0 == 2 * k && w.1.shape.count == 2 && (k == 0 || weights[k - 1].1.shape[0] == w.1.shape[1])
        }
        if weights.isEmpty {
            // No key is a state dict's: the names are the problem, not the shapes.
            let keys = archive.names.prefix(6).joined(separator: ", ") + (archive.names.count > 6 ? ", ..." : "")
            throw EngineError.io("\(name): its keys (\(keys)) are not a state dict's; an MLP's are 0.weight, 0.bias, 2.weight, ... as PyTorch's nn.Sequential names them (a mask's 0.weight_mask, ...): rename them, or save from Tickets")
        }
        guard looksLikeMLP else {
            throw EngineError.io("\(name): the file does not say which net it holds and its shapes are not an MLP's; give a net of its architecture: load(path, like=net)")
        }
        let sizes = [weights[0].1.shape[1]] + weights.map { $0.1.shape[0] }
        return try Network.mlp(sizes, drawWeights: false)
    }

    /// Sets every parameter of `net` from the archive; every entry must be used.
    static func fill(_ net: Network, from archive: TensorArchive, name: String, allowMasks: Bool = true) throws {
        var used = Set<String>()
        func take(_ key: String, shape: [Int], for what: String) throws -> Tensor? {
            guard let e = archive.entry(key) else { return nil }
            guard e.tensor.shape == shape else {
                throw EngineError.io("\(name): \(key) is \(shapeText(e.tensor.shape)) in the file but the net's \(what) is \(shapeText(shape))")
            }
            used.insert(key)
            return e.tensor
        }
        for (k, (key, p)) in net.namedParameters.enumerated() {
            if k & 0xFFF == 0 { try Interrupt.check("reading \(name)") }
            let fk = net.fileKey(key)
            let plain = try take(fk, shape: p.shape, for: key)
            let orig = allowMasks ? try take(fk + "_orig", shape: p.shape, for: key) : nil
            let mask = allowMasks && p.prunable ? try take(fk + "_mask", shape: p.shape, for: key) : nil
            guard let value = plain ?? orig else {
                throw EngineError.io("\(name): the file has no \(fk) (the net's \(key)); it holds \(archive.names.prefix(8).joined(separator: ", "))\(archive.count > 8 ? ", ..." : "")")
            }
            if plain != nil && orig != nil { throw EngineError.io("\(name): the file has both \(fk) and \(fk)_orig") }
            if let m = mask {
                try checkZeroOne(m, key: fk + "_mask", name: name)
                p.mask = m.copy()
            } else {
                p.mask = nil
            }
            p.value = value.copy()
            p.applyMask()
        }
        // PyTorch's batch norm counts its batches; Tickets has no use for the count.
        let unused = archive.names.filter { !used.contains($0) && !$0.hasSuffix("num_batches_tracked") }
        if !unused.isEmpty {
            throw EngineError.io("\(name): the file holds \(unused.prefix(5).joined(separator: ", ")), which the net (\(net.architecture)) does not have")
        }
    }

    static func mask(for net: Network, from archive: TensorArchive, name: String) throws -> Mask {
        var tensors: [Tensor] = []
        var used = Set<String>()
        for (layer, w) in net.prunable {
            let key = net.fileKey(layer + ".weight") + "_mask"
            guard let t = archive[key] else {
                throw EngineError.io("\(name): the file has no \(key) (the mask of \(layer)); it holds \(archive.names.prefix(8).joined(separator: ", "))")
            }
            guard t.shape == w.shape else {
                throw EngineError.io("\(name): \(key) is \(shapeText(t.shape)) in the file but \(layer)'s weight is \(shapeText(w.shape))")
            }
            try checkZeroOne(t, key: key, name: name)
            tensors.append(Tensor(shape: t.shape, data: t.data.map { $0 != 0 ? 1 : 0 }))
            used.insert(key)
        }
        let unused = archive.names.filter { !used.contains($0) }
        if !unused.isEmpty {
            throw EngineError.io("\(name): the file holds \(unused.prefix(5).joined(separator: ", ")), which is no mask of the net (\(net.architecture))")
        }
        return Mask(names: net.prunableNames, tensors: tensors, fileKeys: net.prunableNames.map { net.fileKey($0 + ".weight") }).with(blueprint: net.blueprint)
    }

    /// Masks are 0 where a weight is pruned and 1 where it is kept (float, int or bool).
    static func checkZeroOne(_ t: Tensor, key: String, name: String) throws {
        if let bad = t.data.first(where: { $0 != 0 && $0 != 1 }) {
            throw EngineError.io("\(name): \(key) holds \(bad); a mask holds only 0 (pruned) and 1 (kept)")
        }
    }
}
