import Foundation
import Testing
@testable import TicketsEngine

/// Every image layer's forward against a Float64 re-implementation (LayerReference)
/// and its backward against central finite differences of that re-implementation:
/// the gradient with respect to the input and to every trained parameter.
struct ConvLayerGradientTests {
    /// Runs the layer on a random batch with loss = Σ r ⊙ y for a random r, and checks
    /// y, dx and each trained parameter's gradient.
    static func check(_ layer: Layer, batch: Int, seed: UInt64 = 1, sourceLocation: SourceLocation = #_sourceLocation) {
        var rng = RNG(seed: seed)
        let x = KernelTestSupport.randomArray(batch * layer.inputSize, &rng)
        let r = KernelTestSupport.randomArray(batch * layer.outputSize, &rng)
        let xp = UnsafeMutablePointer<Float>.allocate(capacity: x.count), rp = UnsafeMutablePointer<Float>.allocate(capacity: r.count)
        defer { xp.deallocate(); rp.deallocate() }
        xp.initialize(from: x, count: x.count); rp.initialize(from: r, count: r.count)
        let reference = LayerReference()
        let statisticsBefore = layer.parameters.filter { $0.role == .buffer }.map(\.value.data)

        let y = Array(UnsafeBufferPointer(start: layer.forward(xp, batch: batch), count: r.count))
        let yRef = reference.forward(layer, x.map(Double.init), batch: batch)
        KernelTestSupport.expectClose(y, yRef.map { Float($0) }, tolerance: 1e-4, "\(layer.name) forward", sourceLocation: sourceLocation)
        guard let dxp = layer.backward(rp, batch: batch, needInputGrad: true) else {
            Issue.record("\(layer.name): no input gradient", sourceLocation: sourceLocation)
            return
        }
        let dx = Array(UnsafeBufferPointer(start: dxp, count: x.count))

        // The loss of the Float64 forward, with the running statistics as they were
        // before the forward pass (the reference reads them in eval mode).
        var base = reference
        for (p, v) in zip(layer.parameters.filter { $0.role == .buffer }, statisticsBefore) {
            base.values[ObjectIdentifier(p)] = v.map(Double.init)
        }
        func loss(_ ref: LayerReference, _ xs: [Double]) -> Double {
            zip(ref.forward(layer, xs, batch: batch), r).reduce(0) { $0 + $1.0 * Double($1.1) }
        }
        let xd = x.map(Double.init)
        KernelTestSupport.expectGradient(dx, KernelTestSupport.numericGradient(at: xd) { loss(base, $0) },
                                         "\(layer.name) dx", sourceLocation: sourceLocation)
        for (key, p) in allTrained(layer) {
            let numeric = KernelTestSupport.numericGradient(at: base.value(p)) { v in
                var ref = base
                ref.values[ObjectIdentifier(p)] = v
                return loss(ref, xd)
            }
            KernelTestSupport.expectGradient(p.grad!.data, numeric, "\(layer.name) d\(key)", sourceLocation: sourceLocation)
        }
    }

    /// The trained parameters of a layer and its children, by path.
    static func allTrained(_ layer: Layer) -> [(String, Parameter)] {
        var out: [(String, Parameter)] = []
        Network.walk([layer], prefix: "") { path, l in
            for p in l.parameters where p.trainable { out.append((path + "." + p.name, p)) }
        }
        return out
    }

    static func randomize(_ layer: Layer, seed: UInt64) {
        var rng = RNG(seed: seed)
        for (_, p) in allTrained(layer) { p.value.data = KernelTestSupport.randomArray(p.count, &rng) }
    }

    @Test func conv2dWithPaddingAndBias() throws {
        let l = try Conv2D(name: "conv1", inputShape: [2, 5, 5], outChannels: 3, kernelSize: 3, stride: 1, padding: 1)
        Self.randomize(l, seed: 2)
        Self.check(l, batch: 3)
    }

    @Test func conv2dStridedWithoutBias() throws {
        let l = try Conv2D(name: "conv1", inputShape: [3, 6, 5], outChannels: 2, kernelSize: 3, stride: 2, padding: 0, bias: false)
        Self.randomize(l, seed: 3)
        #expect(l.outputShape == [2, 2, 2])
        Self.check(l, batch: 2)
    }

    @Test func conv2dPointwise() throws {
        let l = try Conv2D(name: "conv1", inputShape: [3, 4, 4], outChannels: 2, kernelSize: 1, stride: 1, padding: 0)
        Self.randomize(l, seed: 4)
        Self.check(l, batch: 2)
    }

