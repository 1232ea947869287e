/// A number as messages show it: whole numbers without a decimal point (1, not 1.0),
/// others in their shortest exact form (0.1).
public func formatDecimal(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}

/// 266610 → "266,610"
public func grouped(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, ch) in s.enumerated() {
        if i > 0 && (s.count - i) % 3 == 0 && ch != "-" { out += "," }
        out.append(ch)
    }
    return out
}
