import Testing
@testable import TicketsEngine

/// The sparse kernels against the dense masked references (SparseReference.swift).
///
/// Tolerance: a fast Float result y may differ from the Double reference by
/// 1e-5·S + 1e-6, where S is the same sum taken over the terms' magnitudes
/// (Σ|w||x| + |b|): the order of the additions differs, and Float rounds each of at
/// most a few hundred additions by 6e-8 of the running sum.
struct SparseKernelTests {
    /// A random layer: W (out, in) normal, mask at the given density with row `out/3`
    /// and column `in/2` emptied (when density < 1), bias normal.
    struct Layer {
        let inputs: Int, outputs: Int
        let weights: [Float], mask: [Float], bias: [Float]
        let sparse: SparseMatrix

        init(inputs: Int, outputs: Int, density: Double, rng: inout RNG) throws {
            self.inputs = inputs; self.outputs = outputs
            var mask = (0..<(outputs * inputs)).map { _ in Float(rng.uniform() < density ? 1 : 0) }
            if density < 1 && inputs > 0 && outputs > 0 {
                for c in 0..<inputs { mask[(outputs / 3) * inputs + c] = 0 }
                for r in 0..<outputs { mask[r * inputs + inputs / 2] = 0 }
            }
            self.mask = mask
            // Pruned weights hold junk: the kernels must ignore them, not rely on zeros.
            weights = (0..<(outputs * inputs)).map { _ in Float(rng.normal()) }
            bias = (0..<outputs).map { _ in Float(rng.normal()) }
            sparse = try SparseMatrix(weights: weights, mask: mask, rows: outputs, columns: inputs)
        }
    }

    static func random(_ n: Int, _ rng: inout RNG) -> [Float] { (0..<n).map { _ in Float(rng.normal()) } }

    /// The buffer's address, or a spare one when it is empty (and nothing is read).
    static func at(_ b: UnsafeBufferPointer<Float>) -> UnsafePointer<Float> { b.baseAddress ?? UnsafePointer(spare) }
    static func at(_ b: UnsafeMutableBufferPointer<Float>) -> UnsafeMutablePointer<Float> { b.baseAddress ?? spare }
    nonisolated(unsafe) static let spare = UnsafeMutablePointer<Float>.allocate(capacity: 1)

    static func transposed(_ a: [Float], rows: Int, columns: Int) -> [Float] {
        var t = [Float](repeating: 0, count: a.count)
        a.withUnsafeBufferPointer { s in t.withUnsafeMutableBufferPointer { d in
            SparseKernels.transpose(at(s), rows: rows, columns: columns, into: at(d))
        } }
        return t
    }

    static func expectClose(_ fast: [Float], _ reference: [Float], magnitudes: [Float], _ what: String) {
        #expect(fast.count == reference.count)
        var worst = 0.0
        for i in 0..<min(fast.count, reference.count) {
            let excess = abs(Double(fast[i]) - Double(reference[i])) - (1e-5 * Double(magnitudes[i]) + 1e-6)
            worst = max(worst, excess)
        }
        #expect(worst <= 0, "\(what): off by \(worst) beyond the tolerance")
    }

    // (inputs, outputs, batch, density): LeNet's shapes, odd sizes, batches around the
    // vector width (8) and the register group (64), and the densities 0 and 1.
    static let cases: [(Int, Int, Int, Double)] = [
        (784, 300, 60, 0.107), (300, 100, 60, 0.02), (100, 10, 60, 0.51), (100, 10, 60, 1),
        (37, 23, 60, 0), (37, 23, 1, 0.3), (5, 3, 7, 0.5), (19, 17, 8, 0.21), (19, 17, 9, 0.21),
        (33, 29, 64, 0.05), (33, 29, 65, 0.5), (50, 41, 130, 0.1), (50, 41, 200, 1), (0, 4, 60, 0.5),
        (4, 0, 60, 0.5), (12, 12, 0, 0.5),
    ]

