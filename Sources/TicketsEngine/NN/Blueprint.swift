import Foundation

/// How to build a net again: what a model builder made it from. Checkpoints store it, so
/// a saved net can be loaded without a net of its architecture at hand.
public enum Blueprint: Codable, Equatable, Sendable {
    case mlp(sizes: [Int])
    /// A list of layers (Conv-2/4/6 and VGG are built as one).
    case sequential(inputShape: [Int], specs: [LayerSpec], classes: Int?, architecture: String?)
    case resnet(depth: Int, inputShape: [Int], classes: Int)

    /// A fresh net from the blueprint, its weights drawn from `initializer` and `seed`;
    /// without `drawWeights`, its layers keep the values they are made with (zero
    /// weights), for a net whose values a checkpoint is about to set.
    public func build(initializer: Initializer = .glorot, seed: UInt64 = 0, drawWeights: Bool = true) throws -> Network {
        switch self {
        case .mlp(let sizes): return try Network.mlp(sizes, initializer: initializer, seed: seed, drawWeights: drawWeights)
        case .sequential(let shape, let specs, let classes, let architecture):
            return try Network.sequential(inputShape: shape, specs, classes: classes, architecture: architecture,
                                          initializer: initializer, seed: seed, drawWeights: drawWeights)
        case .resnet(let depth, let shape, let classes):
            return try Network.resnet(depth: depth, inputShape: shape, classes: classes, initializer: initializer,
                                      seed: seed, drawWeights: drawWeights)
        }
    }

    /// The blueprint as one line of JSON, for a file's metadata.
    public var json: String {
        (try? String(decoding: JSONEncoder().encode(self), as: UTF8.self)) ?? "{}"
    }

    public static func parse(json: String, name: String) throws -> Blueprint {
        do { return try JSONDecoder().decode(Blueprint.self, from: Data(json.utf8)) } catch {
            throw EngineError.io("\(name): the net's description in the file's metadata cannot be read (\(json.prefix(80)))")
        }
    }
}
