/// A pruned weight matrix W (rows, columns) that stores only its kept weights: the
/// compressed form a ticket trains in (see SparseKernels.swift).
///
/// The kept weights are numbered k = 0 ..< nonzeroCount in row-major order, and
/// `values[k]` is the k-th one's value. Two indexes point into that numbering:
///
/// - by row (CSR): row r's kept weights are k in `rowStart[r] ..< rowStart[r + 1]`,
///   their columns `columnIndex[k]` increasing. The forward pass and the weight
///   gradient walk the matrix this way.
/// - by column (CSC): column c's kept weights are the entries q in
///   `columnStart[c] ..< columnStart[c + 1]`, with row `rowIndex[q]` (increasing) and
///   value `values[valuePosition[q]]`. The input gradient walks it this way, so that
///   each thread writes its own rows of dx.
///
/// The pattern (which weights are kept) is fixed when the matrix is built from a mask;
/// only `values` change while training. Optimiser state is kept the same way, one
/// Float per kept weight: `gather` takes it out of a dense (rows, columns) array and
/// `scatter` puts it back, with zeros at the pruned positions.
///
/// Example: W = [[1, 0, 2], [0, 0, 0], [0, 3, 0]] gives values [1, 2, 3],
/// rowStart [0, 2, 2, 3], columnIndex [0, 2, 1]; columnStart [0, 1, 2, 3],
/// rowIndex [0, 2, 0], valuePosition [0, 2, 1].
public struct SparseMatrix {
    public let rows: Int
    public let columns: Int
    /// The kept weights' values, row by row (CSR order).
    public var values: [Float]
    /// rows + 1 entries: row r's kept weights are rowStart[r] ..< rowStart[r + 1].
    public let rowStart: [Int32]
    /// The column of each kept weight (nonzeroCount entries).
    public let columnIndex: [Int32]
    /// columns + 1 entries: column c's entries are columnStart[c] ..< columnStart[c + 1].
    public let columnStart: [Int32]
    /// The row of each column-ordered entry.
    public let rowIndex: [Int32]
    /// Where each column-ordered entry's value is in `values`.
    public let valuePosition: [Int32]

    /// The number of kept weights.
    public var nonzeroCount: Int { values.count }
    /// The fraction of weights kept, in [0, 1].
    public var density: Double { rows * columns == 0 ? 0 : Double(nonzeroCount) / Double(rows * columns) }

    /// Compresses the kept weights of a dense row-major W (rows, columns): a weight is
    /// kept where its mask entry is not zero (its value may be zero).
    public init(weights: [Float], mask: [Float], rows: Int, columns: Int) throws {
        guard rows >= 0, columns >= 0, weights.count == rows * columns, mask.count == rows * columns else {
            throw EngineError("A sparse \(rows)×\(columns) matrix needs \(max(0, rows * columns)) weights and as many mask entries, not \(weights.count) and \(mask.count).")
        }
        let kept = mask.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        guard kept <= Int(Int32.max), rows < Int(Int32.max), columns < Int(Int32.max) else {
            throw EngineError("A sparse matrix holds at most \(Int32.max) kept weights; this one has \(kept).")
        }
        self.rows = rows; self.columns = columns

        // By row: walk the mask in row-major order.
        var rowStart = [Int32](repeating: 0, count: rows + 1)
        var columnIndex = [Int32](), values = [Float]()
        columnIndex.reserveCapacity(kept); values.reserveCapacity(kept)
        var perColumn = [Int32](repeating: 0, count: columns)
        for r in 0..<rows {
            for c in 0..<columns where mask[r * columns + c] != 0 {
                columnIndex.append(Int32(c))
                values.append(weights[r * columns + c])
                perColumn[c] += 1
            }
            rowStart[r + 1] = Int32(values.count)
        }

        // By column: count per column, then place each kept weight in row order.
        var columnStart = [Int32](repeating: 0, count: columns + 1)
        for c in 0..<columns { columnStart[c + 1] = columnStart[c] + perColumn[c] }
        var next = Array(columnStart.dropLast())
        var rowIndex = [Int32](repeating: 0, count: kept), valuePosition = [Int32](repeating: 0, count: kept)
        for r in 0..<rows {
            for k in Int(rowStart[r])..<Int(rowStart[r + 1]) {
                let c = Int(columnIndex[k])
                let q = Int(next[c])
                rowIndex[q] = Int32(r)
                valuePosition[q] = Int32(k)
                next[c] += 1
            }
        }
        self.values = values; self.rowStart = rowStart; self.columnIndex = columnIndex
        self.columnStart = columnStart; self.rowIndex = rowIndex; self.valuePosition = valuePosition
    }

