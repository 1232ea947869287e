import Foundation

/// Maps values on one axis to a fraction of the plot's width or height: 0 at the
/// left (or bottom), 1 at the right (or top). Log and reversed axes live here.
///
///     AxisScale(lo: 1, hi: 100, log: true, reversed: true).fraction(10)   // 0.5
struct AxisScale: Equatable, Sendable {
    let lo: Double
    let hi: Double
    let log: Bool
    let reversed: Bool

    /// Where `value` falls, 0...1 inside the range (outside it for clipped values).
    func fraction(_ value: Double) -> Double {
        let t = log ? (log10(value) - log10(lo)) / (log10(hi) - log10(lo)) : (value - lo) / (hi - lo)
        return reversed ? 1 - t : t
    }

    /// The value at a fraction of the axis (the inverse of `fraction`).
    func value(at fraction: Double) -> Double {
        let t = reversed ? 1 - fraction : fraction
        return log ? pow(10, log10(lo) + t * (log10(hi) - log10(lo))) : lo + t * (hi - lo)
    }

    /// Ticks for this scale: the axis's own, or automatic ones (about `target`).
    func ticks(for axis: Axis, target: Int, unicode: Bool) -> [Tick] {
        if let fixed = axis.ticks {
            return Ticks.fixed(fixed.filter { !log || $0 > 0 }, lo: lo, hi: hi, format: axis.format, unicode: unicode)
        }
        return log ? Ticks.log(lo, hi, target: target, format: axis.format, unicode: unicode)
                   : Ticks.linear(lo, hi, target: target, format: axis.format, unicode: unicode)
    }

    /// The range drawn for data spanning `lo...hi`: widened by `fraction` of its width
    /// on each side (in log space on a log axis), and opened up when it is one value.
    static func padded(_ lo: Double, _ hi: Double, fraction: Double, log: Bool) -> (lo: Double, hi: Double) {
        if log {
            var a = log10(lo), b = log10(hi)
            let pad = b - a < 1e-12 ? 0.5 : (b - a) * fraction
            a -= pad
            b += pad
            // Padding beyond the smallest or largest Double stops at it.
            return (max(pow(10, a), Double.leastNonzeroMagnitude), min(pow(10, b), Double.greatestFiniteMagnitude))
        }
        if hi - lo <= max(abs(lo), abs(hi)) * 1e-12 {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            return (lo - pad, hi + pad)
        }
        let pad = (hi - lo) * fraction
        return (lo - pad, hi + pad)
    }
}
