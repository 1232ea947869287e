import Foundation
import Testing
@testable import TicketsEngine
@testable import TicketsLang

/// The progress line: tqdm's fields, at most ten redraws a second on a terminal, one
/// plain line per epoch (and no carriage return) elsewhere, nothing with quiet=true.
struct ProgressTests {
    static let tiny = GoldenTests.root.appendingPathComponent("Tests/golden/data/tiny").path

    @Test func theBarShowsCountTimesRateAndLoss() {
        let bar = ProgressBar(terminal: true)
        let p = TrainProgress(epoch: 1, epochs: 2, step: 450, stepsInEpoch: 1000, loss: 0.4521, seconds: 2.25, done: false)
        #expect(bar.line(p) == "epoch 1/2  45%|█████████░░░░░░░░░░░| 450/1000 [00:02<00:03, 200 it/s, loss 0.452]")
        let slow = TrainProgress(epoch: 3, epochs: 3, step: 2, stepsInEpoch: 4, loss: 2, seconds: 5000, done: false)
        #expect(bar.line(slow) == "epoch 3/3  50%|██████████░░░░░░░░░░| 2/4 [1:23:20<1:23:20, 2500.0 s/it, loss 2.000]")
        let plain = ProgressBar(terminal: false).line(TrainProgress(epoch: 1, epochs: 1, step: 10, stepsInEpoch: 10, loss: 1, seconds: 0, done: true))
        #expect(plain == "epoch 1/1 100%|████████████████████| 10/10 [00:00<00:00, ? it/s, loss 1.000]")
    }

    @Test func redrawsAreAtMostTenASecond() {
        let d = Display()
        let second: UInt64 = 1_000_000_000
        #expect(d.mayRedraw(now: 5 * second))
        #expect(!d.mayRedraw(now: 5 * second + second / 20))
        #expect(d.mayRedraw(now: 5 * second + second / 10))
        #expect(!d.mayRedraw(now: 5 * second + second / 10 + 1))
    }

    /// Trains on the tiny data set and returns what went to the progress stream.
    func progress(terminal: Bool, quiet: Bool) throws -> String {
        var text = ""
        let interp = try Interpreter(output: { _ in }, progressOutput: { text += $0 }, isTerminal: terminal)
        try interp.run("""
        d = dataset("idx", "\(Self.tiny)")
        net = mlp([64, 8, 3], seed=0)
        train(net, d, epochs=2, batch=3, quiet=\(quiet))
        progress("level 1/2")
        progress("level 2/2", done=true)
        """, file: "t")
        return text
    }

    @Test func oneLinePerEpochAndNoCarriageReturnOffATerminal() throws {
        let text = try progress(terminal: false, quiet: false)
        #expect(!text.contains("\r"))
        let lines = text.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("epoch 1/2 100%|") && lines[1].hasPrefix("epoch 2/2 100%|") && lines[1].hasSuffix("]"))
        #expect(lines[2] == "level 1/2" && lines[3] == "level 2/2")
    }

    @Test func onATerminalTheLineIsRedrawnAndEachEpochStays() throws {
        let text = try progress(terminal: true, quiet: false)
        #expect(text.hasPrefix("\r\u{1B}[2Kepoch 1/2"))
        // Each epoch ends with its finished line and a newline; the level line is
        // redrawn, then finished.
        #expect(text.components(separatedBy: "| 100/100 [").count == 3)
        #expect(text.hasSuffix("\r\u{1B}[2Klevel 2/2\n"))
    }

    @Test func quietIsSilent() throws {
        let text = try progress(terminal: true, quiet: true)
        #expect(!text.contains("epoch"))
    }
}