    /// Compresses a Linear layer's weight W (out, in) under its mask (out, in).
    public init(weight: Tensor, mask: Tensor) throws {
        guard weight.shape.count == 2, weight.shape == mask.shape else {
            throw EngineError("A sparse matrix needs a 2-D weight and a mask of the same shape, not \(weight.shapeText) and \(mask.shapeText).")
        }
        try self.init(weights: weight.data, mask: mask.data, rows: weight.shape[0], columns: weight.shape[1])
    }

    /// The kept weights' entries of a dense row-major (rows, columns) array, in the
    /// order of `values` (a dense W gives its kept weights; Adam's dense moments give
    /// the moments of the kept weights).
    public func gather(_ dense: [Float]) throws -> [Float] {
        guard dense.count == rows * columns else {
            throw EngineError("Gathering from a \(rows)×\(columns) sparse matrix needs \(rows * columns) values, not \(dense.count).")
        }
        var out = [Float](repeating: 0, count: nonzeroCount)
        for r in 0..<rows {
            for k in Int(rowStart[r])..<Int(rowStart[r + 1]) { out[k] = dense[r * columns + Int(columnIndex[k])] }
        }
        return out
    }

    /// A dense row-major (rows, columns) array holding `compressed` (one entry per
    /// kept weight, in the order of `values`) at the kept positions and zeros elsewhere.
    public func scatter(_ compressed: [Float]) throws -> [Float] {
        guard compressed.count == nonzeroCount else {
            throw EngineError("Scattering into a sparse matrix with \(nonzeroCount) kept weights needs as many values, not \(compressed.count).")
        }
        var dense = [Float](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for k in Int(rowStart[r])..<Int(rowStart[r + 1]) { dense[r * columns + Int(columnIndex[k])] = compressed[k] }
        }
        return dense
    }

    /// The dense W (rows, columns): the kept values, zeros elsewhere.
    public func denseWeights() -> [Float] {
        (try? scatter(values)) ?? []   // values always has nonzeroCount entries
    }

    /// Replaces the kept values with the entries of a dense W at the kept positions.
    public mutating func setValues(fromDense dense: [Float]) throws {
        values = try gather(dense)
    }

    /// Cuts 0 ..< rows into `parts` consecutive ranges of about equal work (kept
    /// weights, plus one per row for its fixed cost), for the forward pass and the
    /// weight gradient on several threads.
    public func rowRanges(_ parts: Int) -> [Range<Int>] {
        balancedRanges(start: rowStart, parts: parts)
    }

    /// The same over 0 ..< columns, for the input gradient.
    public func columnRanges(_ parts: Int) -> [Range<Int>] {
        balancedRanges(start: columnStart, parts: parts)
    }
}

/// Consecutive ranges of 0 ..< n (n = start.count − 1) with about equal
/// start[i1] − start[i0] + (i1 − i0) each; some may be empty.
private func balancedRanges(start: [Int32], parts: Int) -> [Range<Int>] {
    let n = start.count - 1
    let parts = max(1, parts)
    let total = Int(start[n]) + n
    var ranges: [Range<Int>] = [], lower = 0
    for part in 1...parts {
        var upper = lower
        let goal = total * part / parts
        while upper < n && Int(start[upper + 1]) + upper + 1 <= goal { upper += 1 }
        if part == parts { upper = n }
        ranges.append(lower..<upper)
        lower = upper
    }
    return ranges
}
