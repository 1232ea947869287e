/// How a layer's weights are first drawn. Biases start at zero except for `torch`.
public enum Initializer: String, CaseIterable, Sendable {
    /// Glorot (Xavier) normal: N(0, 2 / (fan_in + fan_out)) — the LTH paper's init.
    case glorot
    /// Kaiming (He) normal for ReLU: N(0, 2 / fan_in).
    case kaiming
    /// PyTorch's nn.Linear default: W, b ~ U(−1/√fan_in, 1/√fan_in).
    case torch

    /// Draws a fresh weight matrix (out, in) and bias (out) from `rng`.
    public func draw(out: Int, in fanIn: Int, rng: inout RNG) -> (weight: [Float], bias: [Float]) {
        let n = out * fanIn
        switch self {
        case .glorot, .kaiming:
            let std = self == .glorot ? (2.0 / Double(fanIn + out)).squareRoot() : (2.0 / Double(fanIn)).squareRoot()
            var w = [Float](repeating: 0, count: n)
            for i in 0..<n { w[i] = Float(rng.normal() * std) }
            return (w, [Float](repeating: 0, count: out))
        case .torch:
            let bound = 1 / Double(fanIn).squareRoot()
            var w = [Float](repeating: 0, count: n)
            for i in 0..<n { w[i] = Float((rng.uniform() * 2 - 1) * bound) }
            var b = [Float](repeating: 0, count: out)
            for i in 0..<out { b[i] = Float((rng.uniform() * 2 - 1) * bound) }
            return (w, b)
        }
    }
}
