import CKernels
import Foundation

/// A classification data set held in memory: a training and a test split of samples
/// of one shape (`[1, 28, 28]` for Fashion-MNIST) with integer labels.
public final class Dataset {
    public let name: String
    public let source: String
    /// The shape of one sample: [C, H, W] for images, [D] for feature vectors.
    public let sampleShape: [Int]
    public let classes: Int
    public let train: Split
    public let test: Split
    /// Examples held out of the training split to select on (early stopping); nil
    /// unless asked for. Nothing selects on the test split.
    public let validation: Split?
    /// Samples of tokens (whole numbers in 0..<vocabulary, one a position, for an
    /// embedding to read) hold their vocabulary; nil for features and pixels.
    public let vocabulary: Int?

    public init(name: String, source: String, sampleShape: [Int], classes: Int, train: Split, test: Split,
                validation: Split? = nil, vocabulary: Int? = nil) throws {
        let size = sampleShape.reduce(1, *)
        guard train.sampleSize == size, test.sampleSize == size, validation.map({ $0.sampleSize == size }) ?? true else {
            throw EngineError("the splits hold samples of \(train.sampleSize) and \(test.sampleSize) values, but the shape \(shapeText(sampleShape)) has \(size)")
        }
        self.name = name; self.source = source; self.sampleShape = sampleShape
        self.classes = classes; self.train = train; self.test = test; self.validation = validation
        self.vocabulary = vocabulary
    }

    /// A copy whose training split gives up `count` examples, chosen uniformly at random
    /// with `seed` (not stratified by class), to a validation split; the rest keep
    /// their order. The LTH paper holds out 5,000 of MNIST's 60,000 (§2, Figure 2).
    public func holdingOut(validation count: Int, seed: UInt64 = 0) throws -> Dataset {
        guard count >= 1, count < train.count else {
            throw EngineError("validation must be between 1 and \(train.count - 1) (the training split has \(train.count) examples), got \(count)")
        }
        var rng = RNG(seed: seed, stream: Dataset.validationStream)
        let order = rng.permutation(train.count)
        let held = Array(order[0..<count]).sorted(), kept = Array(order[count...]).sorted()
        return try Dataset(name: name, source: source, sampleShape: sampleShape, classes: classes,
                           train: train.select(kept), test: test, validation: train.select(held), vocabulary: vocabulary)
    }

    /// The stream of the validation split's draw (apart from init and data-order streams).
    static let validationStream: UInt64 = 0x5641_4C49_4400   // "VALID"

    /// Values in one sample (784 for 28×28 images).
    public var sampleSize: Int { sampleShape.reduce(1, *) }

    /// The first `train` training and `test` test examples (a quick subset).
    public func subset(train a: Int, test b: Int) throws -> Dataset {
        try Dataset(name: name, source: source, sampleShape: sampleShape, classes: classes,
                    train: train.prefix(a), test: test.prefix(b), validation: validation, vocabulary: vocabulary)
    }
}

/// The samples and labels of one split. Pixels read from files stay bytes (a quarter
/// of the memory of Float32) and are converted as batches are gathered.
public final class Split {
    public enum Storage {
        /// value = Float(byte) · scale
        case bytes([UInt8], scale: Float)
        case floats([Float])
    }
    public let storage: Storage
    public let labels: [Int32]
    public let sampleSize: Int
    /// Applied to every sample as it is read (per-channel standardisation); nil: none.
    public let normalization: ChannelNormalization?

    public init(storage: Storage, labels: [Int32], sampleSize: Int, normalization: ChannelNormalization? = nil) throws {
        let n: Int
        switch storage {
        case .bytes(let b, _): n = b.count
        case .floats(let f): n = f.count
        }
        guard sampleSize > 0, n == labels.count * sampleSize else {
            throw EngineError("a split of \(labels.count) labels needs \(labels.count * sampleSize) values, got \(n)")
        }
        self.storage = storage; self.labels = labels; self.sampleSize = sampleSize
        self.normalization = normalization
    }

    /// The same samples read with another normalisation (nil: none).
    public func withNormalization(_ n: ChannelNormalization?) throws -> Split {
        try Split(storage: storage, labels: labels, sampleSize: sampleSize, normalization: n)
    }

