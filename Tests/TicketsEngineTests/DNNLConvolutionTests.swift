import Testing
@testable import TicketsEngine

/// oneDNN's convolutions (DNNLConvolution.swift), direct and Winograd, against the
/// naive reference: the forward pass, and the backward pass both when it follows its
/// forward (x is then the forward's own copy in oneDNN's layout) and when it does not.
struct DNNLConvolutionTests {
    typealias T = KernelTestSupport

    /// The kernel tests' geometries, and layers where Winograd applies (3×3, stride 1,
    /// at least `winogradMinChannels` inputs) as in Conv-2/4/6 and VGG.
    static let geometries = ConvKernelTests.geometries + [
        (2, 16, 8, 8, 16, 3, 3, 1, 1),
        (3, 8, 9, 7, 12, 3, 3, 1, 1),
        (1, 64, 6, 6, 64, 3, 3, 1, 0),
    ]

    @Test(arguments: [ConvAlgorithm.direct, .winograd], [true, false])
    func matchesTheNaiveReference(algorithm: ConvAlgorithm, withBias: Bool) throws {
        var rng = RNG(seed: 31)
        var winograds = 0
        for g in Self.geometries {
            let s = try ConvKernelTests.shape(g)
            guard let conv = DNNLConvolution.make(s, samples: s.batch, bias: withBias, algorithm: algorithm) else {
                #expect(algorithm == .winograd, "\(s): oneDNN made no direct convolution")
                continue
            }
            if algorithm == .winograd { winograds += 1 }
            // Winograd's transforms round more than a direct sum does.
            let tolerance: Float = algorithm == .winograd ? 1e-3 : 1e-4
            let x = T.randomArray(s.inputCount, &rng), w = T.randomArray(s.weightCount, &rng)
            let b = withBias ? T.randomArray(s.outChannels, &rng) : nil
            let dy = T.randomArray(s.outputCount, &rng), x2 = T.randomArray(s.inputCount, &rng)
            var y = [Float](repeating: .nan, count: s.outputCount)
            var dx = [Float](repeating: .nan, count: s.inputCount), dx2 = dx
            var dw = [Float](repeating: .nan, count: s.weightCount), dw2 = dw
            var db = [Float](repeating: .nan, count: s.outChannels), db2 = db
            withPointers(x) { xp in withPointers(x2) { x2p in withPointers(w) { wp in withOptionalPointer(b) { bp in
                withPointers(dy) { dyp in
                    withMutablePointer(&y) { conv.forward(x: xp, w: wp, b: bp, y: $0, thread: 0) }
                    withMutablePointer(&dx) { dxp in withMutablePointer(&dw) { dwp in withMutablePointer(&db) { dbp in
                        conv.backward(x: xp, dy: dyp, w: wp, dw: dwp, db: withBias ? dbp : nil, dx: dxp, thread: 0)
                    } } }
                    // Another x than the forward's: it must be read, not the forward's copy.
                    withMutablePointer(&dx2) { dxp in withMutablePointer(&dw2) { dwp in withMutablePointer(&db2) { dbp in
                        conv.backward(x: x2p, dy: dyp, w: wp, dw: dwp, db: withBias ? dbp : nil, dx: dxp, thread: 0)
                    } } }
                }
            } } } }
            let what = "\(s) \(algorithm)"
            T.expectClose(y, conv2dForwardReference(s, x: x, weight: w, bias: b), tolerance: tolerance, "\(what) y")
            let ref = conv2dBackwardReference(s, x: x, weight: w, dy: dy)
            T.expectClose(dx, ref.dx, tolerance: tolerance, "\(what) dx")
            T.expectClose(dw, ref.dWeight, tolerance: tolerance, "\(what) dW")
            if withBias { T.expectClose(db, ref.dBias, tolerance: tolerance, "\(what) db") }
            let ref2 = conv2dBackwardReference(s, x: x2, weight: w, dy: dy)
            T.expectClose(dw2, ref2.dWeight, tolerance: tolerance, "\(what) dW for another x")
            T.expectClose(dx2, ref2.dx, tolerance: tolerance, "\(what) dx for another x")
        }
        // oneDNN's Winograd kernels are AVX-512 ones: on an AVX2 CPU it offers none, and
        // the layers run direct (checked above all the same).
        if algorithm == .winograd {
            if ConvAlgorithm.winogradOffered { #expect(winograds >= 3, "oneDNN made Winograd for the 3×3 layers") }
            else { #expect(winograds == 0) }
        }
    }
}
