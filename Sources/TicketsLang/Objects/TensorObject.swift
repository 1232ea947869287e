import TicketsEngine

/// One tensor of a net, a snapshot or a mask, seen from the language: to look at, to
/// save as .npy, or to load from one.
final class TensorObject: DeclaredMembers {
    let name: String
    let tensor: Tensor
    init(_ name: String, _ tensor: Tensor) { self.name = name; self.tensor = tensor }
    var typeName: String { "tensor" }

    var stats: (mean: Double, min: Double, max: Double, nonzero: Int) {
        var sum = 0.0, lo = Double.infinity, hi = -Double.infinity, nz = 0
        for v in tensor.data {
            let x = Double(v)
            sum += x; lo = Swift.min(lo, x); hi = Swift.max(hi, x)
            if v != 0 { nz += 1 }
        }
        return (tensor.count == 0 ? 0 : sum / Double(tensor.count), lo, hi, nz)
    }

    func describe() -> String {
        let s = stats
        return "tensor \(name)  \(tensor.shapeText)  \(grouped(tensor.count)) values  mean \(formatNumber(s.mean))  min \(formatNumber(s.min))  max \(formatNumber(s.max))  nonzero \(grouped(s.nonzero))"
    }

    static let members: [Member<TensorObject>] = [
        Member("name", "where it came from (fc1.weight)") { .string($0.name) },
        Member("shape", "its shape, e.g. [300, 784]") { .list($0.tensor.shape.map { .int($0) }) },
        Member("size", "the number of values") { .int($0.tensor.count) },
        Member("values", "the values, row-major, as a list") { .list($0.tensor.data.map { .number(Double($0)) }) },
        Member("mean", "the mean value") { .number($0.stats.mean) },
        Member("min", "the smallest value") { .number($0.stats.min) },
        Member("max", "the largest value") { .number($0.stats.max) },
        Member("nonzero", "how many values are not 0") { .int($0.stats.nonzero) },
    ]
}