    @Test(arguments: cases)
    func kernelsMatchDenseMaskedLayer(inputs: Int, outputs: Int, batch: Int, density: Double) throws {
        var rng = RNG(seed: UInt64(inputs * 1000 + outputs * 10 + batch))
        let layer = try Layer(inputs: inputs, outputs: outputs, density: density, rng: &rng)
        let w = layer.sparse
        let x = Self.random(batch * inputs, &rng), dy = Self.random(batch * outputs, &rng)
        let xT = Self.transposed(x, rows: batch, columns: inputs)
        let dyT = Self.transposed(dy, rows: batch, columns: outputs)

        // Each kernel runs as two calls over the two balanced ranges, as two threads would.
        var yT = [Float](repeating: .nan, count: batch * outputs)
        var dxT = [Float](repeating: .nan, count: batch * inputs)
        var grad = [Float](repeating: .nan, count: w.nonzeroCount)
        var db = [Float](repeating: .nan, count: outputs)
        xT.withUnsafeBufferPointer { xT in dyT.withUnsafeBufferPointer { dyT in layer.bias.withUnsafeBufferPointer { b in
            yT.withUnsafeMutableBufferPointer { yT in dxT.withUnsafeMutableBufferPointer { dxT in
                grad.withUnsafeMutableBufferPointer { g in db.withUnsafeMutableBufferPointer { db in
                    for rows in w.rowRanges(2) {
                        SparseKernels.forward(w, xT: Self.at(xT), bias: b.baseAddress, yT: Self.at(yT), batch: batch, rows: rows)
                        SparseKernels.weightGradient(w, dyT: Self.at(dyT), xT: Self.at(xT), grad: Self.at(g), batch: batch, rows: rows)
                        SparseKernels.biasGradient(dyT: Self.at(dyT), db: Self.at(db), batch: batch, rows: rows)
                    }
                    for columns in w.columnRanges(2) {
                        SparseKernels.inputGradient(w, dyT: Self.at(dyT), dxT: Self.at(dxT), batch: batch, columns: columns)
                    }
                } }
            } }
        } } }

        let abs = { (a: [Float]) in a.map { Swift.abs($0) } }
        let y = SparseReference.forward(x: x, weights: layer.weights, mask: layer.mask, bias: layer.bias,
                                        batch: batch, inputs: inputs, outputs: outputs)
        let yBound = SparseReference.forward(x: abs(x), weights: abs(layer.weights), mask: layer.mask, bias: abs(layer.bias),
                                             batch: batch, inputs: inputs, outputs: outputs)
        Self.expectClose(Self.transposed(yT, rows: outputs, columns: batch), y, magnitudes: yBound, "forward")

        let dx = SparseReference.inputGradient(dy: dy, weights: layer.weights, mask: layer.mask,
                                               batch: batch, inputs: inputs, outputs: outputs)
        let dxBound = SparseReference.inputGradient(dy: abs(dy), weights: abs(layer.weights), mask: layer.mask,
                                                    batch: batch, inputs: inputs, outputs: outputs)
        Self.expectClose(Self.transposed(dxT, rows: inputs, columns: batch), dx, magnitudes: dxBound, "input gradient")

        let dW = SparseReference.weightGradient(dy: dy, x: x, mask: layer.mask, batch: batch, inputs: inputs, outputs: outputs)
        let dWBound = SparseReference.weightGradient(dy: abs(dy), x: abs(x), mask: layer.mask,
                                                     batch: batch, inputs: inputs, outputs: outputs)
        Self.expectClose(try w.scatter(grad), dW, magnitudes: dWBound, "weight gradient")
        Self.expectClose(grad, try w.gather(dW), magnitudes: try w.gather(dWBound), "weight gradient (compressed)")

        let dbReference = (0..<outputs).map { r in Float((0..<batch).reduce(0.0) { $0 + Double(dy[$1 * outputs + r]) }) }
        let dbBound = (0..<outputs).map { r in Float((0..<batch).reduce(0.0) { $0 + Double(Swift.abs(dy[$1 * outputs + r])) }) }
        Self.expectClose(db, dbReference, magnitudes: dbBound, "bias gradient")
    }

