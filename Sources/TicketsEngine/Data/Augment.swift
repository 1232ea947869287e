/// Training-time data augmentation, applied by the trainer to each gathered batch
/// (never to evaluation). `cropFlip` is the standard CIFAR augmentation of the ResNet
/// and VGG papers and of open_lth (torchvision's `RandomCrop(32, padding=4)` then
/// `RandomHorizontalFlip()`): each image is padded with 4 black pixels on every side,
/// a window of the original size is cut at a random offset (0…8 in each axis), and it
/// is mirrored left to right with probability ½.
///
/// Reproducible: the offsets and flips of iteration t are drawn from stream t of a seed
/// derived from the data seed (`TrainConfig.seed`), one draw after another sample by
/// sample, so a run gives the same batches every time and two `train` calls augment
/// exactly as one call of both lengths does.
public enum Augmentation: String, CaseIterable, Sendable {
    case none
    case cropFlip = "crop+flip"

    /// Pixels of padding for the random crop.
    public static let cropPadding = 4

    /// Throws unless samples of `shape` can be augmented this way (images [C, H, W]).
    public func check(sampleShape shape: [Int]) throws {
        guard self != .none else { return }
        guard shape.count == 3 else {
            throw EngineError("augment=\"\(rawValue)\" crops and flips images, but the data set's samples are \(shapeText(shape)) values")
        }
    }

    /// The generator for the augmentation of iteration t under data seed `seed`.
    public static func rng(seed: UInt64, iteration t: Int) -> RNG {
        RNG(seed: RNG.mix(seed, streamTag), stream: UInt64(t))
    }

    /// Streams apart from the data order's (which uses the data seed's streams 1, 2, ...).
    static let streamTag: UInt64 = 0x4155_474D_454E   // "AUGMEN"

    /// Augments `batch` images of `shape` [C, H, W] in place. `fill` is the value of a
    /// black pixel in each channel after the data set's normalisation (0 without one).
    /// `scratch` holds one image.
    public func apply(_ x: UnsafeMutablePointer<Float>, batch: Int, shape: [Int], fill: [Float],
                      rng: inout RNG, scratch: UnsafeMutablePointer<Float>) {
        guard self == .cropFlip, shape.count == 3 else { return }
        let size = shape.reduce(1, *), pad = Augmentation.cropPadding
        for n in 0..<batch {
            let top = rng.below(2 * pad + 1), left = rng.below(2 * pad + 1)
            let flip = rng.uniform() < 0.5
            let image = x + n * size
            scratch.update(from: image, count: size)
            cropAndFlip(scratch, into: image, shape: shape, rowShift: top - pad, columnShift: left - pad,
                        flip: flip, fill: fill)
        }
    }
}

/// out[c, y, x] = src[c, y + rowShift, x' + columnShift] with x' = W − 1 − x when
/// flipping, else x; positions outside the image take fill[c].
/// src (C, H, W) → out (C, H, W).
func cropAndFlip(_ src: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, shape: [Int],
                 rowShift: Int, columnShift: Int, flip: Bool, fill: [Float]) {
    let (channels, h, w) = (shape[0], shape[1], shape[2])
    for c in 0..<channels {
        let plane = src + c * h * w, dst = out + c * h * w
        let pad = c < fill.count ? fill[c] : 0
        for y in 0..<h {
            let sy = y + rowShift
            let row = dst + y * w
            guard sy >= 0, sy < h else { row.update(repeating: pad, count: w); continue }
            for x in 0..<w {
                let sx = (flip ? w - 1 - x : x) + columnShift
                row[x] = sx >= 0 && sx < w ? plane[sy * w + sx] : pad
            }
        }
    }
}

/// What the trainer keeps to augment its batches: the kind, the data seed, the sample
/// shape, the padding value of each channel and one image of scratch.
final class BatchAugmenter {
    let augmentation: Augmentation
    let seed: UInt64
    let shape: [Int]
    let fill: [Float]
    private let scratch: Buffer

    init(_ augmentation: Augmentation, data: Dataset, seed: UInt64) throws {
        try augmentation.check(sampleShape: data.sampleShape)
        self.augmentation = augmentation; self.seed = seed
        shape = data.sampleShape
        fill = data.normalization?.zeroValues ?? []
        scratch = Buffer(augmentation == .none ? 1 : data.sampleSize)
    }

    /// Augments the batch x (batch, C, H, W) of iteration t in place.
    func apply(_ x: UnsafeMutablePointer<Float>, batch: Int, iteration t: Int) {
        guard augmentation != .none else { return }
        var rng = Augmentation.rng(seed: seed, iteration: t)
        augmentation.apply(x, batch: batch, shape: shape, fill: fill, rng: &rng, scratch: scratch.ptr)
    }
}
