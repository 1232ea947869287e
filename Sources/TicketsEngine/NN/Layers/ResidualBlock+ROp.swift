/// The R passes (NN/HessianVector.swift) of a residual block: its children's R passes
/// in the order of its forward and backward, the final ReLU's gates fixed as the
/// forward set them, and R{dx} the sum of the two branches' R{dx} as dx is.
extension ResidualBlock {
    // rx (B, C, H, W) -> ry (B, O, OH, OW)
    public func forwardR(_ rx: UnsafePointer<Float>, batch: Int, _ r: RPass) throws -> UnsafePointer<Float> {
        var h = try conv1.forwardR(rx, batch: batch, r)
        h = try bn1.forwardR(h, batch: batch, r)
        h = try relu1.forwardR(h, batch: batch, r)
        h = try conv2.forwardR(h, batch: batch, r)
        h = try bn2.forwardR(h, batch: batch, r)
        var side = rx
        if let (conv, bn) = shortcut { side = try bn.forwardR(try conv.forwardR(rx, batch: batch, r), batch: batch, r) }
        let n = batch * outputSize
        let sum = r.buffer(self, 0, n), ry = r.buffer(self, 1, n), y = UnsafePointer(out.ptr)
        splitRange(n) { Kernels.add(h, side, sum, $0) }
        splitRange(n) { Kernels.reluGradient(sum, y, ry, $0) }
        return UnsafePointer(ry)
    }

    // dy, rdy (B, O, OH, OW) -> dx, rdx (B, C, H, W)
    public func backwardR(_ dy: UnsafePointer<Float>, _ rdy: UnsafePointer<Float>, batch: Int,
                          _ r: RPass) throws -> (dx: UnsafePointer<Float>, rdx: UnsafePointer<Float>) {
        let n = batch * outputSize, y = UnsafePointer(out.ptr)
        let g = r.buffer(self, 2, n), rg = r.buffer(self, 3, n)
        splitRange(n) { Kernels.reluGradient(dy, y, g, $0) }
        splitRange(n) { Kernels.reluGradient(rdy, y, rg, $0) }
        var main = (dx: UnsafePointer(g), rdx: UnsafePointer(rg))
        for l in [bn2, conv2, relu1, bn1, conv1] as [Layer] { main = try l.backwardR(main.dx, main.rdx, batch: batch, r) }
        var side = (dx: UnsafePointer(g), rdx: UnsafePointer(rg))
        if let (conv, bn) = shortcut {
            side = try bn.backwardR(side.dx, side.rdx, batch: batch, r)
            side = try conv.backwardR(side.dx, side.rdx, batch: batch, r)
        }
        let m = batch * inputSize
        let dx = r.buffer(self, 4, m), rdx = r.buffer(self, 5, m)
        let (a, ra, b, rb) = (main.dx, main.rdx, side.dx, side.rdx)
        splitRange(m) { Kernels.add(a, b, dx, $0) }
        splitRange(m) { Kernels.add(ra, rb, rdx, $0) }
        return (UnsafePointer(dx), UnsafePointer(rdx))
    }
}
