import Foundation
import Testing
@testable import TicketsEngine

/// Times the sparse kernels against the dense sgemm path, single-threaded, on
/// LeNet-300-100's layers at batch 60. Off unless TICKETS_BENCH=1 (CI skips it):
///
///     TICKETS_BENCH=1 swift test -c release --filter SparseBenchmark
///
/// Each time is the minimum over several repetitions (the machine may be shared).
/// Dense: forward = bias copy + gemm, input gradient = gemm, weight gradient = gemm
/// (as Linear does), plus the bias gradient. Sparse: the SparseKernels on
/// feature-major activations, plus the bias gradient.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TICKETS_BENCH"] == "1"))
struct SparseBenchmark {
    static let batch = 60
    static let shapes = [(784, 300), (300, 100), (100, 10)]
    /// The densities of a LeNet IMP run (the whole-step summary), and a few more
    /// between them to place the crossovers.
    static let densities = [1.0, 0.51, 0.21, 0.107, 0.05, 0.02, 0.01]
    static let sweep = [1.0, 0.8, 0.65, 0.51, 0.4, 0.3, 0.21, 0.107, 0.05, 0.02, 0.01]

    /// Seconds per call of body: the least of 7 repetitions of ≥ 2 ms each.
    static func time(_ body: () -> Void) -> Double {
        func run(_ n: Int) -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<n { body() }
            return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        }
        var n = 1
        while run(n) < 2e-3 { n *= 2 }
        return (0..<7).map { _ in run(n) / Double(n) }.min() ?? 0
    }

    static func micro(_ s: Double) -> String { String(format: "%8.1f", s * 1e6) }

    /// One layer's buffers, batch-major for the dense path and feature-major for the sparse.
    final class Bench {
        let inputs: Int, outputs: Int, batch = SparseBenchmark.batch
        var weights: [Float], mask: [Float], bias: [Float]
        var x: [Float], dy: [Float], y: [Float], dx: [Float], dW: [Float], db: [Float]
        var xT: [Float], dyT: [Float], yT: [Float], dxT: [Float]
        var sparse: SparseMatrix, grad: [Float]
        // Adam state: dense (masked) and per kept weight.
        var m: [Float], v: [Float], mk: [Float], vk: [Float]

        init(inputs: Int, outputs: Int, density: Double, seed: UInt64) throws {
            var rng = RNG(seed: seed)
            self.inputs = inputs; self.outputs = outputs
            let n = inputs * outputs
            mask = (0..<n).map { _ in Float(rng.uniform() < density ? 1 : 0) }
            weights = (0..<n).map { _ in Float(rng.normal()) * 0.05 }
            for i in 0..<n { weights[i] *= mask[i] }
            bias = [Float](repeating: 0.01, count: outputs)
            x = (0..<(batch * inputs)).map { _ in Float(rng.uniform()) }
            dy = (0..<(batch * outputs)).map { _ in Float(rng.normal()) * 0.01 }
            y = [Float](repeating: 0, count: batch * outputs); dx = [Float](repeating: 0, count: batch * inputs)
            dW = [Float](repeating: 0, count: n); db = [Float](repeating: 0, count: outputs)
            xT = x; dyT = dy; yT = y; dxT = dx
            sparse = try SparseMatrix(weights: weights, mask: mask, rows: outputs, columns: inputs)
            grad = [Float](repeating: 0, count: sparse.nonzeroCount)
            m = [Float](repeating: 0, count: n); v = m
            mk = [Float](repeating: 0, count: sparse.nonzeroCount); vk = mk
            x.withUnsafeBufferPointer { s in xT.withUnsafeMutableBufferPointer { d in
                SparseKernels.transpose(s.baseAddress!, rows: batch, columns: inputs, into: d.baseAddress!)
            } }
            dy.withUnsafeBufferPointer { s in dyT.withUnsafeMutableBufferPointer { d in
                SparseKernels.transpose(s.baseAddress!, rows: batch, columns: outputs, into: d.baseAddress!)
            } }
        }

        func denseForward() {
            let (b, n, k) = (batch, outputs, inputs)
            y.withUnsafeMutableBufferPointer { y in
                let y = y.baseAddress!
                bias.withUnsafeBufferPointer { bp in for r in 0..<b { (y + r * n).update(from: bp.baseAddress!, count: n) } }
                gemm(transA: false, transB: true, m: b, n: n, k: k, x, lda: k, weights, ldb: k, beta: 1, y, ldc: n)
            }
        }
        func denseInputGradient() {
            gemm(transA: false, transB: false, m: batch, n: inputs, k: outputs, dy, lda: outputs, weights, ldb: inputs, &dx, ldc: inputs)
        }
        func denseWeightGradient() {
            gemm(transA: true, transB: false, m: outputs, n: inputs, k: batch, dy, lda: outputs, x, ldb: inputs, &dW, ldc: inputs)
            for j in 0..<outputs { db[j] = 0 }
            for r in 0..<batch { for j in 0..<outputs { db[j] += dy[r * outputs + j] } }
        }
        func sparseForward() {
            xT.withUnsafeBufferPointer { xT in bias.withUnsafeBufferPointer { b in yT.withUnsafeMutableBufferPointer { yT in
                SparseKernels.forward(sparse, xT: xT.baseAddress!, bias: b.baseAddress, yT: yT.baseAddress!, batch: batch, rows: 0..<outputs)
            } } }
        }
        func sparseInputGradient() {
            dyT.withUnsafeBufferPointer { dyT in dxT.withUnsafeMutableBufferPointer { dxT in
                SparseKernels.inputGradient(sparse, dyT: dyT.baseAddress!, dxT: dxT.baseAddress!, batch: batch, columns: 0..<inputs)
            } }
        }
        func sparseWeightGradient() {
            dyT.withUnsafeBufferPointer { dyT in xT.withUnsafeBufferPointer { xT in
                grad.withUnsafeMutableBufferPointer { g in db.withUnsafeMutableBufferPointer { db in
                    SparseKernels.weightGradient(sparse, dyT: dyT.baseAddress!, xT: xT.baseAddress!, grad: g.baseAddress!, batch: batch, rows: 0..<outputs)
                    SparseKernels.biasGradient(dyT: dyT.baseAddress!, db: db.baseAddress!, batch: batch, rows: 0..<outputs)
                } }
            } }
        }
        /// For comparison: the forward pass with the same CSR matrix over batch-major x,
        /// where each kept weight reads one scattered input per sample.
        func batchMajorForward() {
            x.withUnsafeBufferPointer { x in y.withUnsafeMutableBufferPointer { y in
                sparse.rowStart.withUnsafeBufferPointer { start in sparse.columnIndex.withUnsafeBufferPointer { column in
                    sparse.values.withUnsafeBufferPointer { value in
                        csrBatchMajorForward(start.baseAddress!, column.baseAddress, value.baseAddress, x.baseAddress!, y.baseAddress!,
                                             batch: batch, inputs: inputs, outputs: outputs)
                    }
                } }
            } }
        }
        /// Transposing this layer's input and output gradient (batch-major ↔ feature-major).
        func transposes() {
            x.withUnsafeBufferPointer { s in xT.withUnsafeMutableBufferPointer { d in
                SparseKernels.transpose(s.baseAddress!, rows: batch, columns: inputs, into: d.baseAddress!)
            } }
            dy.withUnsafeBufferPointer { s in dyT.withUnsafeMutableBufferPointer { d in
                SparseKernels.transpose(s.baseAddress!, rows: batch, columns: outputs, into: d.baseAddress!)
            } }
        }
        /// Adam over the dense masked W (what the engine does today) or over the kept weights.
        func denseAdam(step: Int) {
            weights.withUnsafeMutableBufferPointer { w in m.withUnsafeMutableBufferPointer { m in v.withUnsafeMutableBufferPointer { v in
                dW.withUnsafeBufferPointer { g in mask.withUnsafeBufferPointer { mk in
                    denseMaskedAdam(w.baseAddress!, m.baseAddress!, v.baseAddress!, g.baseAddress!, mk.baseAddress!, w.count, step)
                } }
            } } }
        }
        func sparseAdam(step: Int) {
            sparse.values.withUnsafeMutableBufferPointer { w in mk.withUnsafeMutableBufferPointer { m in vk.withUnsafeMutableBufferPointer { v in
                grad.withUnsafeBufferPointer { g in
                    guard let wp = w.baseAddress else { return }
                    SparseKernels.adam(values: wp, m: m.baseAddress!, v: v.baseAddress!, grad: g.baseAddress!, step: step,
                                       lr: 1.2e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, 0..<w.count)
                }
            } } }
        }
    }

    @Test func lenetLayersAtBatch60() throws {
        try withDenormalsFlushed { try body() }
        func body() throws {
        setBLASThreads(1)
        print("sparse vs dense, batch 60, one thread, µs per call (min of 7); fwd+dx+dW includes db")
        print("layer      density   dense fwd   dx   dW   total | sparse fwd   dx   dW   total | ratio  transposes")
        var stepDense = [Double: Double](), stepSparse = [Double: Double]()
        for (index, (inputs, outputs)) in Self.shapes.enumerated() {
            var crossover: Double? = nil, previous: (density: Double, ratio: Double)? = nil
            for density in Self.sweep {
                let b = try Bench(inputs: inputs, outputs: outputs, density: density, seed: UInt64(inputs + outputs))
                let df = Self.time(b.denseForward), dd = Self.time(b.denseInputGradient), dw = Self.time(b.denseWeightGradient)
                let sf = Self.time(b.sparseForward), sd = Self.time(b.sparseInputGradient), sw = Self.time(b.sparseWeightGradient)
                let tr = Self.time(b.transposes), bm = Self.time(b.batchMajorForward)
                var t = 0
                let da = Self.time { t += 1; b.denseAdam(step: t) }
                let sa = Self.time { t += 1; b.sparseAdam(step: t) }
                let dense = df + dd + dw, sparse = sf + sd + sw
                // The crossover: linear in the ratio between the last density where dense
                // wins and the first where sparse does.
                if sparse < dense && crossover == nil {
                    if let p = previous {
                        let ratio = sparse / dense
                        crossover = density + (p.density - density) * (1 - ratio) / (p.ratio - ratio)
                    } else {
                        crossover = density
                    }
                }
                previous = (density, sparse / dense)
                print("\(inputs)→\(outputs)".padding(toLength: 10, withPad: " ", startingAt: 0),
                      String(format: "%6.1f%%", density * 100), Self.micro(df), Self.micro(dd), Self.micro(dw), Self.micro(dense), "|",
                      Self.micro(sf), Self.micro(sd), Self.micro(sw), Self.micro(sparse), "|",
                      String(format: "%5.2f", sparse / dense), Self.micro(tr),
                      "  adam dense", Self.micro(da), "sparse", Self.micro(sa), " batch-major fwd", Self.micro(bm))
                // A LeNet step: the first layer needs no input gradient; Adam on W.
                let first = index == 0
                stepDense[density, default: 0] += dense - (first ? dd : 0) + da
                stepSparse[density, default: 0] += sparse - (first ? sd : 0) + sa + (first ? tr : 0)
            }
            print("  crossover for \(inputs)→\(outputs): sparse wins below", crossover.map { String(format: "%.0f%%", $0 * 100) } ?? "none", "kept (100% if it wins everywhere)")
        }
        print("whole LeNet step, all layers at one density (products + Adam; sparse adds transposing x (60×784) and a (60×300), more than a feature-major net needs):")
        for density in Self.densities {
            let d = stepDense[density] ?? 0, s = stepSparse[density] ?? 0
            print(String(format: "  %5.1f%% kept: dense %7.1f µs, sparse %7.1f µs, sparse/dense %.2f", density * 100, d * 1e6, s * 1e6, s / d))
        }
        }
    }
}

/// The dense Adam step of Optimizer.swift over a masked tensor (its C loop).
private func denseMaskedAdam(_ w: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
                             _ g: UnsafePointer<Float>, _ mask: UnsafePointer<Float>, _ n: Int, _ t: Int) {
    let c1 = 1 - powf(0.9, Float(t)), c2 = 1 - powf(0.999, Float(t))
    Kernels.adam(w, m, v, g, mask, s1: 1.2e-3 / c1, inv2: 1 / c2, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0, 0..<n)
}

/// y (B, out) = x·Wᵀ for a CSR W and batch-major x (B, in): one gathered dot per
/// sample and output (the benchmark's comparison point).
@inline(never)
private func csrBatchMajorForward(_ start: UnsafePointer<Int32>, _ column: UnsafePointer<Int32>?, _ value: UnsafePointer<Float>?,
                                  _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, inputs: Int, outputs: Int) {
    guard let column, let value else { return }
    for b in 0..<batch {
        let row = x + b * inputs
        for r in 0..<outputs {
            var s: Float = 0
            for k in Int(start[r])..<Int(start[r + 1]) { s += value[k] * row[Int(column[k])] }
            y[b * outputs + r] = s
        }
    }
}
