import Testing
import Foundation
@testable import TicketsPlot

/// Tick positions and labels on hand-picked ranges.
struct TicksTests {
    func labels(_ ticks: [Tick]) -> [String] { ticks.map(\.label) }

    @Test func linearStepsOfOneTwoFive() {
        #expect(labels(Ticks.linear(0, 1, target: 6)) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(labels(Ticks.linear(0, 1, target: 4)) == ["0.0", "0.5", "1.0"])
        #expect(labels(Ticks.linear(0, 100, target: 6)) == ["0", "20", "40", "60", "80", "100"])
        #expect(labels(Ticks.linear(-3.7, 12.2, target: 5)) == ["0", "5", "10"])
        #expect(labels(Ticks.linear(-3.7, 12.2, target: 9)) == ["-2", "0", "2", "4", "6", "8", "10", "12"])
        #expect(labels(Ticks.linear(0.82, 0.99, target: 7)) == ["0.85", "0.90", "0.95"])
        #expect(labels(Ticks.linear(0.82, 0.99, target: 8)) == ["0.85", "0.90", "0.95"])
        #expect(labels(Ticks.linear(0.82, 0.99, target: 9)) == ["0.82", "0.84", "0.86", "0.88", "0.90", "0.92", "0.94", "0.96", "0.98"])
        #expect(labels(Ticks.linear(1990, 2030, target: 5)) == ["1990", "2000", "2010", "2020", "2030"])
    }

    @Test func twoAndAHalfOnlyWhenFiveLeavesTooFew() {
        // 0.5 would give 2 ticks in 0.1...1.1 (0.5, 1.0); 0.25 gives four.
        #expect(labels(Ticks.linear(0.1, 1.1, target: 4)) == ["0.25", "0.50", "0.75", "1.00"])
    }

    @Test func labelsAreExactDecimals() {
        let ticks = Ticks.linear(0, 0.3, target: 4)
        #expect(labels(ticks) == ["0.0", "0.1", "0.2", "0.3"])
        #expect(ticks[3].value == 0.3)   // the Double nearest 0.3, not 0.1 + 0.1 + 0.1
        #expect(!labels(Ticks.linear(0.1, 0.7, target: 7)).contains { $0.count > 3 })
    }

    @Test func neverMoreTicksThanAskedFor() {
        for (lo, hi) in [(0.0, 1.0), (-7.3, 123.4), (0.0012, 0.0019), (1e5, 3.3e7), (-1.0, -0.25)] {
            for target in 2...12 {
                let ticks = Ticks.linear(lo, hi, target: target)
                #expect(ticks.count <= target, "\(lo)...\(hi) target \(target) gave \(ticks.count)")
                #expect(ticks.count >= 1)
                #expect(ticks.allSatisfy { $0.value >= lo && $0.value <= hi })
            }
        }
    }

    @Test func largeAndSmallValuesGoScientific() {
        #expect(labels(Ticks.linear(0, 4e6, target: 5, unicode: false)) == ["0", "1e6", "2e6", "3e6", "4e6"])
        #expect(labels(Ticks.linear(0, 4e6, target: 5)) == ["0", "10⁶", "2×10⁶", "3×10⁶", "4×10⁶"])
        #expect(labels(Ticks.linear(0, 3e-5, target: 4, unicode: false)) == ["0", "1e-5", "2e-5", "3e-5"])
        #expect(labels(Ticks.linear(0, 0.004, target: 5, format: .scientific, unicode: false)) == ["0", "1e-3", "2e-3", "3e-3", "4e-3"])
        #expect(labels(Ticks.linear(0, 2500, target: 3, format: .scientific, unicode: false)) == ["0", "1e3", "2e3"])
    }

    @Test func percentages() {
        #expect(labels(Ticks.linear(0, 1, target: 6, format: .percent)) == ["0%", "20%", "40%", "60%", "80%", "100%"])
        #expect(labels(Ticks.linear(0, 0.03, target: 4, format: .percent)) == ["0%", "1%", "2%", "3%"])
        #expect(labels(Ticks.linear(0, 0.003, target: 4, format: .percent)) == ["0.0%", "0.1%", "0.2%", "0.3%"])
    }

