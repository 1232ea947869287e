/// The sum over positions, (B, T, D) → (B, D): how the grokking MLP combines its two
/// operands' embeddings (Minegishi et al.'s OnlyMLP, `x.sum(dim=1)`).
public final class SumPositions: Layer {
    public let name: String
    public let positions: Int
    public let dimension: Int
    public var training = true
    let out = Buffer(), dx = Buffer()

    public init(name: String, positions: Int, dimension: Int) {
        self.name = name; self.positions = positions; self.dimension = dimension
    }
    public func copy() -> Layer { SumPositions(name: name, positions: positions, dimension: dimension) }

    public var kind: String { "sum_positions" }
    public var inputShape: [Int] { [positions, dimension] }
    public var outputShape: [Int] { [dimension] }
    public var parameters: [Parameter] { [] }
    public var summary: String { "\(name) of \(positions) positions" }

    // x (B, T, D) -> y (B, D) = Σ_t x[b, t, :]
    public func forward(_ x: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        let t = positions, d = dimension
        let y = out.ensure(batch * d)
        for b in 0..<batch {
            let yb = y + b * d, xb = x + b * t * d
            yb.update(from: xb, count: d)
            for p in 1..<max(t, 1) { for j in 0..<d { yb[j] += xb[p * d + j] } }
        }
        return UnsafePointer(y)
    }

    // dy (B, D) -> dx (B, T, D) = dy at every position.
    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGrad: Bool) -> UnsafePointer<Float>? {
        guard needInputGrad else { return nil }
        let t = positions, d = dimension
        let g = dx.ensure(batch * t * d)
        for b in 0..<batch { for p in 0..<t { (g + (b * t + p) * d).update(from: dy + b * d, count: d) } }
        return UnsafePointer(g)
    }
}
