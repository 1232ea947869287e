import Foundation
import Testing
@testable import TicketsEngine

/// Random crop and flip against torchvision's recipe done by hand (pad, cut, mirror),
/// and per-channel normalisation with the training split's statistics.
struct AugmentTests {
    @Test func cropAndFlipByHand() {
        let image: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]   // 1×3×3
        var out = [Float](repeating: 0, count: 9)
        cropAndFlip(image, into: &out, shape: [1, 3, 3], rowShift: 1, columnShift: -1, flip: false, fill: [-1])
        #expect(out == [-1, 4, 5, -1, 7, 8, -1, -1, -1])
        cropAndFlip(image, into: &out, shape: [1, 3, 3], rowShift: 1, columnShift: -1, flip: true, fill: [-1])
        #expect(out == [5, 4, -1, 8, 7, -1, -1, -1, -1])
    }

    /// torchvision: RandomCrop(H, padding=4) cuts the padded image at (top, left), then
    /// RandomHorizontalFlip mirrors the cut. The same draws in the same order here.
    @Test func applyIsPadCutMirror() {
        let shape = [2, 5, 6], size = 60, batch = 7
        var rng = RNG(seed: 1)
        let x = KernelTestSupport.randomArray(batch * size, &rng)
        let fill: [Float] = [-0.5, 0.25]
        var expected: [Float] = []
        var draws = Augmentation.rng(seed: 3, iteration: 11)
        let pad = Augmentation.cropPadding
        for n in 0..<batch {
            let top = draws.below(2 * pad + 1), left = draws.below(2 * pad + 1), flip = draws.uniform() < 0.5
            for c in 0..<2 {
                // The padded plane, (5 + 8) × (6 + 8).
                var padded = [[Float]](repeating: [Float](repeating: fill[c], count: 6 + 2 * pad), count: 5 + 2 * pad)
                for y in 0..<5 { for xx in 0..<6 { padded[y + pad][xx + pad] = x[n * size + (c * 5 + y) * 6 + xx] } }
                for y in 0..<5 {
                    let row = (0..<6).map { padded[top + y][left + $0] }
                    expected += flip ? row.reversed() : row
                }
            }
        }
        var got = x
        var stream = Augmentation.rng(seed: 3, iteration: 11)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: size)
        defer { scratch.deallocate() }
        got.withUnsafeMutableBufferPointer {
            Augmentation.cropFlip.apply($0.baseAddress!, batch: batch, shape: shape, fill: fill, rng: &stream, scratch: scratch)
        }
        #expect(got == expected)
        #expect(got != x)
    }

    @Test func augmentationNeedsImages() {
        #expect(throws: EngineError("augment=\"crop+flip\" crops and flips images, but the data set's samples are 4 values")) {
            try Augmentation.cropFlip.check(sampleShape: [4])
        }
    }

    @Test func normalisationUsesTheTrainingSplitsStatistics() throws {
        var rng = RNG(seed: 2)
        func bytes(_ n: Int, _ offset: Int) -> [UInt8] {
            (0..<(n * 2 * 4)).map { i in UInt8(min(255, (i / 4) % 2 * 100 + offset + rng.below(50))) }
        }
        let train = try Split(storage: .bytes(bytes(10, 0), scale: 1 / 255), labels: [Int32](repeating: 0, count: 10), sampleSize: 8)
        let test = try Split(storage: .bytes(bytes(5, 30), scale: 1 / 255), labels: [Int32](repeating: 0, count: 5), sampleSize: 8)
        let data = try Dataset(name: "d", source: "memory", sampleShape: [2, 2, 2], classes: 1, train: train, test: test)
        let normalized = try data.normalizedPerChannel()
        let norm = try #require(normalized.normalization)
        // Statistics by hand, channel by channel, over the raw training values.
        let raw = train.floats()
        for c in 0..<2 {
            let values = (0..<10).flatMap { n in (0..<4).map { Double(raw[n * 8 + c * 4 + $0]) } }
            let mean = values.reduce(0, +) / 40
            let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 40).squareRoot()
            #expect(abs(Double(norm.mean[c]) - mean) < 1e-6 && abs(Double(norm.std[c]) - std) < 1e-6)
            #expect(abs(Double(norm.zeroValues[c]) + mean / std) < 1e-5)
        }
        // Training samples come out with mean 0 and deviation 1 per channel; test ones
        // with the training split's statistics (so not exactly centred).
        let trainOut = normalized.train.floats(), testOut = normalized.test.floats(), testRaw = test.floats()
        for c in 0..<2 {
            let values = (0..<10).flatMap { n in (0..<4).map { Double(trainOut[n * 8 + c * 4 + $0]) } }
            #expect(abs(values.reduce(0, +) / 40) < 1e-5)
            #expect(abs(values.map { $0 * $0 }.reduce(0, +) / 40 - 1) < 1e-4)
            for n in 0..<5 { for k in 0..<4 {
                let i = n * 8 + c * 4 + k
                #expect(abs(testOut[i] - (testRaw[i] - norm.mean[c]) / norm.std[c]) < 1e-5)
            } }
        }
        // Gathering rows and subsets keep the normalisation.
        var two = [Float](repeating: 0, count: 16)
        two.withUnsafeMutableBufferPointer { normalized.train.gather([Int32(3), 1], into: $0.baseAddress!) }
        #expect(Array(two[0..<8]) == Array(trainOut[24..<32]) && Array(two[8..<16]) == Array(trainOut[8..<16]))
        #expect(try normalized.subset(train: 4, test: 2).train.floats() == Array(trainOut[0..<32]))
    }

    /// A CIFAR-10 folder written in the exact format, read back as a normalised data
    /// set, trains a Conv-2 with augmentation, and evaluates with the same statistics.
    @Test func cifarFolderTrainsAConvNet() throws {
        let dir = IOTest.tempDir("cifar-train")
        try CIFAR.writeFolder(dir, kind: .cifar10, train: CIFARTests.split(25, kind: .cifar10),
                              test: CIFARTests.split(5, kind: .cifar10, offset: 40))
        let data = try CIFAR.dataset(try CIFAR.load(folder: dir), name: "cifar10").normalizedPerChannel()
        #expect(data.sampleShape == [3, 32, 32] && data.classes == 10 && data.train.count == 25)
        let net = try Network.conv(depth: 2, inputShape: data.sampleShape, classes: data.classes, seed: 1)
        var cfg = TrainConfig(); cfg.steps = 2; cfg.batch = 10; cfg.augment = .cropFlip; cfg.method = .adam; cfg.lr = 2e-4
        let h = try Trainer.train(net, on: data, cfg)
        #expect(h.epochs.last!.loss.isFinite && net.step == 2)
        #expect(try Trainer.evaluate(net, on: data).count == 5)
    }
}

/// cropAndFlip on arrays, for the hand-worked cases.
private func cropAndFlip(_ src: [Float], into out: inout [Float], shape: [Int], rowShift: Int, columnShift: Int,
                         flip: Bool, fill: [Float]) {
    src.withUnsafeBufferPointer { s in
        out.withUnsafeMutableBufferPointer { o in
            TicketsEngine.cropAndFlip(s.baseAddress!, into: o.baseAddress!, shape: shape, rowShift: rowShift,
                                      columnShift: columnShift, flip: flip, fill: fill)
        }
    }
}