    @Test func maxAndAveragePooling() throws {
        Self.check(try MaxPool2D(name: "pool1", inputShape: [2, 6, 6], kernelSize: 2), batch: 3)
        Self.check(try MaxPool2D(name: "pool1", inputShape: [2, 7, 5], kernelSize: 3, stride: 2), batch: 2)
        Self.check(try AvgPool2D(name: "pool1", inputShape: [2, 6, 6], kernelSize: 2), batch: 3)
        Self.check(try AvgPool2D(name: "pool1", inputShape: [1, 5, 5], kernelSize: 3, stride: 1), batch: 2)
        Self.check(try GlobalAvgPool(name: "gap", inputShape: [3, 4, 5]), batch: 2)
    }

    @Test func batchNormTrainingAndEval() throws {
        for shape in [[3, 4, 4], [5]] {
            let l = try BatchNorm(name: "bn1", inputShape: shape)
            Self.randomize(l, seed: 5)
            l.runningMean.value.data = (0..<l.channels).map { Float($0) * 0.1 }
            l.runningVar.value.data = (0..<l.channels).map { 1 + Float($0) * 0.2 }
            Self.check(l, batch: 4)          // the batch's statistics
            l.training = false
            Self.check(l, batch: 4)          // the running ones
        }
    }

    @Test func batchNormOfOneValuePerChannelUsesRunningStatistics() throws {
        let l = try BatchNorm(name: "bn1", inputShape: [4])
        Self.randomize(l, seed: 6)
        let before = l.runningMean.value.data + l.runningVar.value.data
        Self.check(l, batch: 1)
        #expect(l.runningMean.value.data + l.runningVar.value.data == before)
    }

    @Test func dropoutFlattenAndReLUOnImages() throws {
        let d = try Dropout(name: "dropout1", inputShape: [2, 3, 3], probability: 0.4, seed: 7)
        d.iteration = 12
        Self.check(d, batch: 3)
        d.training = false
        Self.check(d, batch: 3)
        Self.check(Flatten(inputShape: [2, 3, 3]), batch: 2)
        Self.check(ReLU(name: "relu1", shape: [2, 3, 3]), batch: 2)
    }

    @Test func residualBlocks() throws {
        let same = try ResidualBlock(name: "block1", inputShape: [3, 4, 4], outChannels: 3, downsample: false)
        Self.randomize(same, seed: 8)
        #expect(same.shortcut == nil)
        Self.check(same, batch: 3)
        let down = try ResidualBlock(name: "block2", inputShape: [2, 6, 6], outChannels: 4, downsample: true)
        Self.randomize(down, seed: 9)
        #expect(down.outputShape == [4, 3, 3] && down.shortcut != nil)
        Self.check(down, batch: 2)
    }

    @Test func wholeConvNetGradient() throws {
        let net = try Network.sequential(inputShape: [2, 6, 6], [
            .conv2d(channels: 3), .batchNorm, .maxPool(kernel: 2), .conv2d(channels: 4, padding: 0),
            .flatten, .linear(outputs: 5), .dropout(probability: 0.3), .linear(outputs: 3),
        ], initializer: .torch, seed: 1)
        #expect(net.prunableNames == ["conv1", "conv2", "fc1", "fc2"])
        net.prepareIteration(4)
        let batch = 4
        var rng = RNG(seed: 10)
        let x = KernelTestSupport.randomArray(batch * 72, &rng)
        let labels: [Int32] = [0, 2, 1, 2]
        let xp = UnsafeMutablePointer<Float>.allocate(capacity: x.count)
        defer { xp.deallocate() }
        xp.initialize(from: x, count: x.count)
        let logits = net.forward(xp, batch: batch)
        var dlogits = [Float](repeating: 0, count: batch * 3)
        labels.withUnsafeBufferPointer { y in
            dlogits.withUnsafeMutableBufferPointer { g in
                _ = softmaxCrossEntropy(logits: logits, labels: y.baseAddress!, batch: batch, classes: 3, grad: g.baseAddress!)
            }
        }
        dlogits.withUnsafeBufferPointer { net.backward($0.baseAddress!, batch: batch) }
        let xd = x.map(Double.init)
        for (key, p) in net.namedParameters where p.trainable {
            let numeric = KernelTestSupport.numericGradient(at: p.value.data.map(Double.init)) { v in
                var ref = LayerReference()
                ref.values[ObjectIdentifier(p)] = v
                return LayerReference.crossEntropy(ref.forward(net, xd, batch: batch), labels, classes: 3)
            }
            KernelTestSupport.expectGradient(p.grad!.data, numeric, "net d\(key)")
        }
    }
}
