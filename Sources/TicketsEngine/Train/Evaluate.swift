extension Trainer {
    public enum SplitName: String, CaseIterable, Sendable { case test, train }

    /// Accuracy and mean cross-entropy loss of the net on a split of the data set, in
    /// evaluation mode.
    public static func evaluate(_ net: Network, on data: Dataset, split: SplitName = .test) throws -> (acc: Double, loss: Double) {
        try net.check(sampleShape: data.sampleShape, classes: data.classes)
        return evaluate(net, split == .test ? data.test : data.train)
    }

    /// The same on one split (whose samples the caller checked fit the net).
    static func evaluate(_ net: Network, _ split: Split) -> (acc: Double, loss: Double) {
        let n = split.count, chunk = 1000
        guard n > 0 else { return (0, 0) }
        net.setTraining(false)
        let x = Buffer(min(chunk, n) * split.sampleSize)
        var lossSum = 0.0, correct = 0
        split.labels.withUnsafeBufferPointer { ys in
            for lo in stride(from: 0, to: n, by: chunk) {
                let b = min(chunk, n - lo)
                split.copy(lo..<(lo + b), into: x.ptr)
                let logits = net.forward(x.ptr, batch: b)
                let (l, c) = softmaxCrossEntropy(logits: logits, labels: ys.baseAddress! + lo, batch: b,
                                                 classes: net.outputSize, grad: nil)
                lossSum += l; correct += c
            }
        }
        return (Double(correct) / Double(n), lossSum / Double(n))
    }
}
