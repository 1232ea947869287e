/// Per-channel standardisation: value ← (value − mean[c]) / std[c] for every value of
/// channel c, with the mean and standard deviation of each channel over the training
/// split (every sample and pixel), as torchvision's `Normalize(mean, std)` applies
/// them. A data set keeps it beside its pixel bytes and applies it as batches are
/// gathered, so the test and validation splits use the training split's statistics.
public struct ChannelNormalization: Sendable, Equatable {
    /// Per channel, of the values as stored (pixels already scaled to [0, 1]).
    public let mean: [Float]
    /// Per channel, the population standard deviation (1 where a channel is constant).
    public let std: [Float]

    public init(mean: [Float], std: [Float]) {
        self.mean = mean; self.std = std
    }

    /// The statistics of a split whose samples have `channels` channels of `plane`
    /// values each (images [C, H, W]: C and H·W; flat samples: 1 and their size).
    public static func measure(_ split: Split, channels: Int) throws -> ChannelNormalization {
        let plane = split.sampleSize / channels
        var sum = [Double](repeating: 0, count: channels), squares = sum
        let chunk = 500
        let buffer = Buffer(chunk * split.sampleSize)
        let raw = split.normalization == nil ? split : try split.withNormalization(nil)
        for lo in stride(from: 0, to: raw.count, by: chunk) {
            let b = min(chunk, raw.count - lo)
            raw.copy(lo..<(lo + b), into: buffer.ptr)
            for n in 0..<b {
                for c in 0..<channels {
                    let p = buffer.ptr + (n * channels + c) * plane
                    let (s, q) = sumAndSquares(p, count: plane)
                    sum[c] += s; squares[c] += q
                }
            }
        }
        let m = Double(max(raw.count * plane, 1))
        let mean = sum.map { $0 / m }
        let std = zip(squares, mean).map { q, mu -> Double in
            let v = max(q / m - mu * mu, 0)
            return v > 1e-12 ? v.squareRoot() : 1
        }
        return ChannelNormalization(mean: mean.map(Float.init), std: std.map(Float.init))
    }

    public var channels: Int { mean.count }

    /// What a stored value of 0 (a black pixel, the padding of a random crop) becomes.
    public var zeroValues: [Float] { zip(mean, std).map { -$0 / $1 } }

    /// Normalises `samples` samples of `sampleSize` values in place.
    func apply(_ x: UnsafeMutablePointer<Float>, samples: Int, sampleSize: Int) {
        let plane = sampleSize / channels
        for n in 0..<samples {
            for c in 0..<channels {
                let inv = 1 / std[c]
                normalizePlane(x + (n * channels + c) * plane, mean[c], inv, 0, x + (n * channels + c) * plane, count: plane)
            }
        }
    }
}

/// (Σ p[i], Σ p[i]²) in Float64.
@inline(never)
private func sumAndSquares(_ p: UnsafePointer<Float>, count: Int) -> (Double, Double) {
    var s = 0.0, q = 0.0
    for i in 0..<count { let v = Double(p[i]); s += v; q += v * v }
    return (s, q)
}

extension Dataset {
    /// The channels a normalisation treats separately: C for [C, H, W] images, 1 for
    /// flat samples.
    public var normalizationChannels: Int { sampleShape.count == 3 ? sampleShape[0] : 1 }

    /// A copy whose every split is normalised per channel with the mean and standard
    /// deviation of this training split (see `ChannelNormalization`).
    public func normalizedPerChannel() throws -> Dataset {
        let norm = try ChannelNormalization.measure(train, channels: normalizationChannels)
        return try Dataset(name: name, source: source, sampleShape: sampleShape, classes: classes,
                           train: train.withNormalization(norm), test: test.withNormalization(norm),
                           validation: validation.map { try $0.withNormalization(norm) })
    }

    /// The normalisation the samples are read with (nil: none).
    public var normalization: ChannelNormalization? { train.normalization }
}
