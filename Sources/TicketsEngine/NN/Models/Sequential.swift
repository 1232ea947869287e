/// One entry of a sequential net's description, as `sequential(data, [...])` lists
/// them: the builder infers each layer's input shape from the one before.
public enum LayerSpec: Sendable, Equatable, Codable {
    /// k×k convolution to `channels` channels; `relu`: a ReLU follows it.
    case conv2d(channels: Int, kernel: Int = 3, stride: Int = 1, padding: Int = 1, bias: Bool = true, relu: Bool = true)
    /// A fully connected layer to `outputs` values; `relu`: a ReLU follows it; `bias`
    /// false: none (nil, as files written before it existed say: true).
    case linear(outputs: Int, relu: Bool = true, bias: Bool? = nil)
    /// An embedding of `vocabulary` tokens into `dimension` values, one table shared by
    /// every position: the net's first layer, over samples of tokens.
    case embedding(dimension: Int, vocabulary: Int)
    /// The sum over positions: [T, D] → [D].
    case sumPositions
    /// k×k max pooling (stride k unless given).
    case maxPool(kernel: Int, stride: Int? = nil)
    /// k×k average pooling (stride k unless given).
    case avgPool(kernel: Int, stride: Int? = nil)
    /// Each channel's mean: [C, H, W] → [C].
    case globalAvgPool
    case batchNorm
    case dropout(probability: Double)
    case relu
    case flatten

    /// How the language writes it: "conv2d(64)", "maxpool(2)".
    public var text: String {
        switch self {
        case .conv2d(let c, let k, let s, let p, let b, let r):
            var args = ["\(c)"]
            if k != 3 { args.append("kernel=\(k)") }
            if s != 1 { args.append("stride=\(s)") }
            if p != 1 { args.append("padding=\(p)") }
            if !b { args.append("bias=false") }
            if !r { args.append("relu=false") }
            return "conv2d(\(args.joined(separator: ", ")))"
        case .linear(let n, let r, let b): return "linear(\(n)\(r ? "" : ", relu=false")\(b == false ? ", bias=false" : ""))"
        case .embedding(let d, let v): return "embedding(\(d)\(v > 0 ? ", vocab=\(v)" : ""))"
        case .sumPositions: return "sum_positions()"
        case .maxPool(let k, let s): return "maxpool(\(k)\(s.map { ", stride=\($0)" } ?? ""))"
        case .avgPool(let k, let s): return "avgpool(\(k)\(s.map { ", stride=\($0)" } ?? ""))"
        case .globalAvgPool: return "gap()"
        case .batchNorm: return "batchnorm()"
        case .dropout(let p): return "dropout(\(formatDecimal(p)))"
        case .relu: return "relu()"
        case .flatten: return "flatten()"
        }
    }

    /// Whether a ReLU follows the layer unless it ends the net.
    var bringsReLU: Bool {
        switch self {
        case .conv2d(_, _, _, _, _, let r), .linear(_, let r, _): return r
        default: return false
        }
    }
}

extension Network {
    /// The largest net the builders make, in weights (as `mlp`).
    public static let maxWeights = maxMLPWeights

