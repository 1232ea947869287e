import Foundation
import TicketsEngine

/// The progress line of `train`, in the style of tqdm:
///
///     epoch 1/2  45%|█████████░░░░░░░░░░░| 450/1000 [00:02<00:03, 212 it/s, loss 0.452]
///
/// the steps done of the epoch, the time spent and the time left at the current rate,
/// the rate, and the mean loss so far. On a terminal the line is redrawn in place (at
/// most `Display.redrawsPerSecond` times a second) and stays, finished, at the end of
/// each epoch; elsewhere (a log file, a pipe) only the finished line is written, once
/// per epoch, with no carriage return.
struct ProgressBar {
    var terminal: Bool
    static let width = 20

    func line(_ p: TrainProgress) -> String {
        let total = max(p.stepsInEpoch, 1), step = min(p.step, total)
        let fraction = Double(step) / Double(total)
        let filled = min(ProgressBar.width, Int(fraction * Double(ProgressBar.width)))
        let bar = String(repeating: "█", count: filled) + String(repeating: terminal ? "░" : " ", count: ProgressBar.width - filled)
        let rate = p.seconds > 0 ? Double(step) / p.seconds : 0
        let left = rate > 0 ? Double(total - step) / rate : 0
        let percent = String(format: "%3d%%", Int(fraction * 100))
        return "epoch \(p.epoch)/\(p.epochs) \(percent)|\(bar)| \(step)/\(total) "
            + "[\(clock(p.seconds))<\(clock(left)), \(ProgressBar.rate(rate)), loss \(String(format: "%.3f", p.loss))]"
    }

    /// "00:07", "12:34", "1:02:03"
    func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        let (h, m, r) = (s / 3600, s / 60 % 60, s % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, r) : String(format: "%02d:%02d", m, r)
    }

    /// "2105 it/s", "3.2 it/s", or "4.1 s/it" for slow steps.
    static func rate(_ perSecond: Double) -> String {
        if perSecond <= 0 { return "? it/s" }
        if perSecond >= 100 { return String(format: "%.0f it/s", perSecond) }
        if perSecond >= 1 { return String(format: "%.1f it/s", perSecond) }
        return String(format: "%.1f s/it", 1 / perSecond)
    }
}