    @Test func logDecades() {
        #expect(labels(Ticks.log(1, 1000, target: 6)) == ["1", "10", "100", "1000"])
        // Once one label needs a power of ten, they all get one.
        #expect(labels(Ticks.log(0.5, 2e5, target: 8)) == ["10⁰", "10¹", "10²", "10³", "10⁴", "10⁵"])
        #expect(labels(Ticks.log(0.5, 2e5, target: 8, unicode: false)) == ["1e0", "1e1", "1e2", "1e3", "1e4", "1e5"])
        #expect(labels(Ticks.log(0.002, 0.5, target: 8)) == ["2×10⁻³", "5×10⁻³", "10⁻²", "2×10⁻²", "5×10⁻²", "10⁻¹", "2×10⁻¹", "5×10⁻¹"])
        // Seven decades, room for four: every second power.
        #expect(labels(Ticks.log(1e-6, 1, target: 4)) == ["10⁻⁶", "10⁻⁴", "10⁻²", "10⁰"])
    }

    @Test func logDecadesGetTwoAndFiveWhereThereIsRoom() {
        // 100% down to 1%: 1-2-5 when seven labels fit, the decades alone when not.
        #expect(labels(Ticks.log(0.01, 1, target: 8, format: .percent)) == ["1%", "2%", "5%", "10%", "20%", "50%", "100%"])
        #expect(labels(Ticks.log(0.01, 1, target: 4, format: .percent)) == ["1%", "10%", "100%"])
    }

    @Test func logShortRangesGetTwoAndFive() {
        // Weights remaining from 100% down to 1.8%: the lottery-ticket x axis.
        #expect(labels(Ticks.log(0.015, 1.2, target: 8, format: .percent)) == ["2%", "5%", "10%", "20%", "50%", "100%"])
        // Too many for 1-2-5: 1 and 3.
        #expect(labels(Ticks.log(0.048, 2.8, target: 5)) == ["0.1", "0.3", "1"])
        // Within one decade: linear ticks, placed on the log scale.
        #expect(labels(Ticks.log(3, 7, target: 5)) == ["3", "4", "5", "6", "7"])
    }

    @Test func fixedTicksKeepTheirValues() {
        let ticks = Ticks.fixed([0.5, 3, 100, .nan], lo: 0, hi: 10)
        #expect(labels(ticks) == ["0.5", "3"])
        #expect(labels(Ticks.fixed([1, 0.512, 0.262], lo: 0.1, hi: 1, format: .percent)) == ["100%", "51.2%", "26.2%"])
    }

    @Test func padding() {
        #expect(AxisScale.padded(0, 10, fraction: 0.05, log: false) == (-0.5, 10.5))
        #expect(AxisScale.padded(5, 5, fraction: 0.05, log: false) == (4.5, 5.5))
        #expect(AxisScale.padded(0, 0, fraction: 0.05, log: false) == (-1, 1))
        let log = AxisScale.padded(1, 100, fraction: 0.05, log: true)
        #expect(abs(log10(log.lo) + 0.1) < 1e-12 && abs(log10(log.hi) - 2.1) < 1e-12)
        let single = AxisScale.padded(10, 10, fraction: 0.05, log: true)
        #expect(abs(log10(single.lo) - 0.5) < 1e-12 && abs(log10(single.hi) - 1.5) < 1e-12)
    }

    @Test func scalesMapLogAndReversedAxes() {
        let remaining = AxisScale(lo: 1, hi: 100, log: true, reversed: true)
        #expect(remaining.fraction(100) == 0)
        #expect(abs(remaining.fraction(10) - 0.5) < 1e-12)
        #expect(remaining.fraction(1) == 1)
        #expect(abs(remaining.value(at: 0.5) - 10) < 1e-9)
        let linear = AxisScale(lo: -1, hi: 3, log: false, reversed: false)
        #expect(linear.fraction(0) == 0.25)
        #expect(linear.value(at: 0.75) == 2)
    }

    @Test func decimalNumbers() throws {
        let tenth = try #require(DecimalNumber(0.1))
        #expect(tenth == DecimalNumber(1, exponent: -1))
        #expect(DecimalNumber(1e-7)?.plain() == "0.0000001")
        #expect(DecimalNumber(123.45)?.plain() == "123.45")
        #expect(DecimalNumber(1e20)?.plain() == "100000000000000000000")
        #expect(DecimalNumber(-2500)?.scientific(unicode: false) == "-2.5e3")
        #expect(DecimalNumber(0.00025)?.scientific(unicode: true) == "2.5×10⁻⁴")
        #expect(DecimalNumber(Double.nan) == nil)
        #expect(DecimalNumber(5, exponent: -1).plain(minDecimals: 2) == "0.50")
        #expect(formatPlain(0.1 + 0.2) == "0.30000000000000004")   // messages show the real value
        #expect(formatPlain(-0.0) == "0")
        #expect(formatFixed(0.625, decimals: 2) == "0.63")
        #expect(formatFixed(-0.001, decimals: 2) == "0.00")
        #expect(decimalsFor(largest: 1) == 2)
        #expect(decimalsFor(largest: 250) == 0)
    }
}
