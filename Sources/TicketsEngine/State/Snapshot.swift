/// A copy of every parameter of a net (weights, biases and buffers such as running
/// statistics), taken at training step `step`. Rewinding to it restores the values and
/// keeps the net's current mask (late rewinding when `step` > 0, Frankle et al. 2019).
public final class Snapshot {
    /// The net's state dict at the time: keys ("fc1.weight") and copies of the values.
    public let entries: [(key: String, tensor: Tensor)]
    /// The prunable layers of the net it was taken of, for messages and checks.
    public let layerNames: [String]
    public let step: Int
    /// Each entry's key as files name it (see `Network.fileKey`).
    public let fileKeys: [String]
    /// The blueprint of the net it was taken of, when known (a saved snapshot keeps it).
    public var blueprint: Blueprint?

    public init(of net: Network) {
        blueprint = net.blueprint
        entries = net.stateDict()
        layerNames = net.prunableNames
        step = net.step
        fileKeys = entries.map { net.fileKey($0.key) }
    }

    /// A snapshot from stored values (a file), checked against `net` by `restore`.
    public init(entries: [(key: String, tensor: Tensor)], layerNames: [String], step: Int, fileKeys: [String]) {
        self.entries = entries; self.layerNames = layerNames; self.step = step; self.fileKeys = fileKeys
    }

    /// Whether the snapshot was taken of a net with the same parameters and shapes.
    public func check(fits net: Network) throws {
        let keys = net.namedParameters.map(\.key), shapes = net.namedParameters.map(\.parameter.shape)
        guard keys == entries.map(\.key), shapes == entries.map(\.tensor.shape) else {
            let layers = zip(entries.map(\.key), entries.map(\.tensor))
                .filter { $0.0.hasSuffix(".weight") }
                .map { "\($0.0.dropLast(".weight".count)) \($0.1.shapeText)" }
            throw EngineError("the snapshot was taken of a net with layers \(layers.joined(separator: ", ")), which does not match this net")
        }
    }

    public func restore(into net: Network) throws {
        try check(fits: net)
        for ((_, p), (_, t)) in zip(net.namedParameters, entries) {
            p.value.data = t.data
            p.applyMask()
        }
        // Training from here continues the data order (and any schedule) at the
        // snapshot's iteration with a fresh optimizer, as open_lth does when it rewinds.
        net.step = step
        net.optimizer = nil
    }
}
