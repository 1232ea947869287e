extension Network {
    /// The channel plans of the CIFAR VGGs (Simonyan & Zisserman 2015, as open_lth's
    /// `cifar_vgg` builds them): a number is a 3×3 convolution to that many channels,
    /// 0 a 2×2 max pooling. There is no pooling after the last group.
    static let vggPlans: [Int: [Int]] = [
        11: [64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512],
        13: [64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512],
        16: [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512],
        19: [64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512],
    ]

    /// VGG-11, -13, -16 or -19 for CIFAR, as in open_lth and the LTH papers (Frankle &
    /// Carbin 2019 §4; Frankle et al. 2020): every 3×3 convolution (padding 1, with a
    /// bias) is followed by a batch norm and a ReLU, 2×2 max pooling between the
    /// groups, then the average of each of the 512 channels and one fully connected
    /// layer to `classes`. open_lth averages the last 2×2 map of a 32×32 image with
    /// AvgPool2d(2); global average pooling is the same there and also fits smaller
    /// images (28×28 leaves 1×1).
    ///
    /// Layers: conv1 …, bn1 …, relu1 …, pool1 … pool4, gap, fc.
    /// `net.architecture` is "vgg16 3×32×32→10".
    public static func vgg(depth: Int, inputShape: [Int], classes: Int, initializer: Initializer = .glorot,
                           seed: UInt64 = 0) throws -> Network {
        guard let plan = vggPlans[depth] else {
            throw EngineError("depth must be 11, 13, 16 or 19 (VGG-11, -13, -16, -19), got \(depth)")
        }
        try checkImageInput(inputShape, classes: classes, model: "vgg\(depth)")
        var specs: [LayerSpec] = []
        for width in plan {
            specs += width == 0 ? [.maxPool(kernel: 2)] : [.conv2d(channels: width), .batchNorm]
        }
        specs += [.globalAvgPool, .linear(outputs: classes)]
        return try sequential(inputShape: inputShape, specs, classes: classes,
                              architecture: "vgg\(depth) \(shapeText(inputShape))→\(classes)",
                              initializer: initializer, seed: seed)
    }
}
