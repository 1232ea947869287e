import Foundation

/// Softmax cross-entropy, averaged over the batch.
/// logits (B, C), labels (B) in 0..<C. Writes dlogits (B, C) = (softmax − onehot) / B
/// when `grad` is given. Returns the summed loss (not the mean) and the number of
/// rows whose arg-max is the label.
@discardableResult
public func softmaxCrossEntropy(logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int,
                                classes: Int, grad: UnsafeMutablePointer<Float>?) -> (lossSum: Double, correct: Int) {
    var lossSum = 0.0
    var correct = 0
    let scale = 1 / Float(batch)
    for r in 0..<batch {
        let z = logits + r * classes
        let label = Int(labels[r])
        var maxv = z[0], arg = 0
        for j in 1..<classes where z[j] > maxv { maxv = z[j]; arg = j }
        if arg == label { correct += 1 }
        var sum: Double = 0
        for j in 0..<classes { sum += Double(expf(z[j] - maxv)) }
        let logSum = log(sum)
        lossSum += logSum - Double(z[label] - maxv)
        if let g = grad {
            let gr = g + r * classes
            let inv = 1 / sum
            for j in 0..<classes {
                let p = Double(expf(z[j] - maxv)) * inv
                // p − 1 in Float64 before rounding: at a loss of 1e-7 the label's
                // Float32 p is 1 − 1e-7 to within half its 6e-8 spacing, which would
                // round its gradient away (the float64 log-softmax of the grokking code).
                gr[j] = Float(j == label ? p - 1 : p) * scale
            }
        }
    }
    return (lossSum, correct)
}