    /// A net from a list of layer specs, each layer's input shape taken from the one
    /// before, starting from `inputShape` (one sample: [C, H, W] or [D]).
    ///
    /// ReLUs: each conv2d and linear brings one (relu=false leaves it out), placed
    /// right after the layer, or after its batch norm when a batchnorm() comes right
    /// after it (conv → batch norm → ReLU, as VGG and ResNet do); the layer that ends
    /// the net gets none (its outputs are the logits). An explicit relu() is for
    /// other places (after a pooling, say); right after a layer that brings its own,
    /// it is an error rather than a second ReLU.
    ///
    /// Names, as users read them: conv1, conv2, ... for convolutions, fc1, fc2, ...
    /// for linear layers (fc when there is only one), bn1, ..., pool1, ... (max and
    /// average pooling counted together), relu1, ..., dropout1, ..., flatten, gap,
    /// embed (an embedding, which comes first) and sum (sum_positions).
    /// Dropout layer i draws from a seed derived from `seed` and i.
    public static func sequential(inputShape: [Int], _ specs: [LayerSpec], classes: Int? = nil,
                                  architecture: String? = nil, initializer: Initializer = .glorot,
                                  seed: UInt64 = 0, drawWeights: Bool = true) throws -> Network {
        guard !specs.isEmpty else { throw EngineError("a net needs at least one layer") }
        guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 >= 1 }) else {
            throw EngineError("the input shape must be whole numbers ≥ 1, got \(shapeText(inputShape))")
        }
        guard specs.contains(where: { if case .conv2d = $0 { return true }; if case .linear = $0 { return true }; return false }) else {
            throw EngineError("a net needs at least one conv2d or linear layer (the layers with weights)")
        }
        let linearCount = specs.filter { if case .linear = $0 { return true }; return false }.count
        var layers: [Layer] = []
        var shape = inputShape
        var counts: [String: Int] = [:]
        func next(_ prefix: String) -> String {
            counts[prefix, default: 0] += 1
            return "\(prefix)\(counts[prefix]!)"
        }
        /// The spec that brought a ReLU not yet placed.
        var owed: LayerSpec? = nil
        func add(_ layer: Layer) {
            layers.append(layer)
            shape = layer.outputShape
        }
        func placeReLU() {
            add(ReLU(name: next("relu"), shape: shape))
            owed = nil
        }

        for (i, spec) in specs.enumerated() {
            let isLast = i == specs.count - 1
            if let o = owed {
                if spec == .relu {
                    throw EngineError("relu() right after \(o.text): conv2d and linear bring their own ReLU; leave relu() out, or write relu=false in \(o.text)")
                }
                if spec != .batchNorm { placeReLU() }
            }
            switch spec {
            case .conv2d(let channels, let kernel, let stride, let padding, let bias, _):
                try add(Conv2D(name: next("conv"), inputShape: shape, outChannels: channels, kernelSize: kernel,
                               stride: stride, padding: padding, bias: bias))
            case .linear(let outputs, _, let bias):
                let name = linearCount == 1 ? "fc" : next("fc")
                guard shape.count != 2 else {
                    throw EngineError("\(name) (linear) gets \(shapeText(shape)) values (positions × values); put sum_positions() before it")
                }
                guard shape.count == 1 else {
                    throw EngineError("\(name) (linear) gets \(shapeText(shape)) images; put flatten() or gap() before it")
                }
                guard outputs >= 1, outputs <= 1 << 24 else {
                    throw EngineError("\(name): linear takes between 1 and 16777216 outputs, got \(outputs)")
                }
                add(Linear(name: name, inFeatures: shape[0], outFeatures: outputs, bias: bias ?? true))
            case .embedding(let dimension, let vocabulary):
                guard i == 0 else {
                    throw EngineError("\(spec.text) must be the first layer: it reads the data's tokens, not another layer's values")
                }
                guard shape.count == 1 else {
                    throw EngineError("\(spec.text) reads samples of tokens (a list of positions), got samples of \(shapeText(shape))")
                }
                guard vocabulary >= 1, vocabulary <= 1 << 24, dimension >= 1, dimension <= 1 << 24 else {
                    throw EngineError("\(spec.text): the vocabulary and the dimension must be between 1 and 16777216")
                }
                add(Embedding(name: "embed", vocabulary: vocabulary, dimension: dimension, positions: shape[0]))
            case .sumPositions:
                guard shape.count == 2 else {
                    throw EngineError("sum_positions() sums a list of positions (after embedding()), got \(shapeText(shape)) \(shape.count == 1 ? "values" : "images")")
                }
                add(SumPositions(name: counts["sum"] == nil ? "sum" : next("sum"), positions: shape[0], dimension: shape[1]))
                counts["sum", default: 0] += 1
            case .maxPool(let k, let stride):
                try add(MaxPool2D(name: next("pool"), inputShape: shape, kernelSize: k, stride: stride))
            case .avgPool(let k, let stride):
                try add(AvgPool2D(name: next("pool"), inputShape: shape, kernelSize: k, stride: stride))
            case .globalAvgPool:
                try add(GlobalAvgPool(name: counts["gap"] == nil ? "gap" : next("gap"), inputShape: shape))
                counts["gap", default: 0] += 1
            case .batchNorm:
                try add(BatchNorm(name: next("bn"), inputShape: shape))
            case .dropout(let p):
                let index = counts["dropout", default: 0]
                try add(Dropout(name: next("dropout"), inputShape: shape, probability: p,
                                seed: RNG.mix(seed, dropoutStreams + UInt64(index))))
            case .relu:
                add(ReLU(name: next("relu"), shape: shape))
            case .flatten:
                guard shape.count == 3 else {
                    throw EngineError("flatten() gets \(shapeText(shape)) values, which are flat already")
                }
                add(Flatten(name: counts["flatten"] == nil ? "flatten" : next("flatten"), inputShape: shape))
                counts["flatten", default: 0] += 1
            }
            if spec.bringsReLU && !isLast { owed = spec }
        }
        // A ReLU still owed here would act on the logits: the net ends without it.

        guard shape.count == 1 else {
            throw EngineError("the net ends with \(shapeText(shape)) images; end it with flatten() (or gap()) and linear(classes)")
        }
        if let classes, shape[0] < classes {
            throw EngineError("the net ends with \(shape[0]) output\(shape[0] == 1 ? "" : "s") but the data set has \(classes) classes; end it with linear(\(classes))")
        }
        let weights = layers.reduce(0) { $0 + $1.parameters.filter(\.prunable).reduce(0) { $0 + $1.count } }
        guard weights <= maxWeights else {
            throw EngineError("the layers give a net of \(grouped(weights)) weights; the limit is \(grouped(maxWeights))")
        }
        let name = architecture ?? "sequential \(shapeText(inputShape))→\(shape[0])"
        let net = try Network(architecture: name, layers: layers, initializer: initializer, seed: seed)
        guard net.largestBatch >= 1 else {
            throw EngineError("a single sample of this net holds more than \(grouped(Int(Int32.max))) values in one layer; use smaller images or fewer channels")
        }
        net.blueprint = .sequential(inputShape: inputShape, specs: specs, classes: classes, architecture: architecture)
        if drawWeights { net.initialize(seed: seed) }
        return net
    }

    /// The streams of dropout layers' seeds (apart from init and data-order streams).
    static let dropoutStreams: UInt64 = 0x4452_4F50_0000   // "DROP"
}
