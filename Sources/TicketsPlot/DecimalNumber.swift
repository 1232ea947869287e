import Foundation

/// A number held exactly as `significand × 10^exponent`, so tick labels come out as
/// written ("0.3", never "0.30000000000000004").
///
/// Ticks are built from whole multiples of a 1-2-5 step, so they are decimals by
/// construction; other values (limits, cell values) are rounded into one first.
struct DecimalNumber: Equatable, Sendable {
    /// Digits without trailing zeros (those move into the exponent); 0 has exponent 0.
    let significand: Int64
    let exponent: Int

    init(_ significand: Int64, exponent: Int) {
        var s = significand, e = exponent
        while s != 0 && s % 10 == 0 {
            s /= 10
            e += 1
        }
        self.significand = s
        self.exponent = s == 0 ? 0 : e
    }

    /// The shortest decimal that reads back as `value` (Swift's own shortest printing),
    /// or nil for NaN and infinities.
    init?(_ value: Double) {
        guard value.isFinite else { return nil }
        var text = Substring(value.description)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let power = Int(text[text.index(after: e)...]) else { return nil }
            exponent = power
            text = text[..<e]
        }
        let negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        var digits = ""
        if let point = text.firstIndex(of: ".") {
            let fraction = text[text.index(after: point)...]
            digits = String(text[..<point]) + fraction
            exponent -= fraction.count
        } else {
            digits = String(text)
        }
        guard let magnitude = Int64(digits) else { return nil }
        self.init(negative ? -magnitude : magnitude, exponent: exponent)
    }

    /// `value` rounded to `decimals` digits after the point, or nil when out of range.
    init?(rounding value: Double, decimals: Int) {
        let scaled = (value * power10(decimals)).rounded()
        guard scaled.isFinite, abs(scaled) < 9e17 else { return nil }
        self.init(Int64(scaled), exponent: -decimals)
    }

    /// The nearest Double (exact powers of ten keep this correctly rounded).
    var doubleValue: Double {
        exponent >= 0 ? Double(significand) * power10(exponent) : Double(significand) / power10(-exponent)
    }

    /// Digits after the decimal point when written out plainly.
    var decimals: Int { max(0, -exponent) }

    /// The position of the leading digit: 2 for 345, -2 for 0.012.
    var magnitude: Int { exponent + String(significand.magnitude).count - 1 }

    /// Plain decimal notation with at least `minDecimals` digits after the point.
    func plain(minDecimals: Int = 0) -> String {
        let digits = String(significand.magnitude)
        let sign = significand < 0 ? "-" : ""
        let places = max(decimals, minDecimals)
        var whole: String, fraction: String
        if exponent >= 0 {
            whole = digits + String(repeating: "0", count: exponent)
            fraction = ""
        } else {
            let padded = String(repeating: "0", count: max(0, -exponent - digits.count + 1)) + digits
            whole = String(padded.dropLast(-exponent))
            fraction = String(padded.suffix(-exponent))
        }
        fraction += String(repeating: "0", count: places - fraction.count)
        return sign + whole + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// Scientific notation: "2.5e-3", or "2.5×10⁻³" when `unicode`; a power of ten
    /// alone is "1e-3" or "10⁻³".
    func scientific(unicode: Bool) -> String {
        if significand == 0 { return "0" }
        let digits = String(significand.magnitude)
        let sign = significand < 0 ? "-" : ""
        let power = magnitude
        let mantissa = digits.count == 1 ? digits : String(digits.prefix(1)) + "." + String(digits.dropFirst())
        if unicode {
            let tenToThe = "10" + superscript(power)
            return sign + (mantissa == "1" ? tenToThe : mantissa + "×" + tenToThe)
        }
        return sign + mantissa + "e" + String(power)
    }
}

/// 10^n as a Double; exact for |n| ≤ 22, which covers every tick we make.
func power10(_ n: Int) -> Double {
    var result = 1.0
    for _ in 0..<abs(n) { result *= 10 }
    return n >= 0 ? result : 1 / result
}

/// An integer in Unicode superscript digits: -3 → "⁻³".
func superscript(_ n: Int) -> String {
    let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    let body = String(String(n.magnitude).map { digits[Int(String($0)) ?? 0] })
    return (n < 0 ? "⁻" : "") + body
}

/// A value as a person would write it in a sentence: "0.3", "1e-07", "NaN", "-infinity".
func formatPlain(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-infinity" : "infinity" }
    guard let decimal = DecimalNumber(value) else { return value.description }
    if decimal.significand != 0 && (decimal.magnitude < -5 || decimal.magnitude > 15) {
        return decimal.scientific(unicode: false)
    }
    return decimal.plain()
}

/// Digits after the point that show `significant` digits of numbers up to `largest`
/// in size: 2 for values up to 1 (0.82), 0 for values in the hundreds.
func decimalsFor(largest: Double, significant: Int = 3) -> Int {
    guard largest > 0, largest.isFinite else { return 0 }
    let lead = Int(log10(largest).rounded(.down))
    return min(6, max(0, significant - 1 - lead))
}

/// A value rounded to `decimals` places for a cell or a scale end: "0.82", "-3.10".
func formatFixed(_ value: Double, decimals: Int) -> String {
    if !value.isFinite { return formatPlain(value) }
    guard let decimal = DecimalNumber(rounding: value, decimals: decimals) else { return formatPlain(value) }
    let text = decimal.plain(minDecimals: decimals)
    return text.hasPrefix("-") && text.allSatisfy({ "-0.".contains($0) }) ? String(text.dropFirst()) : text
}
