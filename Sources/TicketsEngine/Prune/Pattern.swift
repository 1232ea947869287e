/// An N:M sparsity pattern (Mishra et al. 2021, "Accelerating Sparse Deep Neural
/// Networks", NVIDIA's 2:4; Zhou et al. 2021, "Learning N:M Fine-grained Structured
/// Sparse Neural Networks from Scratch"): in every group of M consecutive weights along
/// a layer's input dimension, at most N are kept.
///
/// A group lies within one row of the weight as stored: for a linear layer W (out, in)
/// the row of one output unit, M consecutive inputs; for a convolution W (O, C, KH, KW)
/// the flattened C·KH·KW weights of one filter, M consecutive in that order (channel
/// by channel, each kernel row by row), as NVIDIA's ASP groups them. M must divide the
/// row length of every layer the pattern applies to.
public struct NMPattern: Equatable, Sendable, CustomStringConvertible {
    /// Kept per group.
    public let n: Int
    /// Weights per group.
    public let m: Int

    public init(n: Int, m: Int) throws {
        guard m >= 1, n >= 1, n <= m, m <= 1024 else {
            throw EngineError("an N:M pattern needs 1 ≤ N ≤ M ≤ 1024, got \(n):\(m)")
        }
        self.n = n; self.m = m
    }

    /// Parses "2:4".
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = Int(parts[0]), let m = Int(parts[1]), n >= 1, n <= m, m <= 1024 else {
            throw EngineError("pattern must be like \"2:4\" (keep N of every M consecutive weights, 1 ≤ N ≤ M ≤ 1024), got \"\(text)\"")
        }
        try self.init(n: n, m: m)
    }

    public var description: String { "\(n):\(m)" }
    /// The density of a layer that keeps exactly N of every M.
    public var density: Double { Double(n) / Double(m) }

    /// The length of one row of a weight of this shape: in for (out, in), C·KH·KW for
    /// (O, C, KH, KW).
    static func rowLength(_ shape: [Int]) -> Int {
        shape.count <= 1 ? (shape.first ?? 1) : shape.dropFirst().reduce(1, *)
    }

    /// Throws unless M divides the rows of the layer `name` with weight `shape`.
    public func check(layer name: String, shape: [Int]) throws {
        let row = NMPattern.rowLength(shape)
        guard row % m == 0 else {
            let parts = shape.count > 2 ? " (\(shape.dropFirst().map(String.init).joined(separator: "×")))" : ""
            throw EngineError("pattern \(self) needs every row of \(name) to split into groups of \(m), but its rows have \(row) weights\(parts)")
        }
    }

    /// The group of the weight at flat index j of a weight of `shape` (row-major):
    /// groups are numbered row by row, M weights each.
    @inline(__always)
    func group(of j: Int, rowLength: Int) -> Int {
        (j / rowLength) * (rowLength / m) + (j % rowLength) / m
    }
}
