import Foundation
import TicketsEngine

/// A tensor's values as NumPy prints them: nested brackets, one row a line, aligned;
/// past 1000 values only the first and last 3 along every dimension, with `...`.
func formatTensor(_ t: Tensor, bool: Bool, full: Bool) -> String {
    let shape = t.shape
    if shape.isEmpty { return cell(t.data[0], bool: bool, integers: true) }
    let summarize = !full && t.count > ReprState.summaryThreshold
    let edge = ReprState.edgeItems
    /// The positions shown along a dimension of size n; nil stands for "...".
    func shown(_ n: Int) -> [Int?] {
        guard summarize, n > 2 * edge else { return (0..<n).map { $0 } }
        return (0..<edge).map { $0 } + [nil] + ((n - edge)..<n).map { $0 }
    }
    var strides = [Int](repeating: 1, count: shape.count)
    for i in stride(from: shape.count - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * shape[i + 1] }
    // The values printed, to choose one format and width for all of them.
    var offsets: [Int] = []
    func collect(_ d: Int, _ off: Int) {
        for i in shown(shape[d]) {
            guard let i else { continue }
            if d == shape.count - 1 { offsets.append(off + i) } else { collect(d + 1, off + i * strides[d]) }
        }
    }
    collect(0, 0)
    let integers = offsets.allSatisfy { let v = t.data[$0]; return v == v.rounded() && abs(v) < 1e7 }
    let width = offsets.map { cell(t.data[$0], bool: bool, integers: integers).count }.max() ?? 1
    func block(_ d: Int, _ off: Int) -> String {
        let parts: [String] = shown(shape[d]).map { i in
            guard let i else { return "..." }
            if d == shape.count - 1 {
                let s = cell(t.data[off + i], bool: bool, integers: integers)
                return String(repeating: " ", count: max(0, width - s.count)) + s
            }
            return block(d + 1, off + i * strides[d])
        }
        if d == shape.count - 1 { return wrapped(parts, indent: d + 1) }
        let gap = String(repeating: "\n", count: shape.count - 1 - d) + String(repeating: " ", count: d + 1)
        return "[" + parts.joined(separator: "," + gap) + "]"
    }
    if shape.contains(0) { return "[]" }
    return block(0, 0)
}

/// A row of values in brackets, continued on further lines (indented past the
/// brackets) beyond 75 characters, as NumPy wraps.
private func wrapped(_ parts: [String], indent: Int) -> String {
    var lines: [String] = []
    var line = "["
    for (i, p) in parts.enumerated() {
        let piece = p + (i < parts.count - 1 ? "," : "]")
        if line.count + 1 + piece.count > 75 && line.count > indent + 1 {
            lines.append(line)
            line = String(repeating: " ", count: indent) + piece
        } else {
            line += (line.hasSuffix("[") ? "" : " ") + piece
        }
    }
    if parts.isEmpty { line += "]" }
    lines.append(line)
    return lines.joined(separator: "\n")
}

/// One value: true/false, a whole number, or four significant digits.
private func cell(_ v: Float, bool: Bool, integers: Bool) -> String {
    if bool { return v != 0 ? "true" : "false" }
    if v.isNaN { return "nan" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    if integers { return String(Int(v)) }
    return String(format: "%.4g", Double(v))
}
