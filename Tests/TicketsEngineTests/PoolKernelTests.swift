import Testing
@testable import TicketsEngine

/// Max, average and global average pooling against the naive references and finite
/// differences.
struct PoolKernelTests {
    typealias T = KernelTestSupport

    /// (N, C, H, W, KH, KW, stride or nil for the kernel, padding)
    static let geometries: [(Int, Int, Int, Int, Int, Int, Int?, Int)] = [
        (1, 1, 4, 4, 2, 2, nil, 0),
        (2, 3, 7, 9, 2, 2, nil, 0),   // the 2×2 fast path, a row and a column left over
        (2, 3, 7, 6, 3, 3, 2, 1),
        (3, 2, 9, 8, 3, 3, 1, 1),     // overlapping windows
        (2, 2, 5, 7, 2, 3, nil, 1),   // non-square kernel and stride
        (1, 4, 8, 8, 5, 5, 3, 2),
        (2, 1, 3, 3, 1, 1, 2, 0),
    ]

    static func shape(_ g: (Int, Int, Int, Int, Int, Int, Int?, Int)) throws -> Pool2DShape {
        try Pool2DShape(batch: g.0, channels: g.1, inHeight: g.2, inWidth: g.3,
                        kernelHeight: g.4, kernelWidth: g.5, stride: g.6, padding: g.7)
    }

