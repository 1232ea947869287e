import Foundation
import Testing
@testable import TicketsEngine

/// A micro-benchmark, not a test: one forward + backward of the first two layers of
/// the lottery-ticket paper's Conv-2 at batch 60 (1×28×28 → conv 64 3×3 pad 1 → conv
/// 64 3×3 pad 1; no ReLU, it costs nothing here), on one thread, for each layout of
/// the fast convolution. It prints times and checks nothing, so CI leaves it off:
///
///     TICKETS_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter ConvBenchmarkTests
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TICKETS_BENCH"] == "1", "set TICKETS_BENCH=1 to run"))
struct ConvBenchmarkTests {
    @Test func conv2FirstTwoLayersAtBatch60() throws {
        setBLASThreads(1)
        flushDenormals()
        let batch = 60
        let conv1 = try Conv2DShape(batch: batch, inChannels: 1, inHeight: 28, inWidth: 28, outChannels: 64,
                                    kernelHeight: 3, kernelWidth: 3, padding: 1)
        let conv2 = try Conv2DShape(batch: batch, inChannels: 64, inHeight: 28, inWidth: 28, outChannels: 64,
                                    kernelHeight: 3, kernelWidth: 3, padding: 1)
        var rng = RNG(seed: 1)
        func buffer(_ n: Int, random: Bool = true) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
            for i in 0..<n { p[i] = random ? Float(rng.normal()) * 0.1 : 0 }
            return p
        }
        let x = buffer(conv1.inputCount)
        let w1 = buffer(conv1.weightCount), b1 = buffer(64), w2 = buffer(conv2.weightCount), b2 = buffer(64)
        let h1 = buffer(conv1.outputCount, random: false), h2 = buffer(conv2.outputCount, random: false)
        let dh2 = buffer(conv2.outputCount), dh1 = buffer(conv1.outputCount, random: false)
        let dw1 = buffer(conv1.weightCount, random: false), db1 = buffer(64, random: false)
        let dw2 = buffer(conv2.weightCount, random: false), db2 = buffer(64, random: false)
        let all = [x, w1, b1, w2, b2, h1, h2, dh2, dh1, dw1, db1, dw2, db2]
        defer { all.forEach { $0.deallocate() } }

        // 2·(multiply-adds) of the four products per step: both forwards, conv2's dx and
        // dW, conv1's dW.
        let flops = 2.0 * Double(batch * 64 * 784) * Double(9 + 576 * 3 + 9)
        print("Conv-2 layers 1–2, batch \(batch), one thread; \(String(format: "%.2f", flops / 1e9)) GFLOP per step")
        for strategy in Conv2DStrategy.allCases {
            let scratchCount = max(conv1.scratchCount(strategy, samples: batch), conv2.scratchCount(strategy, samples: batch))
            let scratch = buffer(scratchCount, random: false)
            defer { scratch.deallocate() }
            var forward: [Double] = [], backward: [Double] = []
            for rep in 0..<6 {   // the first is a warm-up
                let t0 = DispatchTime.now().uptimeNanoseconds
                conv2dForward(conv1, x: x, weight: w1, bias: b1, y: h1, strategy: strategy, scratch: scratch)
                conv2dForward(conv2, x: h1, weight: w2, bias: b2, y: h2, strategy: strategy, scratch: scratch)
                let t1 = DispatchTime.now().uptimeNanoseconds
                conv2dBackward(conv2, x: h1, weight: w2, dy: dh2, dx: dh1, dWeight: dw2, dBias: db2,
                               strategy: strategy, scratch: scratch)
                conv2dBackward(conv1, x: x, weight: w1, dy: dh1, dx: nil, dWeight: dw1, dBias: db1,
                               strategy: strategy, scratch: scratch)
                let t2 = DispatchTime.now().uptimeNanoseconds
                if rep > 0 { forward.append(Double(t1 - t0) / 1e6); backward.append(Double(t2 - t1) / 1e6) }
            }
            let total = zip(forward, backward).map { $0 + $1 }
            func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
            print(String(format: "  %@: forward %.1f ms, backward %.1f ms, step median %.1f ms (min %.1f), %.1f GFLOP/s, scratch %.1f MB",
                         "\(strategy)", median(forward), median(backward), median(total), total.min() ?? 0,
                         flops / (median(total) * 1e6), Double(scratchCount * 4) / 1e6))
        }
        // The copies around the products: conv2's unfolding, done twice per step (forward
        // and dW), and its folding back for dx, once.
        let col = buffer(conv2.scratchCount(.perSample, samples: 1), random: false)
        defer { col.deallocate() }
        let t0 = DispatchTime.now().uptimeNanoseconds
        for n in 0..<batch { im2col(conv2, h1 + n * 64 * 784, col, ldc: 784) }
        let t1 = DispatchTime.now().uptimeNanoseconds
        for n in 0..<batch { col2im(conv2, col, ldc: 784, dh1 + n * 64 * 784) }
        let t2 = DispatchTime.now().uptimeNanoseconds
        print(String(format: "  conv2's im2col over the batch %.1f ms, col2im %.1f ms",
                     Double(t1 - t0) / 1e6, Double(t2 - t1) / 1e6))
    }
}
