import Foundation

// The exact Hessian-vector product by Pearlmutter's R-operator ("Fast exact
// multiplication by the Hessian", Neural Computation 1994). For a direction v over the
// parameters, R{f} = d/dr f(θ + r·v) at r = 0. Two passes give H·v = R{∂L/∂θ}:
//
//   forward of R:   every layer maps R{x} (the direction of its input) to R{y}, using
//                   its own parameters' directions (R{W} = V, R{b} = V_b): for a linear
//                   layer R{y} = R{x}·Wᵀ + x·Vᵀ + V_b. ReLU and max pooling keep the
//                   gates and windows of the forward pass (their derivative there is
//                   fixed: ReLU's second derivative is zero almost everywhere).
//   backward of R:  the loss gives dlogits and R{dlogits}; every layer, from the last,
//                   maps (dy, R{dy}) to (dx, R{dx}) and adds R{∂L/∂θ} of its parameters:
//                   for a linear layer R{dW} = R{dy}ᵀ·x + dyᵀ·R{x}, R{dx} = R{dy}·W + dy·V.
//
// That is forward-over-reverse differentiation, written by hand beside each layer's
// backward pass (NN/Layers/*+ROp.swift). The cost is about two more backward passes.
// The passes run after an ordinary forward pass of the same batch, whose saved state
// (inputs, ReLU outputs, argmax, batch statistics, dropout masks) they read.

/// One Hessian-vector product in flight: the direction of each parameter, the
/// R{∂L/∂θ} accumulated for each, and the layers' scratch for the R-quantities. A
/// parameter without a direction has direction zero. A masked weight's direction is
/// masked: a pruned weight stays zero along v.
public final class RPass {
    private var directions: [ObjectIdentifier: Buffer] = [:]
    private var results: [ObjectIdentifier: Buffer] = [:]
    private var scratch: [ObjectIdentifier: [Buffer]] = [:]
    private var saved: [ObjectIdentifier: UnsafePointer<Float>] = [:]
    private var numbers: [ObjectIdentifier: [Double]] = [:]

    /// `direction` pairs parameters with their part of v (each of the parameter's
    /// count, checked by the caller).
    public init(direction: [(parameter: Parameter, values: [Float])]) {
        for (p, v) in direction {
            let b = Buffer(p.count)
            v.withUnsafeBufferPointer { b.ptr.update(from: $0.baseAddress!, count: p.count) }
            if let m = p.mask {
                m.data.withUnsafeBufferPointer { Kernels.maskMultiply(b.ptr, $0.baseAddress!, 0..<p.count) }
            }
            directions[ObjectIdentifier(p)] = b
        }
    }

    /// V for a parameter, nil when its direction is zero.
    func direction(_ p: Parameter?) -> UnsafePointer<Float>? {
        guard let p, let b = directions[ObjectIdentifier(p)] else { return nil }
        return UnsafePointer(b.ptr)
    }

    /// Where a layer adds R{∂L/∂θ} for a parameter (zero at the start of the pass).
    func result(_ p: Parameter) -> UnsafeMutablePointer<Float> {
        if let b = results[ObjectIdentifier(p)] { return b.ptr }
        let b = Buffer(p.count)
        results[ObjectIdentifier(p)] = b
        return b.ptr
    }

    /// H·v for a parameter: what the passes added (zeros if nothing reached it).
    public func product(_ p: Parameter) -> [Float] {
        guard let b = results[ObjectIdentifier(p)] else { return [Float](repeating: 0, count: p.count) }
        return Array(UnsafeBufferPointer(start: b.ptr, count: p.count))
    }

    /// A layer's scratch number `slot`, of at least `count` Floats (contents kept
    /// between calls unless it grows).
    func buffer(_ layer: AnyObject, _ slot: Int, _ count: Int) -> UnsafeMutablePointer<Float> {
        let id = ObjectIdentifier(layer)
        var list = scratch[id] ?? []
        while list.count <= slot { list.append(Buffer()) }
        scratch[id] = list
        return list[slot].ensure(count)
    }

    /// R{x} of a layer's last forward of R, kept for its backward of R.
    func save(_ layer: AnyObject, input: UnsafePointer<Float>) { saved[ObjectIdentifier(layer)] = input }
    func input(_ layer: Layer) throws -> UnsafePointer<Float> {
        guard let p = saved[ObjectIdentifier(layer)] else {
            throw EngineError("hvp: layer \(layer.name)'s backward of R ran before its forward of R")
        }
        return p
    }

