/// A dense Float32 tensor in row-major order. The engine's one numeric container:
/// weights, gradients, activations and data sets are all `Tensor`s.
public final class Tensor {
    public let shape: [Int]
    public var data: [Float]

    public var count: Int { data.count }
    public var rows: Int { shape.first ?? 1 }
    /// Elements per row (the product of all but the first dimension).
    public var rowSize: Int { shape.count <= 1 ? 1 : shape.dropFirst().reduce(1, *) }

    public init(shape: [Int], data: [Float]) {
        // Internal invariant: builtins validate shapes and files before any tensor is made.
        precondition(shape.reduce(1, *) == data.count, "Tensor: shape \(shape) does not hold \(data.count) values")
        self.shape = shape; self.data = data
    }
    public convenience init(zeros shape: [Int]) {
        self.init(shape: shape, data: [Float](repeating: 0, count: shape.reduce(1, *)))
    }
    public convenience init(filled value: Float, shape: [Int]) {
        self.init(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)))
    }
    public func copy() -> Tensor { Tensor(shape: shape, data: data) }

    /// "300×784"
    public var shapeText: String { shape.map(String.init).joined(separator: "×") }
}
