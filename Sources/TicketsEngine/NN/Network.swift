/// A net: a sequence of layers (a layer may hold others, as a residual block does).
/// Its parameters, each under a state-dict key ("fc1.weight", "fc1.bias"), are the one
/// map that masks, snapshots, optimizers, pruning and statistics are built on.
public final class Network {
    /// What the net is, as its summary shows it: "mlp 784-300-100-10".
    public let architecture: String
    public let layers: [Layer]
    /// Each top-level layer's position, each parameter's and each prunable layer's
    /// place in their lists, by name: lookups stay fast in a net of 200,000 layers.
    private let layerPositions: [String: Int]
    private let parameterPositions: [String: Int]
    private let prunablePositions: [String: Int]
    public let initializer: Initializer
    public let seed: UInt64
    /// Training steps taken so far: the iteration count. Snapshots record it, late
    /// rewinding reads it, and a later `train` continues the data order from it.
    public var step = 0
    /// The optimizer of the last `train`, kept so that the next one continues its
    /// state (momentum, Adam's moments); nil after `rewind`, `reinit` or a copy.
    public var optimizer: Optimizer?
    /// Re-initialisations drawn so far (each draws from its own stream).
    public private(set) var redraws = 0
    /// How a model builder made the net (nil for a net assembled by hand).
    public var blueprint: Blueprint?
    /// Every parameter with its state-dict key, layer by layer, depth first.
    public let namedParameters: [(key: String, parameter: Parameter)]
    /// The layers whose weights pruning may touch, each with that weight: the units of
    /// masks, per-layer rates and densities ("fc1", "fc2", ...).
    public let prunable: [(name: String, weight: Parameter)]

    public init(architecture: String, layers: [Layer], initializer: Initializer, seed: UInt64) throws {
        guard !layers.isEmpty else { throw EngineError("a net needs at least one layer") }
        // A parameter's value, gradient, mask and two optimizer moments: 5 floats each.
        var values = 0
        Network.walk(layers, prefix: "") { _, l in for p in l.parameters { values = values.addingReportingOverflow(p.count).partialValue } }
        try MemoryBudget.check(values.multipliedReportingOverflow(by: 20).overflow ? Int.max : values * 20, for: "a net of \(grouped(values)) parameters")
        for (a, b) in zip(layers, layers.dropFirst()) where a.outputSize != b.inputSize {
            throw EngineError("layer \(b.name) takes \(shapeText(b.inputShape)) but \(a.name) gives \(shapeText(a.outputShape))")
        }
        self.architecture = architecture
        self.layers = layers
        self.initializer = initializer
        self.seed = seed
        var named: [(String, Parameter)] = [], prunable: [(String, Parameter)] = []
        Network.walk(layers, prefix: "") { path, layer in
            for p in layer.parameters {
                named.append((path + "." + p.name, p))
                if p.prunable { prunable.append((path, p)) }
            }
        }
        namedParameters = named
        self.prunable = prunable
        layerPositions = Network.positions(layers.map(\.name))
        parameterPositions = Network.positions(named.map(\.0))
        prunablePositions = Network.positions(prunable.map(\.0))
        var seen = Set<String>()   // a set: a net of 20,000 layers is checked at once
        for (k, _) in named where !seen.insert(k).inserted {
            throw EngineError("two parameters share the name \(k); give the layers distinct names")
        }
    }

    /// Where each name first appears.
    static func positions(_ names: [String]) -> [String: Int] {
        var out: [String: Int] = [:]
        for (i, n) in names.enumerated() where out[n] == nil { out[n] = i }
        return out
    }

    /// Calls body(path, layer) for every layer, parents before their children; a
    /// child's path is its parent's path, a dot, and its own name.
    static func walk(_ layers: [Layer], prefix: String, _ body: (String, Layer) -> Void) {
        for l in layers {
            let path = prefix.isEmpty ? l.name : prefix + "." + l.name
            body(path, l)
            walk(l.children, prefix: path, body)
        }
    }

    /// Every layer with its path, depth first.
    public var allLayers: [(path: String, layer: Layer)] {
        var out: [(String, Layer)] = []
        Network.walk(layers, prefix: "") { out.append(($0, $1)) }
        return out
    }

