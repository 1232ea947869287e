/// A mask over a net's prunable weights: one 0/1 tensor per prunable layer (see
/// `Network.prunable`), in the net's order. 1 = kept. Biases are never masked.
public final class Mask {
    public let names: [String]
    public let tensors: [Tensor]
    /// Each layer's weight as files name it ("0.weight": PyTorch's key in the equivalent
    /// nn.Sequential, see `Network.fileKey`); a mask's entry in a file is this plus "_mask".
    public let fileKeys: [String]
    /// The blueprint of the net it was made for, when known (a saved mask keeps it).
    public var blueprint: Blueprint?

    /// A mask with the layers' names and tensors, and their weights' file keys (by
    /// default "<name>.weight").
    public init(names: [String], tensors: [Tensor], fileKeys: [String]? = nil) {
        precondition(names.count == tensors.count)   // internal: masks are built only by the engine, one tensor per layer
        self.names = names; self.tensors = tensors
        self.fileKeys = fileKeys ?? names.map { $0 + ".weight" }
    }

    /// The mask a net computes with now (all ones for a dense layer).
    public convenience init(of net: Network) {
        self.init(names: net.prunableNames,
                  tensors: net.prunable.map { $0.weight.mask?.copy() ?? Tensor(filled: 1, shape: $0.weight.shape) },
                  fileKeys: net.prunableNames.map { net.fileKey($0 + ".weight") })
        blueprint = net.blueprint
    }

    public func tensor(named name: String) -> Tensor? {
        names.firstIndex(of: name).map { tensors[$0] }
    }

    /// Weights kept in one layer.
    public func kept(_ i: Int) -> Int {
        tensors[i].data.withUnsafeBufferPointer { p in
            var n = 0
            for v in p where v != 0 { n += 1 }
            return n
        }
    }
    public var keptTotal: Int { (0..<tensors.count).reduce(0) { $0 + kept($1) } }
    public var sizeTotal: Int { tensors.reduce(0) { $0 + $1.count } }

    public func density(_ i: Int) -> Double { Double(kept(i)) / Double(max(tensors[i].count, 1)) }
    /// Kept fraction over all layers (weighted by layer size).
    public var density: Double { Double(keptTotal) / Double(max(sizeTotal, 1)) }
    /// Each layer's kept fraction, by name.
    public var densities: [String: Double] {
        Dictionary(uniqueKeysWithValues: names.indices.map { (names[$0], density($0)) })
    }

    /// The mask with its blueprint set (for masks derived from another).
    func with(blueprint b: Blueprint?) -> Mask {
        blueprint = b
        return self
    }

    /// Whether this mask fits a net: same layer names and shapes.
    public func check(fits net: Network) throws {
        let netNames = net.prunableNames
        guard netNames == names else {
            throw EngineError("the mask has layers \(names.joined(separator: ", ")) but the net has \(netNames.joined(separator: ", "))")
        }
        for ((name, w), t) in zip(net.prunable, tensors) where w.shape != t.shape {
            throw EngineError("the mask's \(name) is \(t.shapeText) but the net's is \(w.value.shapeText)")
        }
    }

    /// Makes the net compute with this mask: pruned weights are set to exactly zero and
    /// stay there through training.
    public func apply(to net: Network) throws {
        try check(fits: net)
        for ((_, w), t) in zip(net.prunable, tensors) {
            w.mask = t.copy()
            w.applyMask()
        }
    }

    /// Each layer's kept positions permuted at random (the shuffled-mask control):
    /// the same density per layer, a random layout.
    public func shuffled(seed: UInt64) -> Mask {
        Mask(names: names, tensors: tensors.enumerated().map { i, t in
            var rng = RNG(seed: seed, stream: UInt64(i))
            let p = rng.permutation(t.count)
            return Tensor(shape: t.shape, data: p.map { t.data[Int($0)] })
        }, fileKeys: fileKeys).with(blueprint: blueprint)
    }
}
