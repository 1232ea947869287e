import TicketsEngine

/// A net seen from the language.
final class NetObject: DeclaredMembers {
    let net: Network
    init(_ net: Network) { self.net = net }

    var typeName: String { "net" }

    /// "mlp 784-300-100-10  266,610 parameters  (fc1 235,200 · fc2 30,000 · fc3 1,000 weights)",
    /// and the mask's line when the net is pruned. Other nets (conv2, vgg16, resnet20,
    /// sequential) list their layers too, one a line (see `describeLayers`), and name
    /// their prunable layers' weights only when there are six or fewer.
    func describe() -> String {
        let layers = net.prunable.map { "\($0.name) \(grouped($0.weight.count))" }.joined(separator: " · ")
        var s = "\(net.architecture)  \(grouped(net.parameterCount)) parameters  (\(layers) weights)"
        if !net.architecture.hasPrefix("mlp ") {
            if net.prunable.count > 6 {
                s = "\(net.architecture)  \(grouped(net.parameterCount)) parameters  (\(grouped(net.weightCount)) weights in \(net.prunable.count) prunable layers)"
            }
            s += "\n" + describeLayers(net)
        }
        if net.prunable.contains(where: { $0.weight.mask != nil }) {
            s += "\n" + describeMask(Mask(of: net))
        }
        return s
    }

    /// The mask's line when the net is pruned: "5.17% kept  (fc1 5.00% · ...)".
    var densityLine: String? {
        guard net.prunable.contains(where: { $0.weight.mask != nil }) else { return nil }
        return String(describeMask(Mask(of: net)).dropFirst("mask  ".count))
    }
    /// Inside a container, a pruned net: "<net 5.17% kept>".
    var brief: String? { densityLine.map { $0.prefix { $0 != " " } + " kept" } }

    /// `net.fc1` (and `net.fc1.weight`, which can be assigned): the parameters by path.
    var extraMemberNames: [String] { ParamView(net, prefix: "").memberNames }
    func extraMember(_ name: String) -> Value? { ParamView(net, prefix: "").member(name) }

    static let members: [Member<NetObject>] = [
        Member("architecture", "what it is, as its first line prints it (\"mlp 784-300-100-10\", \"conv2 ...\")") { .string($0.net.architecture) },
        Member("family", "the kind of net, the architecture's first word: \"mlp\", \"conv2\", \"conv6\", \"vgg16\", \"resnet20\", \"sequential\"") {
            .string(String($0.net.architecture.prefix { $0 != " " }))
        },
        Member("layers", "the names of the prunable layers, in order") { .list($0.net.prunableNames.map { .string($0) }) },
        Member("sizes", "the input size, then each prunable layer's output size") { o in
            .list(([o.net.inputSize] + o.net.prunable.map { $0.weight.shape[0] }).map { .int($0) })
        },
        Member("parameters", "the number of trained values (weights and biases)") { .int($0.net.parameterCount) },
        Member("weights", "the number of prunable weights") { .int($0.net.weightCount) },
        Member("step", "training steps taken so far") { .int($0.net.step) },
        Member("init", "the initializer's name") { .string($0.net.initializer.rawValue) },
        Member("seed", "the seed of the initial weights") { .int(Int($0.net.seed)) },
        Member("fingerprint", "16 hex digits naming its exact state (weights, masks, step): equal nets, equal fingerprints") {
            .string(Fingerprint.of($0.net))
        },
        Member("mask", "the mask the net computes with now") { .object(MaskObject(Mask(of: $0.net))) },
        Member("conv_layers", "the names of the prunable convolution layers, in order") {
            .list($0.net.convolutionNames.map { .string($0) })
        },
        Member("shape", "the shape of one input sample, e.g. [1, 28, 28] (an MLP's: [784])") {
            .list($0.net.inputShape.map { .int($0) })
        },
    ]
}
