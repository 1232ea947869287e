/// An embedding over integer tokens, one table shared by every position (PyTorch's
/// nn.Embedding): y[b, t, :] = E[x[b, t], :].
/// Shapes: x (B, T) tokens held as Floats (whole numbers in 0..<V), E (V, D),
/// y (B, T, D). E is the layer's weight, prunable and masked like a linear layer's
/// (the lookup of a one-hot input through a bias-free linear layer; its fan_in for
/// the initializers is V, its fan_out D).
///
/// Tokens have no gradient: backward returns nil, so an embedding comes first in a
/// net. A value that is not a token of the table (a training loop checks the data
/// with `Network.checkTokens` first) looks up a row of zeros, never memory outside E.
public final class Embedding: Layer {
    public let name: String
    public let vocabulary: Int
    public let dimension: Int
    public let positions: Int
    public let weight: Parameter
    public var training = true
    /// SynFlow's linearised input: every token of the table at once at every position
    /// (the all-ones one-hot), so y[b, t, :] = Σ_v E[v, :]; the tokens are not read.
    public var readsAllTokens = false

    let out = Buffer()
    var tokens: [Int32] = []

    public init(name: String, vocabulary: Int, dimension: Int, positions: Int) {
        self.name = name; self.vocabulary = vocabulary; self.dimension = dimension; self.positions = positions
        weight = Parameter("weight", role: .weight, shape: [vocabulary, dimension])
        weight.compressible = false
    }

    private init(copying e: Embedding) {
        name = e.name; vocabulary = e.vocabulary; dimension = e.dimension; positions = e.positions
        weight = e.weight.copy(); training = e.training
    }
    public func copy() -> Layer { Embedding(copying: self) }

    public var kind: String { "embedding" }
    public var inputShape: [Int] { [positions] }
    public var outputShape: [Int] { [positions, dimension] }
    public var parameters: [Parameter] { [weight] }
    public var summary: String { "\(name) \(vocabulary) tokens→\(dimension) (×\(positions) positions)" }

    public func initialize(_ initializer: Initializer, rng: inout RNG) {
        weight.value.data = initializer.draw(weights: weight.count, biases: 0, fanIn: vocabulary,
                                             fanOut: dimension, rng: &rng).weight
        weight.applyMask()
    }

    /// The row of token value v, or nil when v is not a whole number in 0..<V.
    @inline(__always) func row(_ v: Float) -> Int32 {
        guard v >= 0, v < Float(vocabulary), v == v.rounded(.towardZero) else { return -1 }
        return Int32(v)
    }

    /// Reads x (B, T) as rows of E: −1 for a value that is no token.
    func readTokens(_ x: UnsafePointer<Float>, batch: Int) {
        let n = batch * positions
        if tokens.count < n { tokens = [Int32](repeating: 0, count: n) }
        for i in 0..<n { tokens[i] = readsAllTokens ? 0 : row(x[i]) }
    }

    // x (B, T) -> y (B, T, D)
    public func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        let n = batch * positions, d = dimension
        let y = out.ensure(n * d)
        readTokens(x, batch: batch)
        weight.value.data.withUnsafeBufferPointer { e in
            let e = e.baseAddress!
            if readsAllTokens {
                // Σ_v E[v, :] at every position.
                for j in 0..<d { y[j] = 0 }
                for v in 0..<vocabulary { for j in 0..<d { y[j] += e[v * d + j] } }
                for i in 1..<max(n, 1) { (y + i * d).update(from: y, count: d) }
                return
            }
            for i in 0..<n {
                let r = Int(tokens[i])
                if r < 0 { (y + i * d).update(repeating: 0, count: d) } else { (y + i * d).update(from: e + r * d, count: d) }
            }
        }
        return UnsafePointer(y)
    }

    // dy (B, T, D) -> dE (V, D): dE[x[b, t], :] += dy[b, t, :]; no input gradient.
    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>? {
        let n = batch * positions, d = dimension, v = vocabulary
        // The gradient first, whole: a fused update subtracts it from E afterwards.
        var g = [Float](repeating: 0, count: v * d)
        g.withUnsafeMutableBufferPointer { g in
            let g = g.baseAddress!
            for i in 0..<n {
                if readsAllTokens {
                    for r in 0..<v { for j in 0..<d { g[r * d + j] += dy[i * d + j] } }
                    continue
                }
                let r = Int(tokens[i])
                guard r >= 0 else { continue }
                for j in 0..<d { g[r * d + j] += dy[i * d + j] }
            }
        }
        weight.accumulateGradient { c, alpha, beta in
            for k in 0..<(v * d) { c[k] = alpha * g[k] + (beta == 0 ? 0 : beta * c[k]) }
        }
        return nil
    }
}
