import Foundation

/// One tick mark: where it goes (in data units) and what it says.
public struct Tick: Equatable, Sendable {
    public let value: Double
    public let label: String

    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// Tick positions at readable values, and their labels.
///
/// Linear axes get whole multiples of a step of 1, 2, 2.5 or 5 times a power of ten;
/// log axes get the decades (1, 10, 100), with 2 and 5 between them when they fit. Labels are built from exact decimals, so a step
/// of 0.1 gives "0.3", never "0.30000000000000004".
///
///     Ticks.linear(0, 1, target: 6).map(\.label)      // ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
///     Ticks.log(0.01, 1, target: 6, format: .percent)  // labels "1%", "10%", "100%"
public enum Ticks {
    /// At most `target` nice ticks inside `lo...hi` (fewer when a rounder step fits).
    public static func linear(_ lo: Double, _ hi: Double, target: Int,
                              format: TickFormat = .plain, unicode: Bool = true) -> [Tick] {
        label(linearValues(lo, hi, target: target), format: format, unicode: unicode, sameDecimals: true)
    }

    /// Ticks at the multiples of a given step (see `step`) inside `lo...hi`.
    static func linear(_ lo: Double, _ hi: Double, step: (tenths: Int64, exponent: Int),
                       format: TickFormat = .plain, unicode: Bool = true) -> [Tick] {
        label(linearValues(lo, hi, step: step), format: format, unicode: unicode, sameDecimals: true)
    }

    /// Ticks for a log axis over `lo...hi` (both > 0), about `target` of them.
    public static func log(_ lo: Double, _ hi: Double, target: Int,
                           format: TickFormat = .plain, unicode: Bool = true) -> [Tick] {
        guard lo > 0, hi > lo, lo.isFinite, hi.isFinite else { return [] }
        let first = Int(log10(lo).rounded(.down)), last = Int(log10(hi).rounded(.up))
        guard last - first < 400 else { return [] }
        func inRange(_ d: DecimalNumber) -> Bool {
            let v = d.doubleValue
            return v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)
        }
        func multiples(_ mantissas: [Int64]) -> [DecimalNumber] {
            (first...last).flatMap { e in mantissas.map { DecimalNumber($0, exponent: e) } }.filter(inRange)
        }
        var decades = multiples([1])
        if decades.count >= 3 {
            // 1-2-5 in every decade where there is room for them all (the renderer
            // asks again with a smaller target when their labels would touch).
            let fine = multiples([1, 2, 5])
            if fine.count <= target { return label(fine, format: format, unicode: unicode, sameDecimals: false) }
            // Thin out the decades to every 2nd, 3rd, 5th ... power when there are too many.
            let stride = [1, 2, 3, 5, 10, 20, 50, 100].first { (decades.count + $0 - 1) / $0 <= max(target, 2) } ?? 100
            decades = decades.filter { $0.exponent % stride == 0 }
            return label(decades, format: format, unicode: unicode, sameDecimals: false)
        }
        // A short range: 1-2-5 (or 1-3) within each decade, if that is few enough.
        for mantissas: [Int64] in [[1, 2, 5], [1, 3]] {
            let chosen = multiples(mantissas)
            if chosen.count >= 3 && chosen.count <= max(target, 3) {
                return label(chosen, format: format, unicode: unicode, sameDecimals: false)
            }
        }
        if decades.count >= 2 {
            return label(decades, format: format, unicode: unicode, sameDecimals: false)
        }
        // Less than a decade wide: plain linear ticks, placed on the log scale.
        let oneTwoFive = multiples([1, 2, 5])
        let linear = linearValues(lo, hi, target: target)
        let chosen = linear.count > oneTwoFive.count ? linear : oneTwoFive
        return label(chosen, format: format, unicode: unicode, sameDecimals: linear.count > oneTwoFive.count)
    }

    /// The user's own tick positions inside `lo...hi`, labelled in the axis format.
    public static func fixed(_ values: [Double], lo: Double, hi: Double,
                             format: TickFormat = .plain, unicode: Bool = true) -> [Tick] {
        let inside = values.filter { $0.isFinite && $0 >= lo && $0 <= hi }
        return label(inside.compactMap { DecimalNumber($0) }, format: format, unicode: unicode, sameDecimals: false)
    }

