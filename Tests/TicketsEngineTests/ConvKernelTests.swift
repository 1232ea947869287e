import Dispatch
import Testing
@testable import TicketsEngine

/// The fast convolution (both layouts) against the naive reference, its backward pass
/// against finite differences, and the sample / channel splits against the whole.
struct ConvKernelTests {
    typealias T = KernelTestSupport

    /// (N, C, H, W, O, KH, KW, stride, padding): stride 1/2/3, padding 0/1/2, kernels
    /// 1/3/5 and non-square, C = 1 and C > 1, batch 1 and > 1, 1×1 shortcuts.
    static let geometries: [(Int, Int, Int, Int, Int, Int, Int, Int, Int)] = [
        (1, 1, 5, 5, 1, 3, 3, 1, 0),
        (2, 3, 7, 6, 4, 3, 3, 1, 1),
        (3, 2, 8, 9, 5, 5, 5, 2, 1),
        (2, 3, 6, 7, 4, 1, 1, 1, 0),    // pointwise: no im2col
        (2, 4, 7, 7, 3, 1, 1, 2, 0),    // ResNet shortcut: 1×1 at stride 2
        (1, 2, 5, 8, 3, 3, 5, 2, 0),    // non-square kernel
        (2, 1, 4, 4, 2, 5, 5, 1, 2),    // kernel larger than the image
        (3, 3, 9, 9, 2, 3, 3, 2, 1),
        (2, 2, 1, 1, 3, 3, 3, 1, 1),    // 1×1 image, all padding around it
        (1, 2, 6, 6, 2, 1, 1, 3, 1),    // 1×1 kernel with padding
    ]

    static func shape(_ g: (Int, Int, Int, Int, Int, Int, Int, Int, Int)) throws -> Conv2DShape {
        try Conv2DShape(batch: g.0, inChannels: g.1, inHeight: g.2, inWidth: g.3, outChannels: g.4,
                        kernelHeight: g.5, kernelWidth: g.6, stride: g.7, padding: g.8)
    }

    @Test func shapeComputesPyTorchOutputSizes() throws {
        let s = try Conv2DShape(batch: 60, inChannels: 1, inHeight: 28, inWidth: 28, outChannels: 64,
                                kernelHeight: 3, kernelWidth: 3, padding: 1)
        #expect(s.outHeight == 28 && s.outWidth == 28)
        let t = try Conv2DShape(batch: 1, inChannels: 3, inHeight: 32, inWidth: 31, outChannels: 8,
                                kernelHeight: 5, kernelWidth: 3, stride: 2, padding: 1)
        #expect(t.outHeight == 15 && t.outWidth == 16)   // ⌊(32+2−5)/2⌋+1, ⌊(31+2−3)/2⌋+1
    }