    public var inputShape: [Int] { layers[0].inputShape }
    public var inputSize: Int { layers[0].inputSize }
    public var outputSize: Int { layers[layers.count - 1].outputSize }
    /// Weights pruning may touch.
    public var weightCount: Int { prunable.reduce(0) { $0 + $1.weight.count } }
    /// Trained values: weights, biases and other trained parameters (not buffers).
    public var parameterCount: Int { trainableParameters.reduce(0) { $0 + $1.count } }
    public var trainableParameters: [Parameter] { namedParameters.map(\.parameter).filter(\.trainable) }

    public func parameter(_ key: String) -> Parameter? { parameterPositions[key].map { namedParameters[$0].parameter } }

    /// How files name a parameter: PyTorch's state-dict key of the equivalent
    /// nn.Sequential, the top-level layer's position in the net in place of its name
    /// ("fc1.weight" → "0.weight"; layers without parameters, such as ReLU, keep their
    /// place, so an MLP's keys are 0, 2, 4; a nested layer keeps its path after the
    /// position: "block1.conv1.weight" → "3.conv1.weight").
    public func fileKey(_ key: String) -> String {
        let head = key.prefix { $0 != "." }
        guard let i = layerPositions[String(head)] else { return key }
        return String(i) + key.dropFirst(head.count)
    }
    /// The weight of a prunable layer, by the layer's name ("fc1").
    public func prunableWeight(_ name: String) -> Parameter? { prunablePositions[name].map { prunable[$0].weight } }
    public var prunableNames: [String] { prunable.map(\.name) }

    /// A copy of every parameter's values, by key: the net's state dict.
    public func stateDict() -> [(key: String, tensor: Tensor)] {
        namedParameters.map { ($0.key, $0.parameter.value.copy()) }
    }

    /// Training or evaluation mode for every layer.
    public func setTraining(_ on: Bool) {
        for (_, l) in allLayers { l.training = on }
    }

    /// Draws all weights and biases from the initializer (the i-th layer that has
    /// parameters uses stream i of `seed`), then re-applies the current masks. Model
    /// builders call it once with the net's seed: these are the initial weights.
    public func initialize(seed: UInt64) {
        initialize(seed: seed, streamBase: 0)
    }

    func initialize(seed: UInt64, streamBase: UInt64) {
        for (i, l) in allLayers.map(\.layer).filter({ !$0.parameters.isEmpty }).enumerated() {
            var rng = RNG(seed: seed, stream: streamBase + UInt64(i))
            l.initialize(initializer, rng: &rng)
        }
    }

    /// The streams of re-initialisations start here, far from the initial weights'
    /// streams 0, 1, 2, ...: a re-draw can never reproduce the net's own init.
    static let redrawStreams: UInt64 = 0x5245_494E_4954_0000   // "REINIT"

    /// Draws all weights and biases afresh for the random re-initialisation control
    /// and keeps the masks: from `seed` when given, else from a seed derived from the
    /// net's own seed and how many re-draws it has had (so replicates that differ in
    /// their seed differ in their controls, and each re-draw is new). The draws come
    /// from streams no initialisation uses. Resets the iteration count and optimizer.
    /// Returns the seed it used.
    @discardableResult
    public func redraw(seed: UInt64? = nil, step: Int = 0) -> UInt64 {
        redraws += 1
        let s = seed ?? RNG.mix(self.seed, UInt64(redraws))
        initialize(seed: s, streamBase: Network.redrawStreams)
        self.step = step
        optimizer = nil
        return s
    }

    /// An independent copy: the same layers, parameters, masks and iteration count,
    /// with no optimizer state (a copy trains with a fresh optimizer).
    public func copy() -> Network {
        // The layers were valid in this net, so they are in the copy.
        let net = try! Network(architecture: architecture, layers: layers.map { $0.copy() }, initializer: initializer, seed: seed)
        net.step = step
        net.redraws = redraws
        net.blueprint = blueprint
        return net
    }

    /// Whether another net has the same parameters (keys and shapes): the condition
    /// for interpolating, comparing or snapshotting between them.
    public func check(sameArchitectureAs other: Network) throws {
        let a = namedParameters, b = other.namedParameters
        guard a.map(\.key) == b.map(\.key) else {
            throw EngineError("the nets have different layers (\(prunableNames.joined(separator: ", ")) and \(other.prunableNames.joined(separator: ", ")))")
        }
        for ((key, p), (_, q)) in zip(a, b) where p.shape != q.shape {
            throw EngineError("the nets' \(key) differ in shape: \(shapeText(p.shape)) and \(shapeText(q.shape))")
        }
    }

