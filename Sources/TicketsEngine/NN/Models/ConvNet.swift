extension Network {
    /// The LTH paper's Conv-2, Conv-4 and Conv-6 (Frankle & Carbin, ICLR 2019, Figure 2
    /// and Appendix F, after Simonyan & Zisserman's VGG): 3×3 convolutions with padding
    /// 1 in pairs of 64, then 128, then 256 channels (Conv-2 has the first pair, Conv-4
    /// two, Conv-6 three), 2×2 max pooling after each pair, then fully connected layers
    /// of 256, 256 and `classes`, with ReLU between. On CIFAR-10 (3×32×32) Conv-2 has
    /// 4.3M weights: 38K in convolutions, 4.2M fully connected.
    ///
    /// Layers: conv1 … conv<depth>, relu1 …, pool1 …, flatten, fc1, fc2, fc3.
    /// `net.architecture` is "conv2 3×32×32→10".
    public static func conv(depth: Int, inputShape: [Int], classes: Int, initializer: Initializer = .glorot,
                            seed: UInt64 = 0) throws -> Network {
        guard [2, 4, 6].contains(depth) else {
            throw EngineError("depth must be 2, 4 or 6 (Conv-2, Conv-4, Conv-6), got \(depth)")
        }
        try checkImageInput(inputShape, classes: classes, model: "conv\(depth)")
        var specs: [LayerSpec] = []
        for pair in 0..<(depth / 2) {
            let channels = 64 << pair
            specs += [.conv2d(channels: channels), .conv2d(channels: channels), .maxPool(kernel: 2)]
        }
        specs += [.flatten, .linear(outputs: 256), .linear(outputs: 256), .linear(outputs: classes)]
        return try sequential(inputShape: inputShape, specs, classes: classes,
                              architecture: "conv\(depth) \(shapeText(inputShape))→\(classes)",
                              initializer: initializer, seed: seed)
    }

    /// Throws unless `inputShape` is one image [C, H, W] and `classes` at least 1.
    static func checkImageInput(_ inputShape: [Int], classes: Int, model: String) throws {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 >= 1 }) else {
            throw EngineError("\(model) takes images (channels×height×width), but the samples are \(shapeText(inputShape)) values")
        }
        guard classes >= 1 else { throw EngineError("\(model) needs at least 1 class, got \(classes)") }
    }
}