    @Test func impossibleGeometriesThrow() {
        func bad(_ n: Int = 1, _ c: Int = 1, _ h: Int = 4, _ w: Int = 4, _ o: Int = 1,
                 _ kh: Int = 3, _ kw: Int = 3, _ s: Int = 1, _ p: Int = 0) {
            #expect(throws: EngineError.self) {
                _ = try Conv2DShape(batch: n, inChannels: c, inHeight: h, inWidth: w, outChannels: o,
                                    kernelHeight: kh, kernelWidth: kw, stride: s, padding: p)
            }
        }
        bad(0); bad(1, 0); bad(1, 1, 0); bad(1, 1, 4, 4, 0); bad(1, 1, 4, 4, 1, 0)
        bad(1, 1, 4, 4, 1, 3, 3, 0)           // stride 0
        bad(1, 1, 4, 4, 1, 3, 3, 1, -1)       // negative padding
        bad(1, 1, 2, 2, 1, 5, 5, 1, 1)        // 5×5 kernel on a 2×2 image padded to 4×4
        bad(1 << 20, 64, 1024, 1024)          // too large for 32-bit BLAS sizes
    }

    @Test(arguments: Conv2DStrategy.allCases, [true, false])
    func fastMatchesNaiveReference(strategy: Conv2DStrategy, withBias: Bool) throws {
        var rng = RNG(seed: 21)
        for g in Self.geometries {
            let s = try Self.shape(g)
            let x = T.randomArray(s.inputCount, &rng), w = T.randomArray(s.weightCount, &rng)
            let b = withBias ? T.randomArray(s.outChannels, &rng) : nil
            let dy = T.randomArray(s.outputCount, &rng)
            var y = [Float](repeating: .nan, count: s.outputCount)
            var dx = [Float](repeating: .nan, count: s.inputCount)
            var dw = [Float](repeating: .nan, count: s.weightCount)
            var db = [Float](repeating: .nan, count: s.outChannels)
            withPointers(x) { xp in withPointers(w) { wp in withOptionalPointer(b) { bp in withPointers(dy) { dyp in
                withMutablePointer(&y) { conv2dForward(s, x: xp, weight: wp, bias: bp, y: $0, strategy: strategy) }
                withMutablePointer(&dx) { dxp in withMutablePointer(&dw) { dwp in withMutablePointer(&db) { dbp in
                    conv2dBackward(s, x: xp, weight: wp, dy: dyp, dx: dxp, dWeight: dwp, dBias: dbp, strategy: strategy)
                } } }
            } } } }
            let ref = conv2dBackwardReference(s, x: x, weight: w, dy: dy)
            T.expectClose(y, conv2dForwardReference(s, x: x, weight: w, bias: b), "\(s) \(strategy) y")
            T.expectClose(dx, ref.dx, "\(s) \(strategy) dx")
            T.expectClose(dw, ref.dWeight, "\(s) \(strategy) dW")
            T.expectClose(db, ref.dBias, "\(s) \(strategy) db")
        }
    }

    /// The Float64 forward for finite differences, written apart from the reference:
    /// loops over input positions, asking which output each one feeds.
    static func lossDouble(_ s: Conv2DShape, x: [Double], w: [Double], b: [Double], r: [Float]) -> Double {
        var y = [Double](repeating: 0, count: s.outputCount)
        for n in 0..<s.batch { for o in 0..<s.outChannels { for p in 0..<s.outPlane {
            y[(n * s.outChannels + o) * s.outPlane + p] = b[o]
        } } }
        for n in 0..<s.batch { for c in 0..<s.inChannels { for ih in 0..<s.inHeight { for iw in 0..<s.inWidth {
            let xv = x[((n * s.inChannels + c) * s.inHeight + ih) * s.inWidth + iw]
            for i in 0..<s.kernelHeight { for j in 0..<s.kernelWidth {
                let oy = ih + s.padding - i, ox = iw + s.padding - j
                guard oy >= 0, ox >= 0, oy % s.stride == 0, ox % s.stride == 0 else { continue }
                let oh = oy / s.stride, ow = ox / s.stride
                guard oh < s.outHeight, ow < s.outWidth else { continue }
                for o in 0..<s.outChannels {
                    let wv = w[((o * s.inChannels + c) * s.kernelHeight + i) * s.kernelWidth + j]
                    y[((n * s.outChannels + o) * s.outHeight + oh) * s.outWidth + ow] += wv * xv
                }
            } }
        } } } }
        return T.weightedSum(y, r)
    }

    @Test(arguments: Conv2DStrategy.allCases)
    func backwardMatchesFiniteDifferences(strategy: Conv2DStrategy) throws {
        var rng = RNG(seed: 5)
        for g in [Self.geometries[1], Self.geometries[2], Self.geometries[4], Self.geometries[5]] {
            let s = try Self.shape(g)
            let x = T.randomArray(s.inputCount, &rng), w = T.randomArray(s.weightCount, &rng)
            let b = T.randomArray(s.outChannels, &rng), r = T.randomArray(s.outputCount, &rng)
            var dx = [Float](repeating: 0, count: s.inputCount)
            var dw = [Float](repeating: 0, count: s.weightCount)
            var db = [Float](repeating: 0, count: s.outChannels)
            withPointers(x) { xp in withPointers(w) { wp in withPointers(r) { rp in
                withMutablePointer(&dx) { dxp in withMutablePointer(&dw) { dwp in withMutablePointer(&db) { dbp in
                    conv2dBackward(s, x: xp, weight: wp, dy: rp, dx: dxp, dWeight: dwp, dBias: dbp, strategy: strategy)
                } } }
            } } }
            let xd = x.map(Double.init), wd = w.map(Double.init), bd = b.map(Double.init)
            T.expectGradient(dx, T.numericGradient(at: xd) { Self.lossDouble(s, x: $0, w: wd, b: bd, r: r) }, "\(s) dx")
            T.expectGradient(dw, T.numericGradient(at: wd) { Self.lossDouble(s, x: xd, w: $0, b: bd, r: r) }, "\(s) dW")
            T.expectGradient(db, T.numericGradient(at: bd) { Self.lossDouble(s, x: xd, w: wd, b: $0, r: r) }, "\(s) db")
        }
    }

    /// Forward split by samples and by output channels, dx split by samples, dW summed
    /// from per-thread partials and split by output channels: all equal the whole, and
    /// the sample halves run on two threads at once with their own scratch.
    @Test(arguments: Conv2DStrategy.allCases)
    func splitsMatchTheWhole(strategy: Conv2DStrategy) throws {
        var rng = RNG(seed: 8)
        let s = try Conv2DShape(batch: 5, inChannels: 3, inHeight: 9, inWidth: 8, outChannels: 6,
                                kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
        let x = T.randomArray(s.inputCount, &rng), w = T.randomArray(s.weightCount, &rng)
        let b = T.randomArray(s.outChannels, &rng), dy = T.randomArray(s.outputCount, &rng)
        let ref = conv2dBackwardReference(s, x: x, weight: w, dy: dy)
        let yRef = conv2dForwardReference(s, x: x, weight: w, bias: b)
        let halves = [0..<2, 2..<5], channelHalves = [0..<4, 4..<6]

        // Buffers the two threads write to: raw allocations, so no array is shared.
        func buffer(_ n: Int) -> UnsafeMutableBufferPointer<Float> {
            let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
            b.initialize(repeating: .nan)
            return b
        }
        let yBySample = buffer(s.outputCount), dx = buffer(s.inputCount)
        let partials = [buffer(s.weightCount + s.outChannels), buffer(s.weightCount + s.outChannels)]
        let scratches = [buffer(s.scratchCount(strategy, samples: 3)), buffer(s.scratchCount(strategy, samples: 3))]
        defer { ([yBySample, dx] + partials + scratches).forEach { $0.deallocate() } }
        withPointers(x) { xp in withPointers(w) { wp in withPointers(b) { bp in withPointers(dy) { dyp in
            let shared = UnsafeSendable(value: (xp, wp, bp, dyp, yBySample, dx, partials, scratches))
            DispatchQueue.concurrentPerform(iterations: 2) { k in
                let (xp, wp, bp, dyp, y, dx, partials, scratches) = shared.value
                let part = partials[k].baseAddress!, mine = scratches[k].baseAddress!
                conv2dForward(s, x: xp, weight: wp, bias: bp, y: y.baseAddress!,
                              samples: halves[k], strategy: strategy, scratch: mine)
                conv2dBackward(s, x: xp, weight: wp, dy: dyp, dx: dx.baseAddress!,
                               dWeight: part, dBias: part + s.weightCount, samples: halves[k],
                               strategy: strategy, scratch: mine)
            }
        } } } }
        var yByChannel = [Float](repeating: .nan, count: s.outputCount)
        var dwByChannel = [Float](repeating: .nan, count: s.weightCount)
        var dbByChannel = [Float](repeating: .nan, count: s.outChannels)
        withPointers(x) { xp in withPointers(w) { wp in withPointers(b) { bp in withPointers(dy) { dyp in
            for oc in channelHalves {
                withMutablePointer(&yByChannel) {
                    conv2dForward(s, x: xp, weight: wp, bias: bp, y: $0, outChannels: oc, strategy: strategy)
                }
                withMutablePointer(&dwByChannel) { dwp in withMutablePointer(&dbByChannel) { dbp in
                    conv2dBackwardWeight(s, x: xp, dy: dyp, dWeight: dwp, dBias: dbp, outChannels: oc, strategy: strategy)
                } }
            }
        } } } }
        addPartialGradients(partials[1].baseAddress!, into: partials[0].baseAddress!, range: 0..<partials[0].count)
        let summed = Array(partials[0])
        T.expectClose(Array(yBySample), yRef, "y by samples")
        T.expectClose(yByChannel, yRef, "y by channels")
        T.expectClose(Array(dx), ref.dx, "dx by samples")
        T.expectClose(Array(summed[..<s.weightCount]), ref.dWeight, "dW from partials")
        T.expectClose(Array(summed[s.weightCount...]), ref.dBias, "db from partials")
        T.expectClose(dwByChannel, ref.dWeight, "dW by channels")
        T.expectClose(dbByChannel, ref.dBias, "db by channels")
    }

    @Test func accumulateAddsToTheGradient() throws {
        var rng = RNG(seed: 2)
        let s = try Conv2DShape(batch: 3, inChannels: 2, inHeight: 5, inWidth: 5, outChannels: 2,
                                kernelHeight: 3, kernelWidth: 3, stride: 2, padding: 1)
        let x = T.randomArray(s.inputCount, &rng), dy = T.randomArray(s.outputCount, &rng)
        var dw = [Float](repeating: 0, count: s.weightCount), db = [Float](repeating: 0, count: 2)
        withPointers(x) { xp in withPointers(dy) { dyp in withMutablePointer(&dw) { dwp in withMutablePointer(&db) { dbp in
            for n in 0..<3 {
                conv2dBackwardWeight(s, x: xp, dy: dyp, dWeight: dwp, dBias: dbp, samples: n..<(n + 1), accumulate: n > 0)
            }
        } } } }
        let ref = conv2dBackwardReference(s, x: x, weight: [Float](repeating: 0, count: s.weightCount), dy: dy)
        T.expectClose(dw, ref.dWeight, "dW accumulated")
        T.expectClose(db, ref.dBias, "db accumulated")
    }
}
