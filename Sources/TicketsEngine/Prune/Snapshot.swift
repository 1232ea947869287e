/// A copy of every weight and bias of a net, taken at training step `step`. Rewinding
/// to it restores the values and keeps the net's current mask (late rewinding when
/// `step` > 0, Frankle et al. 2019).
public final class Snapshot {
    public let names: [String]
    public let weights: [[Float]]
    public let biases: [[Float]]
    public let shapes: [[Int]]
    public let step: Int

    public init(of net: Network) {
        names = net.linears.map(\.name)
        weights = net.linears.map(\.weight.data)
        biases = net.linears.map(\.bias.data)
        shapes = net.linears.map(\.weight.shape)
        step = net.step
    }

    public func restore(into net: Network) throws {
        guard net.linears.map(\.name) == names, net.linears.map(\.weight.shape) == shapes else {
            throw EngineError("the snapshot was taken of a net with layers \(zip(names, shapes).map { "\($0) \($1.map(String.init).joined(separator: "×"))" }.joined(separator: ", ")), which does not match this net")
        }
        for (i, l) in net.linears.enumerated() {
            l.weight.data = weights[i]
            l.bias.data = biases[i]
            l.applyMask()
        }
        net.step = step
    }
}
