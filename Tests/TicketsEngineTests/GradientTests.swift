import Testing
@testable import TicketsEngine

/// Every backward pass against central finite differences of a Float64 re-implementation
/// of the forward pass.
struct GradientTests {
    /// Float64 forward of a net: linear layers with ReLU between, then softmax CE.
    static func lossDouble(_ net: Network, w: [[Double]], b: [[Double]], x: [Float], y: [Int32], batch: Int) -> Double {
        var total = 0.0
        for r in 0..<batch {
            var h = (0..<net.inputSize).map { Double(x[r * net.inputSize + $0]) }
            for (li, l) in net.linears.enumerated() {
                var o = [Double](repeating: 0, count: l.outFeatures)
                for j in 0..<l.outFeatures {
                    var s = b[li][j]
                    for i in 0..<l.inFeatures { s += w[li][j * l.inputSize + i] * h[i] }
                    o[j] = s
                }
                h = li == net.linears.count - 1 ? o : o.map { max($0, 0) }
            }
            let m = h.max()!
            let lse = m + Foundation.log(h.map { Foundation.exp($0 - m) }.reduce(0, +))
            total += lse - h[Int(y[r])]
        }
        return total / Double(batch)
    }

    @Test func mlpBackwardMatchesFiniteDifferences() throws {
        let net = try Network.mlp([7, 6, 5, 4], initializer: .torch, seed: 3)
        let batch = 5
        var rng = RNG(seed: 11)
        let x = (0..<(batch * 7)).map { _ in Float(rng.normal()) }
        let y = (0..<batch).map { _ in Int32(rng.below(4)) }
        // Analytic gradients.
        let logits = x.withUnsafeBufferPointer { net.forward($0.baseAddress!, batch: batch) }
        var dlogits = [Float](repeating: 0, count: batch * 4)
        y.withUnsafeBufferPointer { yp in
            dlogits.withUnsafeMutableBufferPointer { g in
                _ = softmaxCrossEntropy(logits: logits, labels: yp.baseAddress!, batch: batch, classes: 4, grad: g.baseAddress!)
            }
        }
        dlogits.withUnsafeBufferPointer { net.backward($0.baseAddress!, batch: batch) }

        let w = net.linears.map { $0.weight.value.data.map(Double.init) }
        let b = net.linears.map { $0.bias.value.data.map(Double.init) }
        // Central difference of the Float64 loss in parameter k of layer li (of W or of b).
        func numeric(_ li: Int, _ k: Int, bias: Bool) -> Double {
            let eps = 1e-6
            var plus = bias ? b : w, minus = plus
            plus[li][k] += eps; minus[li][k] -= eps
            let lp = bias ? Self.lossDouble(net, w: w, b: plus, x: x, y: y, batch: batch) : Self.lossDouble(net, w: plus, b: b, x: x, y: y, batch: batch)
            let lm = bias ? Self.lossDouble(net, w: w, b: minus, x: x, y: y, batch: batch) : Self.lossDouble(net, w: minus, b: b, x: x, y: y, batch: batch)
            return (lp - lm) / (2 * eps)
        }
        for (li, l) in net.linears.enumerated() {
            for (grad, bias) in [(l.weight.grad!, false), (l.bias.grad!, true)] {
                for k in 0..<grad.count {
                    let num = numeric(li, k, bias: bias)
                    #expect(abs(num - Double(grad.data[k])) < 1e-4 + 1e-3 * abs(num), "\(l.name) \(bias ? "b" : "W")[\(k)]: \(num) vs \(grad.data[k])")
                }
            }
        }
    }

    @Test func linearInputGradientMatchesFiniteDifferences() {
        let l = Linear(name: "fc", inFeatures: 6, outFeatures: 3)
        var rng = RNG(seed: 5)
        l.weight.value.data = (0..<18).map { _ in Float(rng.normal()) }
        l.bias.value.data = (0..<3).map { _ in Float(rng.normal()) }
        let batch = 4
        let x = (0..<(batch * 6)).map { _ in Float(rng.normal()) }
        let r = (0..<(batch * 3)).map { _ in Float(rng.normal()) }   // loss = Σ r ⊙ y
        _ = x.withUnsafeBufferPointer { l.forward($0.baseAddress!, batch: batch) }
        let dx = r.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: l.backward($0.baseAddress!, batch: batch, needInputGrad: true)!, count: batch * 6)) }
        func loss(_ xs: [Double]) -> Double {
            var s = 0.0
            for b in 0..<batch { for j in 0..<3 {
                var y = Double(l.bias.value.data[j])
                for i in 0..<6 { y += Double(l.weight.value.data[j * 6 + i]) * xs[b * 6 + i] }
                s += Double(r[b * 3 + j]) * y
            } }
            return s
        }
        let xd = x.map(Double.init)
        for k in 0..<xd.count {
            var p = xd, m = xd
            p[k] += 1e-6; m[k] -= 1e-6
            let num = (loss(p) - loss(m)) / 2e-6
            #expect(abs(num - Double(dx[k])) < 1e-4 + 1e-4 * abs(num))
        }
    }

    @Test func reluBackwardPassesGradientWherePositive() {
        let relu = ReLU(shape: [4])
        let x: [Float] = [-1, 2, 0.5, -0.25]
        _ = x.withUnsafeBufferPointer { relu.forward($0.baseAddress!, batch: 1) }
        let dy: [Float] = [10, 20, 30, 40]
        let dx = dy.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: relu.backward($0.baseAddress!, batch: 1, needInputGrad: true)!, count: 4)) }
        #expect(dx == [0, 20, 30, 0])
    }

    @Test func splitProductsMatchTheNaiveReference() throws {
        // A product big enough to be split between two threads (TwoWay.minimumWork)
        // must agree with the naive one: y = x·Wᵀ, dW = dyᵀ·x, dx = dy·W.
        let (n, k, batch) = (100, 200, 60)
        #expect(batch * n * k >= TwoWay.minimumWork)
        var rng = RNG(seed: 9)
        let x = (0..<(batch * k)).map { _ in Float(rng.normal()) }
        let dy = (0..<(batch * n)).map { _ in Float(rng.normal()) }
        let l = Linear(name: "fc", inFeatures: k, outFeatures: n)
        l.weight.value.data = (0..<(n * k)).map { _ in Float(rng.normal()) }
        let w = l.weight.value.data
        let y = x.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: l.forward($0.baseAddress!, batch: batch), count: batch * n)) }
        let dx = dy.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: l.backward($0.baseAddress!, batch: batch, needInputGrad: true)!, count: batch * k)) }
        var yRef = [Float](repeating: 0, count: batch * n), dwRef = [Float](repeating: 0, count: n * k), dxRef = [Float](repeating: 0, count: batch * k)
        gemmReference(transA: false, transB: true, m: batch, n: n, k: k, x, lda: k, w, ldb: k, &yRef, ldc: n)
        gemmReference(transA: true, transB: false, m: n, n: k, k: batch, dy, lda: n, x, ldb: k, &dwRef, ldc: k)
        gemmReference(transA: false, transB: false, m: batch, n: k, k: n, dy, lda: n, w, ldb: k, &dxRef, ldc: k)
        for (a, b) in zip(y + l.weight.grad!.data + dx, yRef + dwRef + dxRef) { #expect(abs(a - b) < 1e-3) }
    }
}

import Foundation