    @Test func shapeFollowsPyTorch() throws {
        let s = try Pool2DShape(batch: 1, channels: 1, inHeight: 28, inWidth: 28, kernelHeight: 2, kernelWidth: 2)
        #expect(s.outHeight == 14 && s.outWidth == 14 && s.strideHeight == 2)
        let t = try Pool2DShape(batch: 1, channels: 1, inHeight: 7, inWidth: 7, kernelHeight: 3, kernelWidth: 3,
                                stride: 2, padding: 1)
        #expect(t.outHeight == 4 && t.outWidth == 4)
        #expect(throws: EngineError.self) {   // padding more than half the kernel
            _ = try Pool2DShape(batch: 1, channels: 1, inHeight: 7, inWidth: 7, kernelHeight: 3, kernelWidth: 3, padding: 2)
        }
        #expect(throws: EngineError.self) {
            _ = try Pool2DShape(batch: 1, channels: 1, inHeight: 2, inWidth: 7, kernelHeight: 3, kernelWidth: 3)
        }
        #expect(throws: EngineError.self) {
            _ = try Pool2DShape(batch: 1, channels: 1, inHeight: 4, inWidth: 4, kernelHeight: 2, kernelWidth: 2, stride: 0)
        }
    }

    @Test func fastMatchesNaiveReference() throws {
        var rng = RNG(seed: 3)
        for g in Self.geometries {
            let s = try Self.shape(g)
            let x = T.randomArray(s.inputCount, &rng), dy = T.randomArray(s.outputCount, &rng)
            var y = [Float](repeating: .nan, count: s.outputCount)
            var argmax = [Int32](repeating: -1, count: s.outputCount)
            var dx = [Float](repeating: .nan, count: s.inputCount)
            withPointers(x) { xp in withPointers(dy) { dyp in
                withMutablePointer(&y) { yp in argmax.withUnsafeMutableBufferPointer { ap in
                    maxPool2dForward(s, x: xp, y: yp, argmax: ap.baseAddress!)
                    withMutablePointer(&dx) { maxPool2dBackward(s, dy: dyp, argmax: ap.baseAddress!, dx: $0) }
                } }
            } }
            let ref = maxPool2dForwardReference(s, x: x)
            T.expectClose(y, ref.y, "\(s) max y")
            #expect(argmax == ref.argmax, "\(s) argmax")
            T.expectClose(dx, maxPool2dBackwardReference(s, x: x, dy: dy), "\(s) max dx")

            withPointers(x) { xp in withPointers(dy) { dyp in
                withMutablePointer(&y) { avgPool2dForward(s, x: xp, y: $0) }
                withMutablePointer(&dx) { avgPool2dBackward(s, dy: dyp, dx: $0) }
            } }
            T.expectClose(y, avgPool2dForwardReference(s, x: x), "\(s) avg y")
            T.expectClose(dx, avgPool2dBackwardReference(s, dy: dy), "\(s) avg dx")
        }
    }

    @Test func maxPoolTiesAndPaddingFollowPyTorch() throws {
        // All-equal window: the first position wins. Negative values next to padding:
        // padding is −∞, never 0.
        let s = try Pool2DShape(batch: 1, channels: 1, inHeight: 2, inWidth: 2, kernelHeight: 2, kernelWidth: 2,
                                stride: 1, padding: 1)
        let x: [Float] = [-3, -3, -1, -3]
        var y = [Float](repeating: 0, count: s.outputCount), argmax = [Int32](repeating: 0, count: s.outputCount)
        withPointers(x) { xp in withMutablePointer(&y) { yp in argmax.withUnsafeMutableBufferPointer {
            maxPool2dForward(s, x: xp, y: yp, argmax: $0.baseAddress!)
        } } }
        #expect(y == [-3, -3, -3, -1, -1, -3, -1, -1, -3])
        #expect(argmax == [0, 0, 1, 2, 2, 1, 2, 2, 3])
    }

    @Test func theTwoByTwoPathKeepsTiesAndNaNs() throws {
        // Windows: all equal (first wins); a NaN in the middle (the NaN wins); −∞ only.
        let s = try Pool2DShape(batch: 1, channels: 1, inHeight: 2, inWidth: 6, kernelHeight: 2, kernelWidth: 2)
        let x: [Float] = [5, 5, 1, .nan, -.infinity, -.infinity,
                          5, 5, 2, 9, -.infinity, -.infinity]
        var y = [Float](repeating: 0, count: 3), argmax = [Int32](repeating: -1, count: 3)
        withPointers(x) { xp in withMutablePointer(&y) { yp in argmax.withUnsafeMutableBufferPointer {
            maxPool2dForward(s, x: xp, y: yp, argmax: $0.baseAddress!)
        } } }
        #expect(y[0] == 5 && y[1].isNaN && y[2] == -.infinity)
        #expect(argmax == [0, 3, 4])
        #expect(argmax == maxPool2dForwardReference(s, x: x).argmax)
    }

    @Test func globalAveragePoolingIsAveragePoolingOverThePlane() throws {
        var rng = RNG(seed: 4)
        let s = try Pool2DShape(globalOver: 3, channels: 5, height: 4, width: 6)
        #expect(s.outHeight == 1 && s.outWidth == 1)
        let x = T.randomArray(s.inputCount, &rng), dy = T.randomArray(s.outputCount, &rng)
        var y = [Float](repeating: .nan, count: 15), dx = [Float](repeating: .nan, count: s.inputCount)
        withPointers(x) { xp in withPointers(dy) { dyp in
            withMutablePointer(&y) { globalAvgPool2dForward(s, x: xp, y: $0) }
            withMutablePointer(&dx) { globalAvgPool2dBackward(s, dy: dyp, dx: $0) }
        } }
        T.expectClose(y, globalAvgPool2dForwardReference(s, x: x), "global y")
        T.expectClose(y, avgPool2dForwardReference(s, x: x), "global y as avg pool")
        T.expectClose(dx, globalAvgPool2dBackwardReference(s, dy: dy), "global dx")
        T.expectClose(dx, avgPool2dBackwardReference(s, dy: dy), "global dx as avg pool")
    }

    /// Float64 pooling, written apart from the references: for each window, list the
    /// input indices with PyTorch's clipping.
    static func pooled(_ s: Pool2DShape, _ x: [Double], max isMax: Bool) -> [Double] {
        var y = [Double]()
        for plane in 0..<s.batch * s.channels {
            for oh in 0..<s.outHeight { for ow in 0..<s.outWidth {
                let h0 = oh * s.strideHeight - s.padding, w0 = ow * s.strideWidth - s.padding
                var values = [Double]()
                for ih in max(h0, 0)..<min(h0 + s.kernelHeight, s.inHeight) {
                    for iw in max(w0, 0)..<min(w0 + s.kernelWidth, s.inWidth) {
                        values.append(x[plane * s.inPlane + ih * s.inWidth + iw])
                    }
                }
                y.append(isMax ? values.max()! : values.reduce(0, +) / Double(s.kernelHeight * s.kernelWidth))
            } }
        }
        return y
    }

    @Test func backwardsMatchFiniteDifferences() throws {
        var rng = RNG(seed: 6)
        for g in Self.geometries + [(2, 3, 4, 5, 4, 5, nil, 0)] {   // the last: global
            let s = try Self.shape(g)
            let x = T.randomArray(s.inputCount, &rng), r = T.randomArray(s.outputCount, &rng)
            var y = [Float](repeating: 0, count: s.outputCount), argmax = [Int32](repeating: 0, count: s.outputCount)
            var dxMax = [Float](repeating: 0, count: s.inputCount), dxAvg = dxMax, dxGlobal = dxMax
            withPointers(x) { xp in withPointers(r) { rp in
                withMutablePointer(&y) { yp in argmax.withUnsafeMutableBufferPointer { ap in
                    maxPool2dForward(s, x: xp, y: yp, argmax: ap.baseAddress!)
                    withMutablePointer(&dxMax) { maxPool2dBackward(s, dy: rp, argmax: ap.baseAddress!, dx: $0) }
                } }
                withMutablePointer(&dxAvg) { avgPool2dBackward(s, dy: rp, dx: $0) }
                if s.outPlane == 1 { withMutablePointer(&dxGlobal) { globalAvgPool2dBackward(s, dy: rp, dx: $0) } }
            } }
            let xd = x.map(Double.init)
            T.expectGradient(dxMax, T.numericGradient(at: xd) { T.weightedSum(Self.pooled(s, $0, max: true), r) }, "\(s) max dx")
            let avgNumeric = T.numericGradient(at: xd) { T.weightedSum(Self.pooled(s, $0, max: false), r) }
            T.expectGradient(dxAvg, avgNumeric, "\(s) avg dx")
            if s.outPlane == 1 { T.expectGradient(dxGlobal, avgNumeric, "\(s) global dx") }
        }
    }

    @Test func sampleRangesWriteOnlyTheirSamples() throws {
        var rng = RNG(seed: 7)
        let s = try Pool2DShape(batch: 4, channels: 2, inHeight: 6, inWidth: 6, kernelHeight: 3, kernelWidth: 3,
                                stride: 2, padding: 1)
        let x = T.randomArray(s.inputCount, &rng)
        var y = [Float](repeating: .nan, count: s.outputCount), argmax = [Int32](repeating: 0, count: s.outputCount)
        withPointers(x) { xp in withMutablePointer(&y) { yp in argmax.withUnsafeMutableBufferPointer { ap in
            maxPool2dForward(s, x: xp, y: yp, argmax: ap.baseAddress!, samples: 1..<3)
        } } }
        let per = s.channels * s.outPlane
        #expect(y[..<per].allSatisfy(\.isNaN) && y[(3 * per)...].allSatisfy(\.isNaN))
        T.expectClose(Array(y[per..<(3 * per)]), Array(maxPool2dForwardReference(s, x: x).y[per..<(3 * per)]), "middle samples")
    }
}