    /// Per-channel numbers a layer keeps between its two R passes (batch norm's).
    func keep(_ layer: AnyObject, _ values: [Double]) { numbers[ObjectIdentifier(layer)] = values }
    func kept(_ layer: AnyObject) -> [Double] { numbers[ObjectIdentifier(layer)] ?? [] }
}

/// The R passes a layer kind supports. A layer kind without them (one added since)
/// throws, so a Hessian-vector product through it fails with a sentence, not a trap.
extension Layer {
    public func forwardR(_ rx: UnsafePointer<Float>, batch: Int, _ r: RPass) throws -> UnsafePointer<Float> {
        throw EngineError("hvp does not support layer kind \(kind) (\(name)) yet")
    }
    public func backwardR(_ dy: UnsafePointer<Float>, _ rdy: UnsafePointer<Float>, batch: Int,
                          _ r: RPass) throws -> (dx: UnsafePointer<Float>, rdx: UnsafePointer<Float>) {
        throw EngineError("hvp does not support layer kind \(kind) (\(name)) yet")
    }
}

/// The ordinary backward of a layer asked for its input gradient, which every layer
/// gives when asked (nil would be an internal error).
func inputGradient(_ l: Layer, _ dy: UnsafePointer<Float>, batch: Int) throws -> UnsafePointer<Float> {
    guard let d = l.backward(dy, batch: batch, needInputGrad: true) else {
        throw EngineError("hvp: layer \(l.name) gave no input gradient")
    }
    return d
}

extension Network {
    /// The forward of R through every layer, after `forward` of the same batch: R{logits}
    /// for R{x}.
    func forwardR(_ rx: UnsafePointer<Float>, batch: Int, _ r: RPass) throws -> UnsafePointer<Float> {
        var h = rx
        for l in layers { h = try l.forwardR(h, batch: batch, r) }
        return h
    }

    /// The backward of R from (dlogits, R{dlogits}) through every layer, adding each
    /// parameter's R{∂L/∂θ} to `r`. The ordinary gradients are left too.
    func backwardR(_ dlogits: UnsafePointer<Float>, _ rdlogits: UnsafePointer<Float>, batch: Int, _ r: RPass) throws {
        var g = dlogits, rg = rdlogits
        for l in layers.reversed() { (g, rg) = try l.backwardR(g, rg, batch: batch, r) }
    }
}

/// Softmax cross-entropy of logits / T and its R: dlogits (B, C) = (p − onehot)·scale/T
/// with p = softmax(z/T), and R{dlogits} = R{p}·scale/T, R{p} = p ⊙ (R{u} − ⟨p, R{u}⟩),
/// R{u} = R{z}/T. `scale` is 1/(examples in the whole batch) for a mean loss.
/// logits, rlogits (B, C), labels (B) → grad, rgrad (B, C). Returns the summed loss.
func softmaxCrossEntropyR(logits: UnsafePointer<Float>, rlogits: UnsafePointer<Float>, labels: UnsafePointer<Int32>,
                          batch: Int, classes: Int, temperature: Double, scale: Double,
                          grad: UnsafeMutablePointer<Float>, rgrad: UnsafeMutablePointer<Float>) -> Double {
    var lossSum = 0.0
    let invT = 1 / temperature
    var p = [Double](repeating: 0, count: classes)
    for row in 0..<batch {
        let z = logits + row * classes, rz = rlogits + row * classes
        var m = -Double.infinity
        for j in 0..<classes { m = max(m, Double(z[j]) * invT) }
        var sum = 0.0
        for j in 0..<classes { p[j] = Foundation.exp(Double(z[j]) * invT - m); sum += p[j] }
        var dot = 0.0
        for j in 0..<classes { p[j] /= sum; dot += p[j] * Double(rz[j]) * invT }
        let label = Int(labels[row])
        lossSum += Foundation.log(sum) + m - Double(z[label]) * invT
        for j in 0..<classes {
            grad[row * classes + j] = Float((p[j] - (j == label ? 1 : 0)) * scale * invT)
            rgrad[row * classes + j] = Float(p[j] * (Double(rz[j]) * invT - dot) * scale * invT)
        }
    }
    return lossSum
}
