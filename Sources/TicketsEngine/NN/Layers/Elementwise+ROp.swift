/// The R passes (NN/HessianVector.swift) of the layers that act value by value. Each
/// is linear in its input once its gates are fixed, so R{y} and R{dx} are the same
/// map as y and dx: ReLU passes R{x} where the forward's x > 0 (its gates stay as the
/// forward set them; the second derivative is zero almost everywhere), dropout
/// multiplies by the forward's keep mask (none in evaluation mode), flatten passes
/// everything on.
extension ReLU {
    // rx (B, N) -> ry (B, N)
    public func forwardR(_ rx: UnsafePointer<Float>, batch: Int, _ r: RPass) throws -> UnsafePointer<Float> {
        let n = batch * inputSize
        let ry = r.buffer(self, 0, n), y = UnsafePointer(out.ptr)
        splitRange(n) { Kernels.reluGradient(rx, y, ry, $0) }
        return UnsafePointer(ry)
    }

    // dy, rdy (B, N) -> dx, rdx (B, N)
    public func backwardR(_ dy: UnsafePointer<Float>, _ rdy: UnsafePointer<Float>, batch: Int,
                          _ r: RPass) throws -> (dx: UnsafePointer<Float>, rdx: UnsafePointer<Float>) {
        let n = batch * inputSize
        let rdx = r.buffer(self, 1, n), y = UnsafePointer(out.ptr)
        splitRange(n) { Kernels.reluGradient(rdy, y, rdx, $0) }
        return (try inputGradient(self, dy, batch: batch), UnsafePointer(rdx))
    }
}

extension Dropout {
    // rx (B, N) -> ry (B, N) = rx · keep
    public func forwardR(_ rx: UnsafePointer<Float>, batch: Int, _ r: RPass) throws -> UnsafePointer<Float> {
        guard dropped else { return rx }
        let n = batch * inputSize
        let ry = r.buffer(self, 0, n)
        multiplyElementwise(rx, keep.ptr, ry, 0..<n)
        return UnsafePointer(ry)
    }

    // dy, rdy (B, N) -> dx, rdx (B, N) = · keep
    public func backwardR(_ dy: UnsafePointer<Float>, _ rdy: UnsafePointer<Float>, batch: Int,
                          _ r: RPass) throws -> (dx: UnsafePointer<Float>, rdx: UnsafePointer<Float>) {
        let dx = try inputGradient(self, dy, batch: batch)
        guard dropped else { return (dx, rdy) }
        let n = batch * inputSize
        let rdx = r.buffer(self, 1, n)
        multiplyElementwise(rdy, keep.ptr, rdx, 0..<n)
        return (dx, UnsafePointer(rdx))
    }
}

extension Flatten {
    public func forwardR(_ rx: UnsafePointer<Float>, batch: Int, _ r: RPass) throws -> UnsafePointer<Float> { rx }

    public func backwardR(_ dy: UnsafePointer<Float>, _ rdy: UnsafePointer<Float>, batch: Int,
                          _ r: RPass) throws -> (dx: UnsafePointer<Float>, rdx: UnsafePointer<Float>) { (dy, rdy) }
}
