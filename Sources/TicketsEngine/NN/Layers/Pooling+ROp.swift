/// The R passes (NN/HessianVector.swift) of the poolings. Average pooling (windowed or
/// global) is linear, so R{y} and R{dx} are its forward and backward applied to R{x}
/// and R{dy}. Max pooling keeps the windows' choices of the forward pass: R{y} takes
/// R{x} at each window's argmax, and R{dx} sends R{dy} back there, as dx sends dy.
extension MaxPool2D {
    // rx (B, C, H, W) -> ry (B, C, OH, OW), gathered at the forward's argmax
    public func forwardR(_ rx: UnsafePointer<Float>, batch: Int, _ r: RPass) throws -> UnsafePointer<Float> {
        let s = window.geometry(batch)
        let ry = r.buffer(self, 0, s.outputCount), at = UnsafePointer(argmax.ptr)
        maxPool2dGather(s, x: rx, argmax: at, y: ry)
        return UnsafePointer(ry)
    }

    // dy, rdy (B, C, OH, OW) -> dx, rdx (B, C, H, W)
    public func backwardR(_ dy: UnsafePointer<Float>, _ rdy: UnsafePointer<Float>, batch: Int,
                          _ r: RPass) throws -> (dx: UnsafePointer<Float>, rdx: UnsafePointer<Float>) {
        let s = window.geometry(batch)
        let rdx = r.buffer(self, 1, s.inputCount)
        maxPool2dBackward(s, dy: rdy, argmax: argmax.ptr, dx: rdx)
        return (try inputGradient(self, dy, batch: batch), UnsafePointer(rdx))
    }
}

/// y[n, c, k] = x[n, c, argmax[n, c, k]]: a max pooling's output for other values
/// with the windows' choices already made.
/// x (N, C, H, W), argmax (N, C, OH, OW) → y (N, C, OH, OW).
func maxPool2dGather(_ s: Pool2DShape, x: UnsafePointer<Float>, argmax: UnsafePointer<Int32>, y: UnsafeMutablePointer<Float>) {
    for plane in 0..<(s.batch * s.channels) {
        let xp = x + plane * s.inPlane, yp = y + plane * s.outPlane, at = argmax + plane * s.outPlane
        for k in 0..<s.outPlane { yp[k] = xp[Int(at[k])] }
    }
}

extension AvgPool2D {
    public func forwardR(_ rx: UnsafePointer<Float>, batch: Int, _ r: RPass) throws -> UnsafePointer<Float> {
        let s = window.geometry(batch)
        let ry = r.buffer(self, 0, s.outputCount)
        avgPool2dForward(s, x: rx, y: ry)
        return UnsafePointer(ry)
    }

    public func backwardR(_ dy: UnsafePointer<Float>, _ rdy: UnsafePointer<Float>, batch: Int,
                          _ r: RPass) throws -> (dx: UnsafePointer<Float>, rdx: UnsafePointer<Float>) {
        let s = window.geometry(batch)
        let rdx = r.buffer(self, 1, s.inputCount)
        avgPool2dBackward(s, dy: rdy, dx: rdx)
        return (try inputGradient(self, dy, batch: batch), UnsafePointer(rdx))
    }
}

extension GlobalAvgPool {
    private func shape(_ batch: Int) -> Pool2DShape {
        checkedGeometry { try Pool2DShape(globalOver: batch, channels: inputShape[0], height: inputShape[1], width: inputShape[2]) }
    }

    public func forwardR(_ rx: UnsafePointer<Float>, batch: Int, _ r: RPass) throws -> UnsafePointer<Float> {
        let s = shape(batch)
        let ry = r.buffer(self, 0, s.outputCount)
        globalAvgPool2dForward(s, x: rx, y: ry)
        return UnsafePointer(ry)
    }

    public func backwardR(_ dy: UnsafePointer<Float>, _ rdy: UnsafePointer<Float>, batch: Int,
                          _ r: RPass) throws -> (dx: UnsafePointer<Float>, rdx: UnsafePointer<Float>) {
        let s = shape(batch)
        let rdx = r.buffer(self, 1, s.inputCount)
        globalAvgPool2dBackward(s, dy: rdy, dx: rdx)
        return (try inputGradient(self, dy, batch: batch), UnsafePointer(rdx))
    }
}
