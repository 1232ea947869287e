// Inverted dropout, as PyTorch's `nn.Dropout(p)` in training mode: each value is
// zeroed with probability p and the survivors are scaled by 1/(1 − p), so the
// expected output equals the input and eval mode is the identity (no kernel needed).
// The layout does not matter: dropout sees any tensor as a flat list of values.
//
// The keep mask is kept as Floats holding 0 or 1/(1 − p), so the forward pass is
// y = x·mask and the backward pass dx = dy·mask.
//
// Threading: calls on disjoint index ranges write disjoint memory and may run at once,
// but each must then be given its own generator, e.g. `RNG(seed: s, stream: part)`;
// the masks then depend on how the work was split, so split the same way every run
// when masks must be reproducible.

/// How many values dropout sees and with which probability it drops each one.
public struct DropoutShape: Equatable, Sendable {
    public let count: Int
    /// p, the chance that a value is zeroed, 0 ≤ p ≤ 1.
    public let probability: Double
    /// 1/(1 − p), what survivors are multiplied by (0 when p = 1: everything is dropped).
    public let scale: Float

    public init(count: Int, probability: Double) throws {
        try requireAtLeast(0, [("count", count)], in: "dropout")
        guard probability >= 0, probability <= 1 else {
            throw EngineError("dropout: the probability must be between 0 and 1, not \(probability).")
        }
        self.count = count; self.probability = probability
        scale = probability == 1 ? 0 : Float(1 / (1 - probability))
    }
}

/// Draws a keep mask and applies it: mask[i] = 1/(1 − p) with probability 1 − p, else
/// 0; y[i] = x[i]·mask[i]. One `rng.uniform()` per value, in index order (none at p = 0).
/// x (count) → y (count), mask (count), for the indices in `range` (all when nil).
public func dropoutForward(_ s: DropoutShape, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                           mask: UnsafeMutablePointer<Float>, rng: inout RNG, range: Range<Int>? = nil) {
    let range = checkedRange(range, s.count)
    if s.probability == 0 {
        (mask + range.lowerBound).update(repeating: 1, count: range.count)
    } else {
        for i in range { mask[i] = rng.uniform() < s.probability ? 0 : s.scale }
    }
    multiplyElementwise(x, mask, y, range)
}

/// dx = dy·mask, with the mask of the forward pass.
/// dy (count), mask (count) → dx (count), for the indices in `range` (all when nil).
public func dropoutBackward(_ s: DropoutShape, dy: UnsafePointer<Float>, mask: UnsafePointer<Float>,
                            dx: UnsafeMutablePointer<Float>, range: Range<Int>? = nil) {
    multiplyElementwise(dy, mask, dx, checkedRange(range, s.count))
}

/// The naive dropout: the same draws in the same order, on arrays.
/// x (count) → y (count), mask (count).
public func dropoutForwardReference(_ s: DropoutShape, x: [Float], rng: inout RNG) -> (y: [Float], mask: [Float]) {
    var y = [Float](), mask = [Float]()
    for value in x {
        let keep = s.probability == 0 || rng.uniform() >= s.probability
        mask.append(keep ? s.scale : 0)
        y.append(keep ? value * s.scale : 0)
    }
    return (y, mask)
}

/// c[i] = a[i]·b[i] for i in range.
@inline(never)
func multiplyElementwise(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                         _ range: Range<Int>) {
    for i in range { c[i] = a[i] * b[i] }
}
