/// The operations of the modular-arithmetic data set.
public enum ModularOperation: String, CaseIterable, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"

    /// (a op b) mod p; division multiplies by b's inverse (p prime, b ≠ 0).
    func apply(_ a: Int, _ b: Int, p: Int) -> Int {
        switch self {
        case .add: return (a + b) % p
        case .subtract: return ((a - b) % p + p) % p
        case .multiply: return (a * b) % p
        case .divide: return (a * ModularOperation.inverse(b, p: p)) % p
        }
    }

    static func isPrime(_ p: Int) -> Bool {
        guard p >= 2 else { return false }
        var d = 2
        while d * d <= p {
            if p % d == 0 { return false }
            d += 1
        }
        return true
    }

    /// b^(p−2) mod p: the inverse of b for a prime p (Fermat).
    static func inverse(_ b: Int, p: Int) -> Int {
        var result = 1, base = b % p, e = p - 2
        while e > 0 {
            if e & 1 == 1 { result = result * base % p }
            base = base * base % p
            e >>= 1
        }
        return result
    }
}

extension Dataset {
    /// The stream of the train/test split's draw.
    static let modularStream: UInt64 = 0x4D4F_4455_4C00   // "MODUL"

    /// The largest modulus: p² examples of 2p features stay small.
    public static let maxModulus = 1000

    /// Modular arithmetic, the grokking task (Power et al. 2022, "Grokking: Generalization
    /// beyond overfitting on small algorithmic datasets"; as Minegishi et al., "Grokking
    /// Tickets", use it: p = 67, 40% of the pairs to train on): every pair (a, b) of
    /// 0..<p (b ≠ 0 for division) with the label (a op b) mod p, as 2p one-hot features
    /// (a's p, then b's p), p classes. The pairs are shuffled with `seed` and the first
    /// ⌊trainFraction · N⌋ train (as the authors' gen_train_test); the rest test.
    ///
    /// `symmetric`: only the pairs with a ≤ b (p(p+1)/2 of them: 2,278 for p = 67, 911
    /// to train at 40%), as the Grokking Tickets code's data module keeps them for a
    /// commutative operation. `tokens`: each sample is the two operands as tokens
    /// [a, b] (for an embedding; the data set's vocabulary is p) instead of 2p one-hot
    /// features. Both default to the older form (all pairs, one-hot).
    public static func modular(p: Int, op: ModularOperation = .add, trainFraction: Double = 0.4, seed: UInt64 = 0,
                               symmetric: Bool = false, tokens: Bool = false) throws -> Dataset {
        guard p >= 2, p <= maxModulus else { throw EngineError("p must be a whole number between 2 and \(maxModulus), got \(p)") }
        guard trainFraction > 0, trainFraction < 1 else {
            throw EngineError("train_fraction must be in (0, 1), got \(formatDecimal(trainFraction))")
        }
        if symmetric, op == .subtract || op == .divide {
            throw EngineError("symmetric=true keeps only the pairs a ≤ b, which stands for all of them only for + and *, got \(op.rawValue)")
        }
        if op == .divide, !ModularOperation.isPrime(p) {
            throw EngineError("division mod p needs a prime p, got \(p)")
        }
        var pairs: [(Int, Int)] = []
        for a in 0..<p { for b in (symmetric ? a : 0)..<p where op != .divide || b != 0 { pairs.append((a, b)) } }
        var rng = RNG(seed: seed, stream: modularStream)
        let order = rng.permutation(pairs.count).map { pairs[Int($0)] }
        let trainCount = Int(trainFraction * Double(pairs.count))
        guard trainCount >= 1, trainCount < pairs.count else {
            throw EngineError("train_fraction \(formatDecimal(trainFraction)) of \(pairs.count) pairs leaves \(trainCount == 0 ? "no training" : "no test") examples")
        }
        func split(_ part: ArraySlice<(Int, Int)>) throws -> Split {
            if tokens {
                let x = part.flatMap { [Float($0.0), Float($0.1)] }
                return try Split(x, labels: part.map { Int32(op.apply($0.0, $0.1, p: p)) }, sampleSize: 2)
            }
            var x = [UInt8](repeating: 0, count: part.count * 2 * p)
            var y: [Int32] = []
            for (r, (a, b)) in part.enumerated() {
                x[r * 2 * p + a] = 1
                x[r * 2 * p + p + b] = 1
                y.append(Int32(op.apply(a, b, p: p)))
            }
            return try Split(storage: .bytes(x, scale: 1), labels: y, sampleSize: 2 * p)
        }
        return try Dataset(name: "modular \(op.rawValue) mod \(p)\(symmetric ? ", a ≤ b" : "")", source: "generated",
                           sampleShape: [tokens ? 2 : 2 * p], classes: p,
                           train: split(order[..<trainCount]), test: split(order[trainCount...]), vocabulary: tokens ? p : nil)
    }
}
