extension Parameter {
    /// Runs body with what an optimizer updates: the values, their gradient and the
    /// mask (nil when dense), and their count. For a weight in compressed form these
    /// are the kept values and their gradient, with no mask: pruned weights are not
    /// stored, so they stay zero.
    func withUpdateBuffers(_ body: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>?, Int) -> Void) {
        if let c = compressed {
            c.matrix.values.withUnsafeMutableBufferPointer { w in
                c.grad.withUnsafeBufferPointer { g in body(w.baseAddress!, g.baseAddress!, nil, w.count) }
            }
            return
        }
        guard let grad else { return }
        value.data.withUnsafeMutableBufferPointer { w in
            grad.data.withUnsafeBufferPointer { g in
                withMaskPointer(mask) { m in body(w.baseAddress!, g.baseAddress!, m, w.count) }
            }
        }
    }

    /// The number of values the optimizer updates now (kept weights when compressed).
    var updateCount: Int { compressed?.matrix.nonzeroCount ?? count }
}

/// Per-parameter optimizer state (momentum, moments) follows its parameter's form:
/// dense while the parameter is, one value per kept weight while it is compressed.
/// `begin` and `finish` convert it.
func compressState(_ state: inout [Float], for p: Parameter) {
    guard let c = p.compressed, state.count == p.count else { return }
    state = (try? c.matrix.gather(state)) ?? [Float](repeating: 0, count: c.matrix.nonzeroCount)
}

func expandState(_ state: inout [Float], for p: Parameter) {
    guard let c = p.compressed, state.count == c.matrix.nonzeroCount else { return }
    state = (try? c.matrix.scatter(state)) ?? [Float](repeating: 0, count: p.count)
}
