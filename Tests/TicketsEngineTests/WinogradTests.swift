import Testing
@testable import TicketsEngine

/// Tickets' own Winograd F(4×4, 3×3) kernels (NN/Kernels/Winograd.swift) against the
/// naive reference: forward, dx, dW and db, on geometries that cut tiles at the image's
/// edge, pad by 0, 1 and 2, and span several blocks and both lanes' groups.
struct WinogradTests {
    typealias T = KernelTestSupport

    // (batch, C, H, W, O, k, k, stride, padding)
    static let geometries: [(Int, Int, Int, Int, Int, Int, Int, Int, Int)] = [
        (2, 1, 5, 5, 1, 3, 3, 1, 0),        // one tile, cut
        (3, 8, 9, 7, 12, 3, 3, 1, 1),       // odd sizes: partial tiles
        (2, 16, 8, 8, 16, 3, 3, 1, 1),
        (1, 5, 6, 6, 3, 3, 3, 1, 2),        // padding 2: output larger than the input
        (70, 4, 4, 4, 3, 3, 3, 1, 1),       // one tile an image: 70 samples, 2 blocks
        (5, 3, 32, 32, 4, 3, 3, 1, 1),      // Conv-2's images: a block of 4, then 1
        (6, 16, 28, 28, 16, 3, 3, 1, 1),    // Fashion-MNIST Conv-2: 49 tiles, blocks of 5 (padded lanes)
        (2, 2, 2, 2, 2, 3, 3, 1, 1),        // 2×2 image: all padding around it
    ]

    @Test(arguments: [true, false])
    func matchesTheNaiveReference(withBias: Bool) throws {
        var rng = RNG(seed: 41)
        for g in Self.geometries {
            let s = try ConvKernelTests.shape(g)
            let one = try Conv2DShape(batch: 1, inChannels: s.inChannels, inHeight: s.inHeight, inWidth: s.inWidth,
                                      outChannels: s.outChannels, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: s.padding)
            let conv = WinogradConvolution(one)
            let x = T.randomArray(s.inputCount, &rng), w = T.randomArray(s.weightCount, &rng)
            let b = withBias ? T.randomArray(s.outChannels, &rng) : nil
            let dy = T.randomArray(s.outputCount, &rng)
            var y = [Float](repeating: .nan, count: s.outputCount)
            var dx = [Float](repeating: .nan, count: s.inputCount)
            var dw = [Float](repeating: 0, count: s.weightCount), db = [Float](repeating: 0, count: s.outChannels)
            // Split as the layer does, the second half on thread 1's scratch.
            let mid = (s.batch + 1) / 2, inSize = one.inputCount, outSize = one.outputCount
            withPointers(x) { xp in withPointers(w) { wp in withOptionalPointer(b) { bp in withPointers(dy) { dyp in
                conv.prepare(weights: wp)
                withMutablePointer(&y) { yp in
                    conv.forward(x: xp, samples: mid, bias: bp, y: yp, thread: 0)
                    conv.forward(x: xp + mid * inSize, samples: s.batch - mid, bias: bp, y: yp + mid * outSize, thread: 1)
                }
                withMutablePointer(&dx) { dxp in withMutablePointer(&dw) { dwp in withMutablePointer(&db) { dbp in
                    conv.backward(x: xp, dy: dyp, samples: mid, dw: dwp, db: withBias ? dbp : nil, dx: dxp, thread: 0)
                    conv.backward(x: xp + mid * inSize, dy: dyp + mid * outSize, samples: s.batch - mid, dw: dwp,
                                  db: withBias ? dbp : nil, dx: dxp + mid * inSize, thread: 1)
                } } }
            } } } }
            let what = "\(s) Tickets' Winograd"
            // Winograd's transforms round more than a direct sum does (as oneDNN's).
            let tolerance: Float = 1e-3
            T.expectClose(y, conv2dForwardReference(s, x: x, weight: w, bias: b), tolerance: tolerance, "\(what) y")
            let ref = conv2dBackwardReference(s, x: x, weight: w, dy: dy)
            T.expectClose(dx, ref.dx, tolerance: tolerance, "\(what) dx")
            T.expectClose(dw, ref.dWeight, tolerance: tolerance, "\(what) dW")
            if withBias { T.expectClose(db, ref.dBias, tolerance: tolerance, "\(what) db") }
        }
    }

