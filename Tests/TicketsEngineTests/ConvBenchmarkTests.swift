import Foundation
import Testing
@testable import TicketsEngine

/// Micro-benchmarks, not tests: one forward + backward of a short chain of
/// convolutions on one thread, for each layout of the fast convolution (no ReLU
/// between, it costs nothing here), one after the other. They print times and check
/// nothing, so CI leaves them off:
///
///     TICKETS_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter ConvBenchmarkTests
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["TICKETS_BENCH"] == "1", "set TICKETS_BENCH=1 to run"))
struct ConvBenchmarkTests {
    /// The lottery-ticket paper's Conv-2, first two layers, batch 60:
    /// 1×28×28 → conv 64 3×3 pad 1 → conv 64 3×3 pad 1.
    @Test func conv2FirstTwoLayersAtBatch60() throws {
        try Self.measure("Conv-2 layers 1–2, batch 60", [
            Conv2DShape(batch: 60, inChannels: 1, inHeight: 28, inWidth: 28, outChannels: 64,
                        kernelHeight: 3, kernelWidth: 3, padding: 1),
            Conv2DShape(batch: 60, inChannels: 64, inHeight: 28, inWidth: 28, outChannels: 64,
                        kernelHeight: 3, kernelWidth: 3, padding: 1)])
        try Self.measureCopies(Conv2DShape(batch: 60, inChannels: 64, inHeight: 28, inWidth: 28, outChannels: 64,
                                           kernelHeight: 3, kernelWidth: 3, padding: 1))
    }

    /// Small images, where whole-batch products should pay: two convolutions of a
    /// CIFAR ResNet-20's last stage (64 channels at 8×8), batch 128.
    @Test func resNetLastStageAtBatch128() throws {
        let s = try Conv2DShape(batch: 128, inChannels: 64, inHeight: 8, inWidth: 8, outChannels: 64,
                                kernelHeight: 3, kernelWidth: 3, padding: 1)
        try Self.measure("ResNet-20 last stage, 2 convs 64×8×8, batch 128", [s, s])
    }

    /// Runs forward through `layers` (each one's input is the previous one's output),
    /// then backward (no dx for the first), 1 warm-up and 5 timed steps per layout.
    static func measure(_ title: String, _ layers: [Conv2DShape]) throws {
        try withDenormalsFlushed { try body() }
        func body() throws {
        setBLASThreads(1)
        var rng = RNG(seed: 1)
        var owned: [UnsafeMutablePointer<Float>] = []
        defer { owned.forEach { $0.deallocate() } }
        func buffer(_ n: Int, random: Bool = false) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
            for i in 0..<n { p[i] = random ? Float(rng.normal()) * 0.1 : 0 }
            owned.append(p)
            return p
        }
        // activations[k] is layer k's input; gradients[k] the gradient of that input.
        let activations = [buffer(layers[0].inputCount, random: true)] + layers.map { buffer($0.outputCount) }
        let gradients = layers.map { buffer($0.inputCount) } + [buffer(layers.last!.outputCount, random: true)]
        let weights = layers.map { buffer($0.weightCount, random: true) }, biases = layers.map { buffer($0.outChannels) }
        let dWeights = layers.map { buffer($0.weightCount) }, dBiases = layers.map { buffer($0.outChannels) }
        let flops = layers.enumerated().reduce(0.0) { sum, layer in
            let products = layer.offset == 0 ? 2.0 : 3.0   // forward, dW, and dx except for the first
            return sum + products * 2 * Double(layer.element.outputCount * layer.element.kernelVolume)
        }
        print("\(title), one thread, \(String(format: "%.2f", flops / 1e9)) GFLOP per step")
        for strategy in Conv2DStrategy.allCases {
            let scratchCount = layers.map { $0.scratchCount(strategy, samples: $0.batch) }.max() ?? 0
            let scratch = buffer(scratchCount)
            var forward: [Double] = [], backward: [Double] = []
            for rep in 0..<6 {
                let t0 = DispatchTime.now().uptimeNanoseconds
                for (k, s) in layers.enumerated() {
                    conv2dForward(s, x: activations[k], weight: weights[k], bias: biases[k], y: activations[k + 1],
                                  strategy: strategy, scratch: scratch)
                }
                let t1 = DispatchTime.now().uptimeNanoseconds
                for (k, s) in layers.enumerated().reversed() {
                    conv2dBackward(s, x: activations[k], weight: weights[k], dy: gradients[k + 1],
                                   dx: k == 0 ? nil : gradients[k], dWeight: dWeights[k], dBias: dBiases[k],
                                   strategy: strategy, scratch: scratch)
                }
                let t2 = DispatchTime.now().uptimeNanoseconds
                if rep > 0 { forward.append(Double(t1 - t0) / 1e6); backward.append(Double(t2 - t1) / 1e6) }
            }
            let total = zip(forward, backward).map { $0 + $1 }
            func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
            print(String(format: "  %@: forward %.1f ms, backward %.1f ms, step median %.1f ms (min %.1f), %.1f GFLOP/s, scratch %.1f MB",
                         "\(strategy)", median(forward), median(backward), median(total), total.min() ?? 0,
                         flops / (median(total) * 1e6), Double(scratchCount * 4) / 1e6))
        }
        }
    }

    /// The copies around the products for one layer over its batch: the unfolding
    /// (done twice per step, forward and dW) and the folding back for dx (once).
    static func measureCopies(_ s: Conv2DShape) throws {
        let x = UnsafeMutablePointer<Float>.allocate(capacity: s.inputCount)
        let col = UnsafeMutablePointer<Float>.allocate(capacity: s.scratchCount(.perSample, samples: 1))
        defer { x.deallocate(); col.deallocate() }
        x.initialize(repeating: 0.5, count: s.inputCount)
        let sample = s.inChannels * s.inPlane
        let t0 = DispatchTime.now().uptimeNanoseconds
        for n in 0..<s.batch { im2col(s, x + n * sample, col, ldc: s.outPlane) }
        let t1 = DispatchTime.now().uptimeNanoseconds
        for n in 0..<s.batch { col2im(s, col, ldc: s.outPlane, x + n * sample) }
        let t2 = DispatchTime.now().uptimeNanoseconds
        print(String(format: "  of which, for %@: im2col over the batch %.1f ms, col2im %.1f ms",
                     "\(s)", Double(t1 - t0) / 1e6, Double(t2 - t1) / 1e6))
    }
}
