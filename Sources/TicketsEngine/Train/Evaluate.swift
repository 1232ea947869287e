import Foundation

/// How a net does on a split: accuracy, mean cross-entropy, calibration and the
/// errors by class.
public struct Evaluation: Sendable {
    public var count: Int
    public var acc: Double
    public var loss: Double
    /// Expected calibration error (Guo et al. 2017): Σ_b (|B_b| / n)·|acc(B_b) − conf(B_b)|
    /// over `Evaluation.eceBins` equal-width bins of confidence (the softmax maximum).
    public var ece: Double
    /// confusion[true class][predicted class]: counts.
    public var confusion: [[Int]]

    /// 15 bins, as the calibration papers use.
    public static let eceBins = 15

    /// Recall of each class: correct / examples of that class (nan for a class with none).
    public var perClass: [Double] {
        confusion.enumerated().map { c, row in
            let n = row.reduce(0, +)
            return n == 0 ? .nan : Double(row[c]) / Double(n)
        }
    }
}

extension Trainer {
    public enum SplitName: String, CaseIterable, Sendable { case test, train, validation }

    /// The net on a split of the data set, in evaluation mode.
    /// Stops with an error when `shouldStop` turns true between chunks (Ctrl-C).
    public static func evaluate(_ net: Network, on data: Dataset, split: SplitName = .test,
                                shouldStop: () -> Bool = { false }) throws -> Evaluation {
        try net.check(sampleShape: data.sampleShape, classes: data.classes)
        let s: Split
        switch split {
        case .test: s = data.test
        case .train: s = data.train
        case .validation:
            guard let v = data.validation else {
                throw EngineError("the data set has no validation split; make one with dataset(..., validation=5000)")
            }
            s = v
        }
        try net.checkTokens(s, split.rawValue)
        var stopped = false
        let e = evaluate(net, s, shouldStop: { stopped = stopped || shouldStop(); return stopped })
        if stopped { throw EngineError("interrupted; the net is unchanged") }
        return e
    }

    /// The same on one split (whose samples the caller checked fit the net).
    static func evaluate(_ net: Network, _ split: Split, shouldStop: () -> Bool = { false }) -> Evaluation {
        let n = split.count, chunk = net.evaluationBatch, classes = net.outputSize
        var tally = EvaluationTally(classes: classes)
        guard n > 0 else { return tally.result }
        net.setTraining(false)
        let x = Buffer(min(chunk, n) * split.sampleSize)
        split.labels.withUnsafeBufferPointer { ys in
            for lo in stride(from: 0, to: n, by: chunk) where !shouldStop() {
                let b = min(chunk, n - lo)
                split.copy(lo..<(lo + b), into: x.ptr)
                tally.add(logits: net.forward(x.ptr, batch: b), labels: ys.baseAddress! + lo, batch: b)
            }
        }
        return tally.result
    }
}

/// Adds up an evaluation batch by batch: logits (B, C), labels (B).
struct EvaluationTally {
    let classes: Int
    var count = 0, correct = 0, lossSum = 0.0
    var confusion: [[Int]]
    var binCount: [Int], binCorrect: [Int], binConfidence: [Double]

    init(classes: Int) {
        self.classes = classes
        confusion = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        binCount = Array(repeating: 0, count: Evaluation.eceBins)
        binCorrect = binCount
        binConfidence = Array(repeating: 0, count: Evaluation.eceBins)
    }

    mutating func add(logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int) {
        for r in 0..<batch {
            let z = logits + r * classes, label = Int(labels[r])
            var maxv = z[0], arg = 0
            for j in 1..<classes where z[j] > maxv { maxv = z[j]; arg = j }
            var sum = 0.0
            for j in 0..<classes { sum += Double(expf(z[j] - maxv)) }
            lossSum += log(sum) - Double(z[label] - maxv)
            let confidence = 1 / sum   // softmax of the arg-max
            let bin = min(Int(confidence * Double(Evaluation.eceBins)), Evaluation.eceBins - 1)
            binCount[bin] += 1
            binConfidence[bin] += confidence
            if arg == label { correct += 1; binCorrect[bin] += 1 }
            if label < classes { confusion[label][arg] += 1 }
            count += 1
        }
    }

    var result: Evaluation {
        let n = Double(max(count, 1))
        var ece = 0.0
        for b in 0..<Evaluation.eceBins where binCount[b] > 0 {
            let k = Double(binCount[b])
            ece += k / n * abs(Double(binCorrect[b]) / k - binConfidence[b] / k)
        }
        return Evaluation(count: count, acc: count == 0 ? 0 : Double(correct) / n, loss: count == 0 ? 0 : lossSum / n,
                          ece: ece, confusion: confusion)
    }
}