    /// A split of Float values, N × sampleSize row-major.
    public convenience init(_ x: [Float], labels: [Int32], sampleSize: Int) throws {
        try self.init(storage: .floats(x), labels: labels, sampleSize: sampleSize)
    }

    public var count: Int { labels.count }

    /// Writes the samples `rows` (indices into the split) as Floats into `out`,
    /// one sample after another: out (rows.count, sampleSize).
    /// A training batch (rows of a shuffled order): pixel bytes are converted in C,
    /// the next rows prefetched while one converts (they are random, so each row's
    /// first touch would otherwise wait on memory).
    public func gather(_ rows: ArraySlice<Int32>, into out: UnsafeMutablePointer<Float>) {
        guard !rows.isEmpty else { return }
        guard case .bytes(let b, let scale) = storage else { return gather(AnyCollection(rows), into: out) }
        b.withUnsafeBufferPointer { src in
            rows.withUnsafeBufferPointer { r in
                tickets_gather_bytes(src.baseAddress!, r.baseAddress!, r.count, sampleSize, out, scale)
            }
        }
        normalization?.apply(out, samples: rows.count, sampleSize: sampleSize)
    }

    public func gather<C: Collection>(_ rows: C, into out: UnsafeMutablePointer<Float>) where C.Element == Int32 {
        let d = sampleSize
        switch storage {
        case .floats(let f):
            f.withUnsafeBufferPointer { src in
                for (r, row) in rows.enumerated() { (out + r * d).update(from: src.baseAddress! + Int(row) * d, count: d) }
            }
        case .bytes(let b, let scale):
            b.withUnsafeBufferPointer { src in
                for (r, row) in rows.enumerated() {
                    Kernels.bytesToFloats(src.baseAddress! + Int(row) * d, out + r * d, count: d, scale: scale)
                }
            }
        }
        normalization?.apply(out, samples: rows.count, sampleSize: d)
    }

    /// Writes samples lo..<hi into `out`.
    public func copy(_ range: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        let d = sampleSize
        switch storage {
        case .floats(let f):
            f.withUnsafeBufferPointer { src in out.update(from: src.baseAddress! + range.lowerBound * d, count: range.count * d) }
        case .bytes(let b, let scale):
            b.withUnsafeBufferPointer { src in
                Kernels.bytesToFloats(src.baseAddress! + range.lowerBound * d, out, count: range.count * d, scale: scale)
            }
        }
        normalization?.apply(out, samples: range.count, sampleSize: d)
    }

    /// Every sample as Floats (N × sampleSize); for tests and small exports.
    public func floats() -> [Float] {
        [Float](unsafeUninitializedCapacity: count * sampleSize) { buf, n in
            copy(0..<count, into: buf.baseAddress!)
            n = count * sampleSize
        }
    }

    /// The samples at `rows`, in that order.
    public func select(_ rows: [Int32]) throws -> Split {
        let d = sampleSize
        let labels = rows.map { self.labels[Int($0)] }
        switch storage {
        case .floats(let f):
            var out = [Float](repeating: 0, count: rows.count * d)
            for (r, i) in rows.enumerated() { out[(r * d)..<((r + 1) * d)] = f[(Int(i) * d)..<((Int(i) + 1) * d)] }
            return try Split(storage: .floats(out), labels: labels, sampleSize: d, normalization: normalization)
        case .bytes(let b, let scale):
            var out = [UInt8](repeating: 0, count: rows.count * d)
            for (r, i) in rows.enumerated() { out[(r * d)..<((r + 1) * d)] = b[(Int(i) * d)..<((Int(i) + 1) * d)] }
            return try Split(storage: .bytes(out, scale: scale), labels: labels, sampleSize: d, normalization: normalization)
        }
    }

    /// The first n samples.
    public func prefix(_ n: Int) throws -> Split {
        let k = min(max(n, 0), count), d = sampleSize
        switch storage {
        case .floats(let f): return try Split(storage: .floats(Array(f[0..<(k * d)])), labels: Array(labels[0..<k]), sampleSize: d, normalization: normalization)
        case .bytes(let b, let s): return try Split(storage: .bytes(Array(b[0..<(k * d)]), scale: s), labels: Array(labels[0..<k]), sampleSize: d, normalization: normalization)
        }
    }
}
