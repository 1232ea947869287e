extension Network {
    /// The CIFAR ResNets of He et al. 2016 (§4.2), as open_lth's `cifar_resnet` builds
    /// them: a 3×3 convolution to 16 channels with batch norm and ReLU, three stages of
    /// n residual blocks of 16, 32 and 64 channels (the first block of stages 2 and 3
    /// halves the image, with a 1×1 convolution and batch norm on its shortcut), the
    /// average of each channel, and one fully connected layer to `classes`.
    /// depth = 6n + 2: ResNet-20 has n = 3 (0.27M weights), the network of the LTH
    /// papers' late rewinding (Frankle et al. 2019, 2020). No convolution has a bias.
    ///
    /// Layers: conv, bn, relu, block1 … block<3n> (each with conv1, bn1, conv2, bn2, and
    /// shortcut and shortcut_bn where the shape changes: "block4.conv1",
    /// "block4.shortcut"), gap, fc. `net.architecture` is "resnet20 3×32×32→10".
    public static func resnet(depth: Int, inputShape: [Int], classes: Int, initializer: Initializer = .glorot,
                              seed: UInt64 = 0, drawWeights: Bool = true) throws -> Network {
        guard depth >= 8, depth <= 302, (depth - 2) % 6 == 0 else {
            throw EngineError("depth must be 6n + 2 for n from 1 to 50 (20, 32, 44, 56, 110, ...), got \(depth)")
        }
        try checkImageInput(inputShape, classes: classes, model: "resnet\(depth)")
        let perStage = (depth - 2) / 6
        let stem = try Conv2D(name: "conv", inputShape: inputShape, outChannels: 16, kernelSize: 3, stride: 1,
                              padding: 1, bias: false)
        var layers: [Layer] = [stem]
        layers.append(try BatchNorm(name: "bn", inputShape: stem.outputShape))
        layers.append(ReLU(name: "relu", shape: stem.outputShape))
        var shape = stem.outputShape
        var index = 0
        for (stage, width) in [16, 32, 64].enumerated() {
            for b in 0..<perStage {
                index += 1
                let block = try ResidualBlock(name: "block\(index)", inputShape: shape, outChannels: width,
                                              downsample: stage > 0 && b == 0)
                layers.append(block)
                shape = block.outputShape
            }
        }
        let gap = try GlobalAvgPool(name: "gap", inputShape: shape)
        layers.append(gap)
        layers.append(Linear(name: "fc", inFeatures: gap.outputShape[0], outFeatures: classes))
        let net = try Network(architecture: "resnet\(depth) \(shapeText(inputShape))→\(classes)", layers: layers,
                              initializer: initializer, seed: seed)
        net.blueprint = .resnet(depth: depth, inputShape: inputShape, classes: classes)
        if drawWeights { net.initialize(seed: seed) }
        return net
    }
}
