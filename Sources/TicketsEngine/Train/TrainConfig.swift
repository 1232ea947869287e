/// The settings of one `train` call. The defaults here are the defaults users see:
/// the language's `train` builtin reads them from this struct.
public struct TrainConfig: Sendable {
    public enum Method: String, CaseIterable, Sendable { case sgd, adam, adamw }
    /// Passes over the training split (each pass is `stepsPerEpoch` iterations,
    /// counted from where the net's data order stands).
    public var epochs = 1
    /// Iterations in all, across epoch boundaries; when set, `epochs` is not used.
    public var steps: Int? = nil
    public var lr: Double = 0.1
    public var batch = 60
    public var method: Method = .sgd
    public var momentum: Double = 0
    public var nesterov = false
    public var weightDecay: Double = 0
    public var beta1: Double = 0.9, beta2: Double = 0.999
    public var schedule: LRSchedule = .constant
    /// Iterations of linear learning-rate warm-up at the start of training (t < warmup).
    public var warmup = 0
    /// Seeds the data order: the epoch that starts at iteration e·S (S steps an epoch)
    /// shuffles with stream e + 1 of it. Independent of the net's init seed.
    public var seed: UInt64 = 0
    /// Measure test accuracy after every epoch.
    public var evalEachEpoch = false
    /// Evaluate (validation split if the data set has one, and test) every this many
    /// iterations, and at the end: the rows that give the early-stop iteration.
    public var evalEvery: Int? = nil
    /// Iterations (of the net's count) at which to take snapshots.
    public var snapshotAt: [Int] = []
    /// Start a new optimizer even if the net holds one that could go on.
    public var freshOptimizer = false
    /// Which masked weights train in compressed form (only their kept values). The
    /// default is auto, or TICKETS_SPARSE (auto, always, never) from the environment,
    /// so whole lessons can be timed on either path.
    public var sparse: SparsePolicy = .environmentDefault
    /// Augmentation of each training batch (random crop and flip for images).
    public var augment: Augmentation = .none
    public init() {}

    /// Throws for settings no training can use.
    public func validate() throws {
        guard epochs >= 1 else { throw EngineError("epochs must be at least 1, got \(epochs)") }
        guard batch >= 1 else { throw EngineError("batch must be at least 1, got \(batch)") }
        guard lr > 0, lr.isFinite else { throw EngineError("lr must be positive, got \(formatDecimal(lr))") }
        guard momentum >= 0, momentum < 1 else { throw EngineError("momentum must be in [0, 1), got \(formatDecimal(momentum))") }
        guard !nesterov || momentum > 0 else { throw EngineError("nesterov needs a momentum above 0") }
        guard !nesterov || method == .sgd else { throw EngineError("nesterov is a form of SGD momentum; optimizer is \(method.rawValue)") }
        guard method == .sgd || momentum == 0 else { throw EngineError("momentum is SGD's; \(method.rawValue) has beta1 and beta2") }
        guard weightDecay >= 0, weightDecay.isFinite else { throw EngineError("weight_decay must be ≥ 0, got \(formatDecimal(weightDecay))") }
        guard beta1 >= 0, beta1 < 1, beta2 >= 0, beta2 < 1 else { throw EngineError("beta1 and beta2 must be in [0, 1)") }
        guard warmup >= 0 else { throw EngineError("warmup must be ≥ 0, got \(warmup)") }
        if let s = steps, s < 1 { throw EngineError("steps must be at least 1, got \(s)") }
        if let e = evalEvery, e < 1 { throw EngineError("eval_every must be at least 1, got \(e)") }
        if case .step(_, let gamma) = schedule, !(gamma > 0) { throw EngineError("gamma must be positive, got \(formatDecimal(gamma))") }
        if case .cosine(let total, let minimum) = schedule {
            guard total >= 1 else { throw EngineError("the cosine schedule's total must be at least 1 iteration, got \(total)") }
            guard minimum >= 0, minimum <= lr else { throw EngineError("min_lr must be in [0, lr], got \(formatDecimal(minimum))") }
        }
    }
}

/// One row of a training history: an epoch (or the part of one a call trained).
public struct EpochRecord: Sendable {
    public var epoch: Int
    public var steps: Int
    public var loss: Double
    public var trainAcc: Double
    public var seconds: Double
    public var testAcc: Double?
    public var testLoss: Double?
}

/// One evaluation during training (`evalEvery`): at iteration `iteration` of the net.
public struct EvalRecord: Sendable {
    public var iteration: Int
    public var epoch: Int
    /// Mean training loss over the steps since the previous evaluation (nil for none).
    public var trainLoss: Double?
    public var validation: Evaluation?
    public var test: Evaluation
}

/// What `Trainer.train` returns: the history by epoch, the evaluations, the snapshots.
public struct TrainResult {
    public var epochs: [EpochRecord] = []
    public var evaluations: [EvalRecord] = []
    public var snapshots: [Snapshot] = []

    /// The evaluation with the lowest validation loss (the LTH paper's early-stop
    /// iteration); nil without validation rows.
    public var earlyStop: EvalRecord? {
        evaluations.filter { $0.validation != nil }.min { $0.validation!.loss < $1.validation!.loss }
    }
}

/// What the trainer tells its caller as it goes (for a progress bar).
public struct TrainProgress: Sendable {
    public var epoch: Int, epochs: Int
    public var step: Int, stepsInEpoch: Int
    public var loss: Double
    public var seconds: Double
    public var done: Bool
}
