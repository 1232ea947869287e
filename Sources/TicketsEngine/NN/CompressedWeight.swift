import Foundation
/// A sparse ticket's weight while it trains in compressed form: only its kept values
/// (a `SparseMatrix`, CSR and CSC over the mask's pattern) and their gradient, so a
/// layer at 10% density does about a tenth of the dense work. The dense `value` of
/// the parameter is brought up to date (`Parameter.sync`) whenever something outside
/// training reads it, and when the run ends (`Parameter.decompress`).
public final class CompressedWeight {
    public var matrix: SparseMatrix
    /// ∂L/∂w at each kept weight, in the order of `matrix.values`.
    public var grad: [Float]

    init(_ matrix: SparseMatrix) {
        self.matrix = matrix
        grad = [Float](repeating: 0, count: matrix.nonzeroCount)
    }
}

/// When a training run puts a layer's weight in compressed form.
public enum SparsePolicy: String, CaseIterable, Sendable {
    /// Below `SparsePolicy.threshold` density (measured: where the compressed kernels
    /// beat OpenBLAS's dense products on this machine, see docs/performance.md).
    case auto
    /// Every masked weight (for tests and the curious).
    case always
    /// None: the dense, masked computation.
    case never

    /// The density below which `auto` compresses a weight: where a LeNet-300-100
    /// ticket's epoch on the compressed kernels beats the dense masked one. It depends
    /// on how fast the dense products are, so it follows their vector width
    /// (`GemmLibrary.vectorBits`), the rule measured on both kinds of CPU
    /// (docs/performance.md): 0.23 kept against AVX-512 products (Zen 4), 0.4 against
    /// AVX2 ones (Zen 4 on OpenBLAS's Haswell kernels; Zen 3 on oneDNN's avx2).
    public static let threshold: Double = GemmLibrary.vectorBits >= 512 ? 0.23 : 0.4

    /// TICKETS_SPARSE from the environment when it names a policy, else auto.
    public static let environmentDefault: SparsePolicy =
        ProcessInfo.processInfo.environment["TICKETS_SPARSE"].flatMap { SparsePolicy(rawValue: $0.lowercased()) } ?? .auto

    func compresses(_ p: Parameter) -> Bool {
        guard let m = p.mask, p.prunable, p.compressible, p.shape.count == 2 else { return false }
        switch self {
        case .never: return false
        case .always: return true
        case .auto:
            let kept = m.data.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
            return Double(kept) < SparsePolicy.threshold * Double(max(m.count, 1))
        }
    }
}

extension Parameter {
    /// Moves a masked 2-D weight into compressed form (its kept values from `value`).
    public func compress() throws {
        guard compressed == nil, let m = mask, shape.count == 2 else { return }
        compressed = CompressedWeight(try SparseMatrix(weight: value, mask: m))
    }

    /// Brings the dense value up to date with the compressed values (zeros elsewhere).
    public func sync() {
        guard let c = compressed else { return }
        value.data = c.matrix.denseWeights()
    }

    /// Leaves compressed form, writing the compressed values back into `value`.
    public func decompress() {
        sync()
        compressed = nil
    }
}

extension Network {
    /// Puts the weights the policy picks in compressed form for a training run.
    /// Under `.auto`, the weights of a run of linear maps that trains as one product
    /// (LinearFusion.swift) stay dense: the product is cheaper than either sparse layer.
    public func compress(_ policy: SparsePolicy) throws {
        let fused = policy == .auto ? fusedWeights : []
        for (_, w) in prunable where policy.compresses(w) && !fused.contains(ObjectIdentifier(w)) { try w.compress() }
    }

    /// Brings every dense value up to date (before a snapshot or an evaluation outside
    /// the layers).
    public func syncCompressed() {
        for (_, w) in prunable { w.sync() }
    }

    /// Ends compressed form everywhere.
    public func decompress() {
        for (_, w) in prunable { w.decompress() }
    }

    /// How many prunable weights train in compressed form now.
    public var compressedLayers: [String] { prunable.filter { $0.weight.compressed != nil }.map(\.name) }
}