    /// The step a linear axis uses: the smallest of 1, 2, 5 × 10^k that gives at most
    /// `target` ticks in `lo...hi`, or 2.5 × 10^k when 5 × 10^k would leave fewer than
    /// three ticks. Returned as tenths: (25, k) is 2.5 × 10^k.
    static func step(_ lo: Double, _ hi: Double, target: Int) -> (tenths: Int64, exponent: Int) {
        func count(_ tenths: Int64, _ exponent: Int) -> Int {
            let step = Double(tenths) / 10 * power10(exponent)
            let first = (lo / step - 1e-9).rounded(.up), last = (hi / step + 1e-9).rounded(.down)
            return last >= first ? Int(min(last - first + 1, 1e6)) : 0
        }
        let target = max(2, target)
        var exponent = Int(log10((hi - lo) / Double(target)).rounded(.down)) - 1
        while true {
            for tenths: Int64 in [10, 20, 50] where count(tenths, exponent) <= target {
                let quarters = count(25, exponent)
                if tenths == 50 && count(50, exponent) < 3 && quarters >= 3 && quarters <= target {
                    return (25, exponent)
                }
                return (tenths, exponent)
            }
            exponent += 1
        }
    }

    /// The values of the linear ticks, as exact decimals.
    static func linearValues(_ lo: Double, _ hi: Double, target: Int) -> [DecimalNumber] {
        // A span too small to tell apart from rounding has no readable ticks.
        guard lo.isFinite, hi.isFinite, (hi - lo).isFinite, hi - lo > max(abs(lo), abs(hi)) * 1e-12,
              (hi - lo) / Double(max(2, target)) >= Double.leastNormalMagnitude else { return [] }
        return linearValues(lo, hi, step: step(lo, hi, target: target))
    }

    /// The multiples of a step (in tenths: (25, k) is 2.5 × 10^k) inside `lo...hi`.
    static func linearValues(_ lo: Double, _ hi: Double, step: (tenths: Int64, exponent: Int)) -> [DecimalNumber] {
        let (tenths, exponent) = step
        let stepValue = Double(tenths) / 10 * power10(exponent)
        let firstK = (lo / stepValue - 1e-9).rounded(.up), lastK = (hi / stepValue + 1e-9).rounded(.down)
        guard abs(firstK) < 1e15, abs(lastK) < 1e15, lastK - firstK < 1000 else { return [] }
        guard firstK <= lastK else { return [] }
        return (Int64(firstK)...Int64(lastK)).map { DecimalNumber($0 * tenths, exponent: exponent - 1) }
    }

    /// Labels for exact tick values in one format. On a linear axis all labels share
    /// the number of decimals (0.0, 0.5, 1.0); on a log axis each has its own.
    static func label(_ values: [DecimalNumber], format: TickFormat, unicode: Bool, sameDecimals: Bool) -> [Tick] {
        let shown = values.map { format == .percent ? DecimalNumber($0.significand, exponent: $0.exponent + 2) : $0 }
        let nonzero = shown.filter { $0.significand != 0 }
        let largest = nonzero.map(\.magnitude).max() ?? 0
        let decimals = sameDecimals ? (shown.map(\.decimals).max() ?? 0) : 0
        // A linear axis goes scientific when its numbers get long; an axis of mixed
        // sizes (log, or the user's own ticks) as soon as one of them would.
        let longest = sameDecimals ? (largest >= 6 || largest <= -4)
                                   : nonzero.contains { $0.magnitude >= 4 || $0.magnitude <= -3 }
        let scientific = format == .scientific || longest
        return zip(values, shown).map { value, number in
            var text: String
            if number.significand == 0 {
                text = decimals > 0 && !scientific ? number.plain(minDecimals: decimals) : "0"
            } else if scientific {
                text = number.scientific(unicode: unicode)
            } else {
                text = number.plain(minDecimals: decimals)
            }
            if format == .percent { text += "%" }
            return Tick(value: value.doubleValue, label: text)
        }
    }
}
