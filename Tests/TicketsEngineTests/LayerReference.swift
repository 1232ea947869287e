import Foundation
@testable import TicketsEngine

/// A Float64 re-implementation of the forward pass of every layer, by the textbook
/// formulas and plain loops, for finite-difference checks of the layers' backward
/// passes. Parameters are read from the layers unless `values` overrides them
/// (keyed by the parameter's identity), which is how a numeric gradient perturbs one.
struct LayerReference {
    var values: [ObjectIdentifier: [Double]] = [:]

    func value(_ p: Parameter) -> [Double] { values[ObjectIdentifier(p)] ?? p.value.data.map(Double.init) }

    /// x (B, input…) → y (B, output…)
    func forward(_ layer: Layer, _ x: [Double], batch: Int) -> [Double] {
        switch layer {
        case let l as Linear: return linear(l, x, batch)
        case let l as Conv2D: return conv(l, x, batch)
        case let l as MaxPool2D: return pool(l.inputShape, l.kernelSize, l.stride, x, batch, max: true)
        case let l as AvgPool2D: return pool(l.inputShape, l.kernelSize, l.stride, x, batch, max: false)
        case let l as GlobalAvgPool:
            let plane = l.inputShape[1] * l.inputShape[2]
            return (0..<(batch * l.inputShape[0])).map { k in x[(k * plane)..<((k + 1) * plane)].reduce(0, +) / Double(plane) }
        case let l as BatchNorm: return batchNorm(l, x, batch)
        case is ReLU: return x.map { max($0, 0) }
        case is Flatten: return x
        case let l as Dropout: return dropout(l, x, batch)
        case let l as ResidualBlock: return block(l, x, batch)
        default: fatalError("no reference for \(layer.kind)")
        }
    }

    /// The logits of a whole net.
    func forward(_ net: Network, _ x: [Double], batch: Int) -> [Double] {
        net.layers.reduce(x) { forward($1, $0, batch: batch) }
    }

    /// Mean softmax cross-entropy of logits (B, C).
    static func crossEntropy(_ z: [Double], _ labels: [Int32], classes: Int) -> Double {
        var total = 0.0
        for (r, label) in labels.enumerated() {
            let row = Array(z[(r * classes)..<((r + 1) * classes)])
            let m = row.max()!
            total += m + log(row.map { exp($0 - m) }.reduce(0, +)) - row[Int(label)]
        }
        return total / Double(labels.count)
    }

    func linear(_ l: Linear, _ x: [Double], _ batch: Int) -> [Double] {
        let w = value(l.weight), b = value(l.bias), n = l.outFeatures, k = l.inFeatures
        var y = [Double](repeating: 0, count: batch * n)
        for r in 0..<batch {
            for j in 0..<n {
                var s = b[j]
                for i in 0..<k { s += w[j * k + i] * x[r * k + i] }
                y[r * n + j] = s
            }
        }
        return y
    }

    func conv(_ l: Conv2D, _ x: [Double], _ batch: Int) -> [Double] {
        let w = value(l.weight), b = l.bias.map(value)
        let (c, h, wd) = (l.inputShape[0], l.inputShape[1], l.inputShape[2])
        let (o, oh, ow) = (l.outputShape[0], l.outputShape[1], l.outputShape[2])
        let k = l.kernelSize
        var y = [Double](repeating: 0, count: batch * o * oh * ow)
        for n in 0..<batch { for f in 0..<o { for i in 0..<oh { for j in 0..<ow {
            var s = b?[f] ?? 0
            for ch in 0..<c { for di in 0..<k { for dj in 0..<k {
                let ih = i * l.stride - l.padding + di, iw = j * l.stride - l.padding + dj
                guard ih >= 0, ih < h, iw >= 0, iw < wd else { continue }
                s += w[((f * c + ch) * k + di) * k + dj] * x[((n * c + ch) * h + ih) * wd + iw]
            } } }
            y[((n * o + f) * oh + i) * ow + j] = s
        } } } }
        return y
    }

    func pool(_ shape: [Int], _ k: Int, _ stride: Int, _ x: [Double], _ batch: Int, max isMax: Bool) -> [Double] {
        let (c, h, w) = (shape[0], shape[1], shape[2])
        let oh = (h - k) / stride + 1, ow = (w - k) / stride + 1
        var y: [Double] = []
        for plane in 0..<(batch * c) { for i in 0..<oh { for j in 0..<ow {
            var window: [Double] = []
            for di in 0..<k { for dj in 0..<k { window.append(x[(plane * h + i * stride + di) * w + j * stride + dj]) } }
            y.append(isMax ? window.max()! : window.reduce(0, +) / Double(k * k))
        } } }
        return y
    }

    /// Training mode with more than one value per channel: the batch's statistics;
    /// otherwise the running ones.
    func batchNorm(_ l: BatchNorm, _ x: [Double], _ batch: Int) -> [Double] {
        let g = value(l.gamma), b = value(l.beta), rm = value(l.runningMean), rv = value(l.runningVar)
        let c = l.channels, s = l.spatial
        var y = x
        for ch in 0..<c {
            let at = (0..<batch).flatMap { n in (0..<s).map { (n * c + ch) * s + $0 } }
            var mean = rm[ch], variance = rv[ch]
            if l.training && at.count > 1 {
                mean = at.map { x[$0] }.reduce(0, +) / Double(at.count)
                variance = at.map { (x[$0] - mean) * (x[$0] - mean) }.reduce(0, +) / Double(at.count)
            }
            for i in at { y[i] = g[ch] * (x[i] - mean) / (variance + Double(l.eps)).squareRoot() + b[ch] }
        }
        return y
    }

    func dropout(_ l: Dropout, _ x: [Double], _ batch: Int) -> [Double] {
        guard l.training && l.probability > 0 else { return x }
        var rng = RNG(seed: l.seed, stream: UInt64(l.iteration))
        let s = try! DropoutShape(count: x.count, probability: l.probability)
        let (_, mask) = dropoutForwardReference(s, x: x.map { Float($0) }, rng: &rng)
        return zip(x, mask).map { $0 * Double($1) }
    }

    func block(_ l: ResidualBlock, _ x: [Double], _ batch: Int) -> [Double] {
        var h = conv(l.conv1, x, batch)
        h = batchNorm(l.bn1, h, batch).map { max($0, 0) }
        h = batchNorm(l.bn2, conv(l.conv2, h, batch), batch)
        let s = l.shortcut.map { batchNorm($0.bn, conv($0.conv, x, batch), batch) } ?? x
        return zip(h, s).map { max($0 + $1, 0) }
    }
}
