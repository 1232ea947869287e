import Foundation

/// Histogram bins ready to draw: `counts[i]` values fall in `edges[i] ..< edges[i + 1]`.
struct Bins: Equatable, Sendable {
    let edges: [Double]
    let counts: [Double]

    /// The bins of a validated histogram: counted from its values, or taken as given.
    static func of(_ histogram: Histogram, logX: Bool) -> Bins {
        switch histogram {
        case .counts(let edges, let counts):
            return Bins(edges: edges, counts: counts)
        case .values(let values, let bins):
            return count(values.filter(\.isFinite), bins: bins, log: logX)
        }
    }

    /// Counts finite `values` into `bins` equal bins between their smallest and largest
    /// value (equal in log10 space when `log`); `nil` bins picks a number from the data.
    static func count(_ values: [Double], bins: Int?, log: Bool) -> Bins {
        let points = log ? values.map(log10) : values
        var lo = points.min() ?? 0, hi = points.max() ?? 1
        if lo == hi {
            let pad = log ? 0.5 : (lo == 0 ? 0.5 : abs(lo) * 0.05)
            lo -= pad
            hi += pad
        }
        let n = max(1, bins ?? automaticBins(points, lo: lo, hi: hi))
        var counts = [Double](repeating: 0, count: n)
        for p in points {
            let index = Int((p - lo) / (hi - lo) * Double(n))
            counts[min(n - 1, max(0, index))] += 1
        }
        var edges = (0...n).map { lo + (hi - lo) * Double($0) / Double(n) }
        edges[n] = hi
        return Bins(edges: log ? edges.map { pow(10, $0) } : edges, counts: counts)
    }

    /// numpy's "auto": the larger of Sturges' and Freedman–Diaconis' bin counts,
    /// here at most 60 so that every bar stays visible on a screen.
    static func automaticBins(_ points: [Double], lo: Double, hi: Double) -> Int {
        let n = Double(points.count)
        let sturges = Int(log2(n).rounded(.up)) + 1
        let sorted = points.sorted()
        let q1 = sorted[Int(0.25 * (n - 1))], q3 = sorted[Int(0.75 * (n - 1))]
        let width = 2 * (q3 - q1) / cbrt(n)
        let freedman = width > 0 ? min(60, ((hi - lo) / width).rounded(.up)) : 1
        return min(60, max(sturges, Int(freedman), 1))
    }
}
