import TicketsEngine

/// "epoch 1/2 [██████████░░░░░░░░░░░░] 450/1000  loss 0.452  0.4 s"
struct ProgressBar {
    var terminal: Bool
    func line(_ p: TrainProgress) -> String {
        let width = 22
        let filled = p.stepsInEpoch == 0 ? width : min(width, width * p.step / p.stepsInEpoch)
        let bar = String(repeating: "█", count: filled) + String(repeating: terminal ? "░" : " ", count: width - filled)
        return "epoch \(p.epoch)/\(p.epochs) [\(bar)] \(p.step)/\(p.stepsInEpoch)  loss \(String(format: "%.3f", p.loss))  \(String(format: "%.1f", p.seconds)) s"
    }
}
