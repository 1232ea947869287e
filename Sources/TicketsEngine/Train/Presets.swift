/// The settings of a paper's experiment, by name: what `preset("lth-lenet")` returns.
/// Each value is given under the argument name the builtins and `imp` take, so a
/// preset passes straight to them (`train(net, data, preset=p)`), and explicit
/// arguments override it.
public struct Preset: Sendable {
    public enum Setting: Sendable {
        case number(Double)
        case text(String)
        case numbers([Double])
    }
    public let name: String
    /// Where the settings come from: paper and section.
    public let source: String
    public let settings: [(name: String, value: Setting)]

    public static let all: [Preset] = [
        Preset(name: "lth-lenet",
               source: "Frankle & Carbin, \"The Lottery Ticket Hypothesis\", ICLR 2019, §2 and Figure 2: LeNet-300-100 on MNIST, Gaussian Glorot init, Adam 1.2e-3, batch 60, 50K iterations, 5K training images held out for validation (early stopping on validation loss, evaluated every 100 iterations), pruning 20% of fc1/fc2 and 10% of the output layer per level",
               settings: [("sizes", .numbers([784, 300, 100, 10])), ("init", .text("glorot")),
                          ("optimizer", .text("adam")), ("lr", .number(0.0012)), ("batch", .number(60)),
                          ("steps", .number(50_000)), ("validation", .number(5000)), ("eval_every", .number(100)),
                          ("rate", .number(0.2)), ("output_rate", .number(0.1))]),
        Preset(name: "lth-lenet-sgd",
               source: "The Tickets primer's PyTorch reference for Fashion-MNIST (the setting of examples/lth_lenet.tks): LeNet-300-100, Glorot init, SGD 0.1, batch 60, 5 epochs a level, pruning 20% of fc1/fc2 and 10% of the output layer per level",
               settings: [("sizes", .numbers([784, 300, 100, 10])), ("init", .text("glorot")),
                          ("optimizer", .text("sgd")), ("lr", .number(0.1)), ("batch", .number(60)),
                          ("epochs", .number(5)), ("rate", .number(0.2)), ("output_rate", .number(0.1))]),
    ] + [(2, 0.0002, 20_000, 0.1), (4, 0.0003, 25_000, 0.1), (6, 0.0003, 30_000, 0.15)].map(conv)

    /// The LTH paper's Conv-2/4/6 setting (Frankle & Carbin, ICLR 2019, Figure 2 and
    /// Appendix F): Glorot init, Adam, batch 60, 5K validation images, pruning fully
    /// connected layers 20%, the output 10% and convolutions at `convRate` per level.
    static func conv(_ s: (depth: Int, lr: Double, steps: Int, convRate: Double)) -> Preset {
        Preset(name: "lth-conv\(s.depth)",
               source: "Frankle & Carbin, \"The Lottery Ticket Hypothesis\", ICLR 2019, §3 (Figure 2) and Appendix F: Conv-\(s.depth) on CIFAR-10, Gaussian Glorot init, Adam \(formatDecimal(s.lr)), batch 60, \(s.steps / 1000)K iterations, 5K training images held out for validation (early stopping on validation loss, evaluated every 100 iterations), pruning \(Int(s.convRate * 100))% of the convolutions, 20% of the fully connected layers and 10% of the output layer per level",
               settings: [("depth", .number(Double(s.depth))), ("init", .text("glorot")),
                          ("optimizer", .text("adam")), ("lr", .number(s.lr)), ("batch", .number(60)),
                          ("steps", .number(Double(s.steps))), ("validation", .number(5000)), ("eval_every", .number(100)),
                          ("rate", .number(0.2)), ("conv_rate", .number(s.convRate)), ("output_rate", .number(0.1))])
    }

    public static func named(_ name: String) throws -> Preset {
        guard let p = all.first(where: { $0.name == name }) else {
            throw EngineError("there is no preset \"\(name)\"; there are \(all.map { "\"\($0.name)\"" }.joined(separator: ", "))")
        }
        return p
    }
}
