/// The R passes of the sum over positions (NN/HessianVector.swift): the layer is
/// linear and has no parameters, so R{y} = Σ_t R{x}[t] and R{dx}[t] = R{dy}.
extension SumPositions {
    // rx (B, T, D) -> ry (B, D)
    public func forwardR(_ rx: UnsafePointer<Float>, batch: Int, _ r: RPass) throws -> UnsafePointer<Float> {
        let t = positions, d = dimension
        let ry = r.buffer(self, 0, batch * d)
        for b in 0..<batch {
            let yb = ry + b * d, xb = rx + b * t * d
            yb.update(from: xb, count: d)
            for p in 1..<max(t, 1) { for j in 0..<d { yb[j] += xb[p * d + j] } }
        }
        return UnsafePointer(ry)
    }

    // dy, rdy (B, D) -> dx, rdx (B, T, D): each at every position.
    public func backwardR(_ dy: UnsafePointer<Float>, _ rdy: UnsafePointer<Float>, batch: Int,
                          _ r: RPass) throws -> (dx: UnsafePointer<Float>, rdx: UnsafePointer<Float>) {
        let t = positions, d = dimension
        let rdx = r.buffer(self, 1, batch * t * d)
        for b in 0..<batch { for p in 0..<t { (rdx + (b * t + p) * d).update(from: rdy + b * d, count: d) } }
        return (try inputGradient(self, dy, batch: batch), UnsafePointer(rdx))
    }
}