    /// Without dx (a first layer), the weight gradient is the same.
    @Test func weightGradientWithoutInputGradient() throws {
        var rng = RNG(seed: 43)
        let s = try Conv2DShape(batch: 3, inChannels: 8, inHeight: 10, inWidth: 10, outChannels: 6,
                                kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
        let one = try Conv2DShape(batch: 1, inChannels: 8, inHeight: 10, inWidth: 10, outChannels: 6,
                                  kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
        let conv = WinogradConvolution(one)
        let x = T.randomArray(s.inputCount, &rng), w = T.randomArray(s.weightCount, &rng)
        let dy = T.randomArray(s.outputCount, &rng)
        var dw = [Float](repeating: 0, count: s.weightCount)
        withPointers(x) { xp in withPointers(w) { wp in withPointers(dy) { dyp in
            conv.prepare(weights: wp)
            withMutablePointer(&dw) { conv.backward(x: xp, dy: dyp, samples: 3, dw: $0, db: nil, dx: nil, thread: 0) }
        } } }
        T.expectClose(dw, conv2dBackwardReference(s, x: x, weight: w, dy: dy).dWeight, tolerance: 1e-3, "dW")
    }

    /// Winograd runs where it does at most a third of the direct work.
    @Test func itRunsWhereItSavesWork() throws {
        func layer(_ c: Int, _ size: Int, kernel: Int = 3, stride: Int = 1) throws -> Conv2DShape {
            try Conv2DShape(batch: 1, inChannels: c, inHeight: size, inWidth: size, outChannels: c,
                            kernelHeight: kernel, kernelWidth: kernel, stride: stride, padding: kernel / 2)
        }
        for size in [4, 7, 8, 14, 16, 28, 32] { #expect(WinogradConvolution.pays(try layer(64, size)), "\(size)×\(size)") }
        for size in [1, 2, 3, 5, 6] { #expect(!WinogradConvolution.pays(try layer(64, size)), "\(size)×\(size)") }
        #expect(!WinogradConvolution.pays(try layer(3, 32)))              // a first layer: too few channels
        #expect(!WinogradConvolution.pays(try layer(64, 32, stride: 2)))
        #expect(!WinogradConvolution.pays(try layer(64, 32, kernel: 5)))
    }

    /// The layer on its default kernels (Tickets' Winograd on an AVX2 CPU, oneDNN's on
    /// AVX-512) against the reference, over a batch both threads share.
    @Test func theLayerMatchesTheReference() throws {
        var rng = RNG(seed: 47)
        let l = try Conv2D(name: "conv2", inputShape: [16, 12, 12], outChannels: 8)
        l.weight.value.data = T.randomArray(l.weight.count, &rng)
        l.bias!.value.data = T.randomArray(8, &rng)
        let batch = 9
        let s = try Conv2DShape(batch: batch, inChannels: 16, inHeight: 12, inWidth: 12, outChannels: 8,
                                kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
        let x = T.randomArray(s.inputCount, &rng), dy = T.randomArray(s.outputCount, &rng)
        let (y, dx): ([Float], [Float]) = withPointers(x) { xp in withPointers(dy) { dyp in
            let y = Array(UnsafeBufferPointer(start: l.forward(xp, batch: batch), count: s.outputCount))
            let dx = Array(UnsafeBufferPointer(start: l.backward(dyp, batch: batch, needInputGrad: true)!, count: s.inputCount))
            return (y, dx)
        } }
        T.expectClose(y, conv2dForwardReference(s, x: x, weight: l.weight.value.data, bias: l.bias!.value.data), tolerance: 1e-3, "y")
        let ref = conv2dBackwardReference(s, x: x, weight: l.weight.value.data, dy: dy)
        T.expectClose(dx, ref.dx, tolerance: 1e-3, "dx")
        T.expectClose(l.weight.grad!.data, ref.dWeight, tolerance: 1e-3, "dW")
        T.expectClose(l.bias!.grad!.data, ref.dBias, tolerance: 1e-3, "db")
    }

    /// Where the input a direct sum reads is all zero (a blank background), the output
    /// is exactly the bias, as a direct convolution's, not ±1e-8: a ReLU after it must
    /// close its gate there as it does on the direct path.
    @Test func zeroWindowsGiveExactlyTheBias() throws {
        var rng = RNG(seed: 53)
        let one = try Conv2DShape(batch: 1, inChannels: 8, inHeight: 14, inWidth: 14, outChannels: 4,
                                  kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
        let conv = WinogradConvolution(one)
        // Nonzero only in rows and columns 0..<5 of every channel.
        let x: [Float] = (0..<(2 * one.inputCount)).map { i in
            let p = i % 196
            return p / 14 < 5 && p % 14 < 5 ? Float(rng.normal()) : 0
        }
        let w = T.randomArray(one.weightCount, &rng), b: [Float] = [0, 0.5, -0.25, 0]
        var y = [Float](repeating: .nan, count: 2 * one.outputCount)
        withPointers(x) { xp in withPointers(w) { wp in withPointers(b) { bp in
            conv.prepare(weights: wp)
            withMutablePointer(&y) { conv.forward(x: xp, samples: 2, bias: bp, y: $0, thread: 0) }
        } } }
        var exact = 0
        for i in 0..<2 { for k in 0..<4 { for oy in 0..<14 { for ox in 0..<14 where oy > 5 || ox > 5 {
            #expect(y[((i * 4 + k) * 14 + oy) * 14 + ox] == b[k])
            exact += 1
        } } } }
        #expect(exact > 0)
    }
}
