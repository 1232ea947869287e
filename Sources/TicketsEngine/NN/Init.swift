/// How a layer's weights are first drawn. Biases start at zero except for `torch`.
public enum Initializer: String, CaseIterable, Sendable {
    /// Glorot (Xavier) normal: N(0, 2 / (fan_in + fan_out)) — the LTH paper's init.
    case glorot
    /// Kaiming (He) normal for ReLU: N(0, 2 / fan_in).
    case kaiming
    /// LeCun normal: N(0, 1 / fan_in), as the grokking-tickets code (Minegishi et al.,
    /// gouki510/Grokking-Tickets) draws every matrix; an embedding's fan_in is its
    /// vocabulary (one-hot inputs).
    case lecun
    /// PyTorch's nn.Linear / nn.Conv2d default: W, b ~ U(−1/√fan_in, 1/√fan_in).
    case torch

    /// Draws `weights` weight values and `biases` bias values from `rng`, all weights
    /// first. fanIn and fanOut count the connections into and out of one unit
    /// (in and out for a linear layer; in·kh·kw and out·kh·kw for a convolution).
    public func draw(weights n: Int, biases: Int, fanIn: Int, fanOut: Int,
                     rng: inout RNG) -> (weight: [Float], bias: [Float]) {
        switch self {
        case .glorot, .kaiming, .lecun:
            let variance = self == .glorot ? 2.0 / Double(fanIn + fanOut) : (self == .kaiming ? 2.0 : 1.0) / Double(fanIn)
            let std = variance.squareRoot()
            var w = [Float](repeating: 0, count: n)
            for i in 0..<n { w[i] = Float(rng.normal() * std) }
            return (w, [Float](repeating: 0, count: biases))
        case .torch:
            let bound = 1 / Double(fanIn).squareRoot()
            var w = [Float](repeating: 0, count: n)
            for i in 0..<n { w[i] = Float((rng.uniform() * 2 - 1) * bound) }
            var b = [Float](repeating: 0, count: biases)
            for i in 0..<biases { b[i] = Float((rng.uniform() * 2 - 1) * bound) }
            return (w, b)
        }
    }
}