    @Test func twoThreadsOnDisjointRangesGiveTheOneThreadResult() throws {
        var rng = RNG(seed: 8)
        let layer = try Layer(inputs: 784, outputs: 300, density: 0.107, rng: &rng)
        let w = layer.sparse, batch = 60
        let xT = Self.random(784 * batch, &rng), dyT = Self.random(300 * batch, &rng)
        func run(threads: Int) -> ([Float], [Float], [Float]) {
            var yT = [Float](repeating: 0, count: 300 * batch), dxT = [Float](repeating: 0, count: 784 * batch)
            var g = [Float](repeating: 0, count: w.nonzeroCount)
            let rows = w.rowRanges(threads), columns = w.columnRanges(threads)
            xT.withUnsafeBufferPointer { xT in dyT.withUnsafeBufferPointer { dyT in layer.bias.withUnsafeBufferPointer { b in
                yT.withUnsafeMutableBufferPointer { yT in dxT.withUnsafeMutableBufferPointer { dxT in g.withUnsafeMutableBufferPointer { g in
                    let (x, dy, b, y, dx, g) = (xT.baseAddress!, dyT.baseAddress!, b.baseAddress!, yT.baseAddress!, dxT.baseAddress!, g.baseAddress!)
                    let part = { (i: Int) in
                        SparseKernels.forward(w, xT: x, bias: b, yT: y, batch: batch, rows: rows[i])
                        SparseKernels.weightGradient(w, dyT: dy, xT: x, grad: g, batch: batch, rows: rows[i])
                        SparseKernels.inputGradient(w, dyT: dy, dxT: dx, batch: batch, columns: columns[i])
                    }
                    if threads == 2 { TwoWay.shared.run(part) } else { part(0) }
                } } }
            } } }
            return (yT, dxT, g)
        }
        let one = run(threads: 1), two = run(threads: 2)
        // Each output is summed in the same order either way: equal to the bit.
        #expect(one.0 == two.0 && one.1 == two.1 && one.2 == two.2)
    }

    @Test func compressedFormByHand() throws {
        // The example of SparseMatrix's doc comment; the pruned 9 is not kept.
        let w = try SparseMatrix(weights: [1, 9, 2, 0, 9, 0, 0, 3, 0], mask: [1, 0, 1, 0, 0, 0, 0, 1, 0], rows: 3, columns: 3)
        #expect(w.values == [1, 2, 3] && w.rowStart == [0, 2, 2, 3] && w.columnIndex == [0, 2, 1])
        #expect(w.columnStart == [0, 1, 2, 3] && w.rowIndex == [0, 2, 0] && w.valuePosition == [0, 2, 1])
        #expect(w.denseWeights() == [1, 0, 2, 0, 0, 0, 0, 3, 0])
        #expect(abs(w.density - 1.0 / 3) < 1e-12)
        // A kept weight whose value is 0 stays kept.
        let z = try SparseMatrix(weights: [0, 5], mask: [1, 1], rows: 1, columns: 2)
        #expect(z.nonzeroCount == 2)
    }

    @Test func gatherAndScatterRoundTrip() throws {
        var rng = RNG(seed: 3)
        var layer = try Layer(inputs: 31, outputs: 17, density: 0.3, rng: &rng).sparse
        let dense = Self.random(31 * 17, &rng)
        try layer.setValues(fromDense: dense)
        let mask = try layer.scatter([Float](repeating: 1, count: layer.nonzeroCount))
        #expect(layer.denseWeights() == zip(dense, mask).map { $0 * $1 })
        #expect(try layer.gather(layer.denseWeights()) == layer.values)
        #expect(throws: EngineError.self) { try layer.gather([1, 2]) }
        #expect(throws: EngineError.self) { try layer.scatter([1, 2]) }
        #expect(throws: EngineError.self) { try SparseMatrix(weights: [1], mask: [1, 1], rows: 1, columns: 2) }
        #expect(throws: EngineError.self) { try SparseMatrix(weight: Tensor(zeros: [2, 3]), mask: Tensor(zeros: [3, 2])) }
    }