    /// Whether samples of `shape` fit the net's input: the same shape, or the same
    /// number of values when the net takes flat vectors (an MLP reads images flat).
    public func check(sampleShape shape: [Int], classes: Int) throws {
        let size = shape.reduce(1, *)
        if inputShape.count == 1 {
            guard size == inputSize else {
                throw EngineError("the net takes \(inputSize) inputs but the data set has \(size) features")
            }
        } else if shape != inputShape {
            throw EngineError("the net takes \(shapeText(inputShape)) inputs but the data set's samples are \(shapeText(shape))")
        }
        guard classes <= outputSize else {
            throw EngineError("the data set has \(classes) classes but the net has only \(outputSize) outputs")
        }
    }

    /// Throws when a weight or bias is NaN or infinite (an earlier run diverged).
    public func checkFinite() throws {
        for (key, p) in namedParameters where !p.value.data.allSatisfy(\.isFinite) {
            throw EngineError("the net's \(key) is not finite (an earlier run diverged); rewind or reinit the net first")
        }
    }

    /// Whether forward and backward may take the exact shortcuts through linear runs
    /// (LinearFusion.swift) when they are cheaper; tests turn it off to compare.
    public var fuses = true
    /// The shortcut starting at each layer, if one does (runs do not overlap).
    private lazy var stages: [FusedStage?] = {
        var out = [FusedStage?](repeating: nil, count: layers.count)
        var i = 0
        while i < layers.count {
            if let s = FusedStage.find(layers, at: i) { out[i] = s; i += s.count } else { i += 1 }
        }
        return out
    }()
    /// The weights of the layers that shortcuts stand for.
    var fusedWeights: Set<ObjectIdentifier> {
        var out = Set<ObjectIdentifier>()
        for (i, s) in stages.enumerated() {
            guard let s else { continue }
            for l in layers[i..<(i + s.count)] { for p in l.parameters where p.prunable { out.insert(ObjectIdentifier(p)) } }
        }
        return out
    }
    /// What the last forward ran, in order: each step's first layer and its shortcut.
    private var lastRun: [(first: Int, stage: FusedStage?)] = []

    /// Logits (B, classes) for a batch x (B, input…).
    public func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        var h = x
        lastRun.removeAll(keepingCapacity: true)
        var i = 0
        while i < layers.count {
            if fuses, let s = stages[i], s.pays(batch: batch) {
                h = s.forward(h, batch: batch)
                lastRun.append((i, s))
                i += s.count
            } else {
                h = layers[i].forward(h, batch: batch)
                lastRun.append((i, nil))
                i += 1
            }
        }
        return h
    }

    /// Backpropagates dlogits through all layers (as the last forward ran them),
    /// leaving each parameter's gradient (or, for a fused optimizer, its update).
    public func backward(_ dlogits: UnsafePointer<Float>, batch: Int) {
        var g: UnsafePointer<Float>? = dlogits
        let run = lastRun.isEmpty ? layers.indices.map { ($0, FusedStage?.none) } : lastRun
        for (i, stage) in run.reversed() {
            guard let d = g else { return }
            if let stage {
                g = stage.backward(d, batch: batch, needInputGrad: i > 0)
            } else {
                g = layers[i].backward(d, batch: batch, needInputGrad: i > 0)
            }
        }
    }

    /// Throws when the net reads tokens (an embedding first) and a sample of `split`
    /// holds a value that is not one of them (`what` names the split: "training").
    public func checkTokens(_ split: Split, _ what: String) throws {
        guard let e = layers.first as? Embedding else { return }
        let d = split.sampleSize, chunk = max(1, 65536 / max(d, 1))
        var buffer = [Float](repeating: 0, count: chunk * d)
        for lo in stride(from: 0, to: split.count, by: chunk) {
            let b = min(chunk, split.count - lo)
            buffer.withUnsafeMutableBufferPointer { split.copy(lo..<(lo + b), into: $0.baseAddress!) }
            for k in 0..<(b * d) where e.row(buffer[k]) < 0 {
                throw EngineError("\(e.name) (embedding) reads tokens, whole numbers from 0 to \(e.vocabulary - 1), but \(what) sample \(lo + k / d + 1) holds \(formatDecimal(Double(buffer[k]))) at position \(k % d + 1); give it token data, such as dataset(\"modular\", tokens=true)")
            }
        }
    }
}
