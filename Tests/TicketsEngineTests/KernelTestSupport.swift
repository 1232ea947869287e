import Testing
@testable import TicketsEngine

/// Small helpers shared by the convolutional kernel tests.
enum KernelTestSupport {
    /// n standard-normal Floats.
    static func randomArray(_ n: Int, _ rng: inout RNG) -> [Float] {
        (0..<n).map { _ in Float(rng.normal()) }
    }

    /// Records an issue for every index where `actual` and `expected` differ by more
    /// than tolerance·max(1, |expected|); stops after a few so a failure stays readable.
    static func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-4, _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)",
                sourceLocation: sourceLocation)
        var reported = 0
        for (k, (a, e)) in zip(actual, expected).enumerated() where !(abs(a - e) <= tolerance * max(1, abs(e))) {
            Issue.record("\(what)[\(k)]: \(a), expected \(e)", sourceLocation: sourceLocation)
            reported += 1
            if reported == 5 { return }
        }
    }

    /// The central-difference gradient of `loss` at `point`, coordinate by coordinate.
    static func numericGradient(at point: [Double], step: Double = 1e-5, _ loss: ([Double]) -> Double) -> [Double] {
        var p = point
        return (0..<point.count).map { k in
            p[k] = point[k] + step
            let plus = loss(p)
            p[k] = point[k] - step
            let minus = loss(p)
            p[k] = point[k]
            return (plus - minus) / (2 * step)
        }
    }

    /// Checks an analytic Float32 gradient against a numeric Float64 one.
    static func expectGradient(_ analytic: [Float], _ numeric: [Double], _ what: String,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(analytic.count == numeric.count, sourceLocation: sourceLocation)
        var reported = 0
        for (k, (a, n)) in zip(analytic, numeric).enumerated() where !(abs(Double(a) - n) <= 1e-4 + 1e-3 * abs(n)) {
            Issue.record("\(what)[\(k)]: analytic \(a), numeric \(n)", sourceLocation: sourceLocation)
            reported += 1
            if reported == 5 { return }
        }
    }

    /// Σ r[k]·y[k]: the loss whose gradient with respect to y is r.
    static func weightedSum(_ y: [Double], _ r: [Float]) -> Double {
        var s = 0.0
        for (a, b) in zip(y, r) { s += a * Double(b) }
        return s
    }
}

/// Runs body with pointers to the arrays' storage (nil for an absent optional).
func withPointers<R>(_ a: [Float], _ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
    try a.withUnsafeBufferPointer { try body($0.baseAddress!) }
}

func withOptionalPointer<R>(_ a: [Float]?, _ body: (UnsafePointer<Float>?) throws -> R) rethrows -> R {
    guard let a else { return try body(nil) }
    return try a.withUnsafeBufferPointer { try body($0.baseAddress!) }
}

func withMutablePointer<R>(_ a: inout [Float], _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    try a.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
}
