import Foundation

/// How the learning rate changes over the iterations of training, as a function of
/// the net's iteration count t (so a schedule continues across `train` calls and from
/// a late-rewinding point), after an optional linear warm-up.
public enum LRSchedule: Sendable, Equatable {
    case constant
    /// Multiply by `gamma` at each of the `milestones` (iterations), as
    /// torch.optim.lr_scheduler.MultiStepLR does per iteration.
    case step(milestones: [Int], gamma: Double)
    /// Cosine annealing from the base rate to `minimum` over iterations warmup..<total,
    /// then `minimum` (torch's CosineAnnealingLR with T_max = total − warmup).
    case cosine(total: Int, minimum: Double)

    public var name: String {
        switch self {
        case .constant: return "constant"
        case .step: return "step"
        case .cosine: return "cosine"
        }
    }

    /// The learning rate of the step taken at iteration t (0 for the first step).
    /// warmup > 0 ramps linearly: lr·(t + 1)/warmup for t < warmup.
    public func rate(base: Double, at t: Int, warmup: Int = 0) -> Double {
        if t < warmup { return base * Double(t + 1) / Double(warmup) }
        switch self {
        case .constant:
            return base
        case .step(let milestones, let gamma):
            return base * pow(gamma, Double(milestones.filter { $0 <= t }.count))
        case .cosine(let total, let minimum):
            let span = max(total - warmup, 1), done = min(t - warmup, span)
            return minimum + (base - minimum) * 0.5 * (1 + cos(Double.pi * Double(done) / Double(span)))
        }
    }
}
