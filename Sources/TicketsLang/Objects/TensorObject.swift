import TicketsEngine

/// A tensor as a value of the language: Float32 values with a shape, made by
/// `tensor([[1, 2], [3, 4]])`, `zeros`, `randn`, read from a net, a snapshot, a mask or
/// a file, or computed (`abs(w) > 0.1`). Comparisons and `& | ~` give boolean tensors,
/// kept as 0/1 and shown as true/false. Operations make new tensors; a tensor value is
/// never changed in place, so sharing one is safe.
final class TensorObject: DeclaredMembers {
    /// Where it came from (fc1.weight), or "" for a computed tensor.
    let name: String
    let tensor: Tensor
    /// Whether its values are booleans (0/1).
    let isBool: Bool
    init(_ name: String, _ tensor: Tensor, bool: Bool = false) {
        self.name = name; self.tensor = tensor; self.isBool = bool
    }
    convenience init(_ tensor: Tensor, bool: Bool = false) { self.init("", tensor, bool: bool) }
    var typeName: String { "tensor" }
    var dtype: String { isBool ? "bool" : "float32" }

    var stats: (mean: Double, min: Double, max: Double, nonzero: Int) {
        let n = tensor.reduced(.count) ?? 0
        return (tensor.reduced(.mean) ?? .nan, tensor.reduced(.min) ?? .nan, tensor.reduced(.max) ?? .nan, Int(n))
    }

    /// "tensor fc1.weight [300, 784] float32", then the values as NumPy prints them.
    func describe() -> String { describe(full: false) }
    func describe(full: Bool) -> String {
        var head = "tensor" + (name.isEmpty ? "" : " " + name) + " " + Broadcast.describe(tensor.shape) + " " + dtype
        if isBool { head += "  \(grouped(Int(tensor.reduced(.count) ?? 0))) true" }
        return head + "\n" + formatTensor(tensor, bool: isBool, full: full)
    }

    /// `t[i]`: row i along the first dimension (a number for a 1-D tensor); `t[a..b]`:
    /// rows a to b, both included. Negative positions count from the end.
    func index(_ i: Value) throws -> Value? {
        let shape = tensor.shape
        guard let rows = shape.first else { throw TicketsError(.runtime, "a tensor of shape [] cannot be indexed") }
        func position(_ x: Int) throws -> Int {
            let k = x < 0 ? x + rows : x
            guard k >= 0, k < rows else { throw TicketsError(.runtime, "index \(x) is out of range for \(rows) rows (shape \(Broadcast.describe(shape)))") }
            return k
        }
        switch i {
        case .number(let x) where x == x.rounded() && abs(x) < 1e15:
            let k = try position(Int(x))
            let row = tensor.rows(k, k, single: true)
            if row.shape.isEmpty { return isBool ? .bool(row.data[0] != 0) : .number(Double(row.data[0])) }
            return .object(TensorObject(row, bool: isBool))
        case .range(let a, let b):
            let lo = try position(a), hi = try position(b)
            guard lo <= hi else { throw TicketsError(.runtime, "the range \(a)..\(b) selects no rows") }
            return .object(TensorObject(tensor.rows(lo, hi, single: false), bool: isBool))
        default:
            throw TicketsError(.runtime, "a tensor is indexed by a whole number or a range, got \(describeBrief(i))")
        }
    }
    var length: Int? { tensor.shape.first }

    static let members: [Member<TensorObject>] = [
        Member("name", "where it came from (fc1.weight), or \"\" when computed") { .string($0.name) },
        Member("shape", "its shape, e.g. [300, 784]") { .list($0.tensor.shape.map { .int($0) }) },
        Member("dtype", "\"float32\" or \"bool\"") { .string($0.dtype) },
        Member("size", "the number of values") { .int($0.tensor.count) },
        Member("values", "the values, row-major, as a list") { o in
            .list(o.tensor.data.map { o.isBool ? .bool($0 != 0) : .number(Double($0)) })
        },
        Member("mean", "the mean value") { .number($0.stats.mean) },
        Member("min", "the smallest value") { .number($0.stats.min) },
        Member("max", "the largest value") { .number($0.stats.max) },
        Member("nonzero", "how many values are not 0") { .int($0.stats.nonzero) },
    ]
}
