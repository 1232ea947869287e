/// The settings of one `train` call. The defaults here are the defaults users see:
/// the language's `train` builtin reads them from this struct.
public struct TrainConfig: Sendable {
    public enum Method: String, CaseIterable, Sendable { case sgd, adam }
    public var epochs = 1
    /// Stop after this many steps in all (nil: run every epoch to the end).
    public var steps: Int? = nil
    public var lr: Double = 0.1
    public var batch = 60
    public var method: Method = .sgd
    public var momentum: Double = 0
    public var weightDecay: Double = 0
    /// Seeds the shuffle: epoch e uses stream e of it.
    public var seed: UInt64 = 0
    /// Measure test accuracy after every epoch.
    public var evalEachEpoch = false
    public init() {}

    /// The optimizer these settings describe, for the given parameters.
    public func makeOptimizer(_ parameters: [Parameter]) -> Optimizer {
        switch method {
        case .sgd: return SGD(parameters, lr: Float(lr), momentum: Float(momentum), weightDecay: Float(weightDecay))
        case .adam: return Adam(parameters, lr: Float(lr), weightDecay: Float(weightDecay))
        }
    }

    /// Throws for settings no training can use.
    public func validate() throws {
        guard epochs >= 1 else { throw EngineError("epochs must be at least 1, got \(epochs)") }
        guard batch >= 1 else { throw EngineError("batch must be at least 1, got \(batch)") }
        guard lr > 0, lr.isFinite else { throw EngineError("lr must be positive, got \(lr)") }
        guard momentum >= 0, momentum < 1 else { throw EngineError("momentum must be in [0, 1), got \(momentum)") }
        guard weightDecay >= 0, weightDecay.isFinite else { throw EngineError("weight_decay must be ≥ 0, got \(weightDecay)") }
        if let s = steps, s < 1 { throw EngineError("steps must be at least 1, got \(s)") }
    }
}

/// One row of a training history.
public struct EpochRecord: Sendable {
    public var epoch: Int
    public var steps: Int
    public var loss: Double
    public var trainAcc: Double
    public var seconds: Double
    public var testAcc: Double?
    public var testLoss: Double?
}

/// What the trainer tells its caller as it goes (for a progress bar).
public struct TrainProgress: Sendable {
    public var epoch: Int, epochs: Int
    public var step: Int, stepsInEpoch: Int
    public var loss: Double
    public var seconds: Double
    public var done: Bool
}
