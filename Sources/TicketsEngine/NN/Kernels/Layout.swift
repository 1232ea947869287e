// The memory layout shared by the convolutional kernels in this folder.
//
// Images are NCHW, PyTorch's default: a batch of N samples, each C channels, each an
// H×W plane stored row by row. Element (n, c, h, w) sits at ((n·C + c)·H + h)·W + w.
// Convolution weights are (O, C, KH, KW): O output channels, each a C×KH×KW filter,
// element (o, c, i, j) at ((o·C + c)·KH + i)·KW + j. Everything is Float32, row-major,
// and passed as raw pointers: the kernels own no memory, so a layer wraps them with
// its own buffers.
//
// Flatten needs no kernel. A sample's C·H·W values are already contiguous in the
// order (c, h, w), which is exactly the order of PyTorch's `nn.Flatten()` (it flattens
// dims 1… of a contiguous NCHW tensor), so "flatten" is reading the same buffer as
// (N, C·H·W) and its backward is reading the gradient the other way round. A Linear
// layer after a flatten therefore takes a PyTorch checkpoint's weights unchanged.
//
// Threading. Each kernel is single-threaded and works on a range of the batch (or of
// the channels, where the maths needs all samples of a channel, as batch norm does),
// so the caller decides how to split the work between cores. Ranges that write
// disjoint memory may run at the same time; each kernel's comment says which those
// are. Weight gradients summed over samples are not disjoint: give each thread its
// own partial buffer and add them with `addPartialGradients`, or split by output
// channel where the kernel offers it.

/// The product of `factors`, or an `EngineError` naming `what` when it is not a
/// positive count that BLAS's 32-bit sizes can address.
func checkedElementCount(_ factors: [Int], _ what: String) throws -> Int {
    var product = 1
    for f in factors {
        let (p, overflow) = product.multipliedReportingOverflow(by: f)
        if overflow || p > Int(Int32.max) {
            throw EngineError("\(what) would hold more than \(Int32.max) values; use a smaller batch or image.")
        }
        product = p
    }
    return product
}

/// Throws unless every named size is at least `minimum`.
func requireAtLeast(_ minimum: Int, _ sizes: [(String, Int)], in what: String) throws {
    for (name, value) in sizes where value < minimum {
        throw EngineError("\(what): \(name) must be at least \(minimum), not \(value).")
    }
}

/// total[i] += part[i] for i in range: sums the per-thread partial weight (or bias)
/// gradients that threads working on disjoint sample ranges produced. Disjoint index
/// ranges of the same `total` may be summed concurrently.
@inline(never)
public func addPartialGradients(_ part: UnsafePointer<Float>, into total: UnsafeMutablePointer<Float>,
                                range: Range<Int>) {
    for i in range { total[i] += part[i] }
}
