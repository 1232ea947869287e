/// NumPy's broadcasting rule, and the strides that read a tensor as if it had been
/// repeated to a larger shape.
public enum Broadcast {
    /// The shape two shapes broadcast to, or nil: dimensions are matched from the
    /// right, and each pair must be equal or contain a 1 (a missing one counts as 1).
    public static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let r = max(a.count, b.count)
        var out = [Int](repeating: 1, count: r)
        for i in 0..<r {
            let x = i < r - a.count ? 1 : a[i - (r - a.count)]
            let y = i < r - b.count ? 1 : b[i - (r - b.count)]
            guard x == y || x == 1 || y == 1 else { return nil }
            out[i] = x == 1 ? y : x
        }
        return out
    }

    /// Row-major strides of `shape` seen inside `out` (0 along a broadcast dimension):
    /// element `index` of `out` is element Σ index[i]·strides[i] of the tensor.
    static func strides(_ shape: [Int], in out: [Int]) -> [Int] {
        var s = [Int](repeating: 0, count: out.count)
        var step = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            let j = i + out.count - shape.count
            s[j] = shape[i] == 1 ? 0 : step
            step *= shape[i]
        }
        return s
    }

    /// Walks `out` one innermost row at a time, calling `row(outOffset, aOffset,
    /// bOffset, length, aStep, bStep)`, where aStep and bStep are 0 (repeated) or 1.
    @inline(__always)
    static func rows(_ out: [Int], _ sa: [Int], _ sb: [Int],
                     _ row: (Int, Int, Int, Int, Int, Int) -> Void) {
        let r = out.count
        guard r > 0 else { row(0, 0, 0, 1, 0, 0); return }
        let inner = out[r - 1], ia = sa[r - 1], ib = sb[r - 1]
        let outer = out.dropLast().reduce(1, *)
        guard inner > 0, outer > 0 else { return }
        var index = [Int](repeating: 0, count: r - 1)
        var offA = 0, offB = 0
        for o in 0..<outer {
            row(o * inner, offA, offB, inner, ia, ib)
            // The next outer index, like an odometer.
            var d = r - 2
            while d >= 0 {
                index[d] += 1
                offA += sa[d]; offB += sb[d]
                if index[d] < out[d] { break }
                offA -= sa[d] * out[d]; offB -= sb[d] * out[d]
                index[d] = 0
                d -= 1
            }
        }
    }

    /// "[300, 784]", as shapes are named in messages.
    public static func describe(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
}