    @Test func rangesCoverAllRowsAndBalanceTheWork() throws {
        var rng = RNG(seed: 4)
        let w = try Layer(inputs: 784, outputs: 300, density: 0.05, rng: &rng).sparse
        for parts in [1, 2, 3, 7] {
            for (ranges, n, start) in [(w.rowRanges(parts), 300, w.rowStart), (w.columnRanges(parts), 784, w.columnStart)] {
                #expect(ranges.count == parts && ranges.first?.lowerBound == 0 && ranges.last?.upperBound == n)
                for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
                let work = ranges.map { Int(start[$0.upperBound] - start[$0.lowerBound]) + $0.count }
                let total = Int(start[n]) + n
                // Each part is within one row's work (at most `in` + 1 here) of an equal share.
                for part in work { #expect(Swift.abs(part - total / parts) <= 800) }
            }
        }
        #expect(try SparseMatrix(weights: [], mask: [], rows: 0, columns: 5).rowRanges(2) == [0..<0, 0..<0])
    }

    @Test(arguments: ["sgd", "momentum", "adam"])
    func optimiserStepsMatchDenseMaskedSteps(kind: String) throws {
        var rng = RNG(seed: 5)
        let layer = try Layer(inputs: 40, outputs: 30, density: 0.2, rng: &rng)
        let n = 40 * 30, kept = layer.sparse.nonzeroCount
        var dense = zip(layer.weights, layer.mask).map { $0 * $1 }
        var sparse = layer.sparse.values
        var denseState1 = [Float](repeating: 0, count: n), denseState2 = denseState1
        var state1 = [Float](repeating: 0, count: kept), state2 = state1
        for t in 1...4 {
            let g = Self.random(n, &rng)        // dense gradient, junk at pruned weights
            let gk = try layer.sparse.gather(g)
            dense.withUnsafeMutableBufferPointer { w in denseState1.withUnsafeMutableBufferPointer { s1 in
                denseState2.withUnsafeMutableBufferPointer { s2 in g.withUnsafeBufferPointer { g in layer.mask.withUnsafeBufferPointer { m in
                    let (w, s1, s2, g, m) = (w.baseAddress!, s1.baseAddress!, s2.baseAddress!, g.baseAddress!, m.baseAddress!)
                    switch kind {
                    case "sgd": Kernels.sgd(w, g, m, lr: 0.1, wd: 0.01, 0..<n)
                    case "momentum": Kernels.sgdMomentum(w, s1, g, m, lr: 0.1, mu: 0.9, wd: 0.01, 0..<n)
                    default:
                        let c1 = 1 - powf(0.9, Float(t)), c2 = 1 - powf(0.999, Float(t))
                        Kernels.adam(w, s1, s2, g, m, s1: 0.01 / c1, inv2: 1 / c2, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0.01, 0..<n)
                    }
                } } }
            } }
            sparse.withUnsafeMutableBufferPointer { w in state1.withUnsafeMutableBufferPointer { s1 in
                state2.withUnsafeMutableBufferPointer { s2 in gk.withUnsafeBufferPointer { g in
                    let (w, s1, s2, g) = (w.baseAddress!, s1.baseAddress!, s2.baseAddress!, g.baseAddress!)
                    // Two ranges, as two threads would run them.
                    for range in [0..<(kept / 2), (kept / 2)..<kept] {
                        switch kind {
                        case "sgd": SparseKernels.sgd(values: w, grad: g, lr: 0.1, weightDecay: 0.01, range)
                        case "momentum":
                            SparseKernels.sgdMomentum(values: w, velocity: s1, grad: g, lr: 0.1, momentum: 0.9, weightDecay: 0.01, range)
                        default:
                            SparseKernels.adam(values: w, m: s1, v: s2, grad: g, step: t, lr: 0.01, beta1: 0.9, beta2: 0.999,
                                               eps: 1e-8, weightDecay: 0.01, range)
                        }
                    }
                } }
            } }
        }
        // Same formulas, same Float operations: equal to 1e-6 relative (in practice exactly).
        let back = try layer.sparse.scatter(sparse)
        for (a, b) in zip(back, dense) { #expect(abs(a - b) <= 1e-6 * abs(b) + 1e-7) }
        #expect(try layer.sparse.gather(denseState1) == state1)
    }

    @Test func transposeRoundTrips() {
        var rng = RNG(seed: 6)
        for (r, c) in [(1, 1), (60, 784), (784, 60), (17, 33), (8, 8), (16, 9), (7, 24), (0, 5)] {
            let a = Self.random(r * c, &rng)
            let t = Self.transposed(a, rows: r, columns: c)
            for i in 0..<r { for j in 0..<c { #expect(t[j * r + i] == a[i * c + j]) } }
            #expect(Self.transposed(t, rows: c, columns: r) == a)
        }
    }
}

import Foundation
