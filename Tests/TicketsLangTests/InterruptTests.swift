import Foundation
import Testing
import TicketsEngine
@testable import TicketsLang

/// Ctrl-C keeps what finished: an interrupted `train`, `imp`, `gmp`, `oneshot`, `lmc`
/// or `jackpot` statement binds its partial result, marked partial, and the error says
/// which name holds it. Ctrl-C is simulated by the interpreter's `shouldStop`, turned
/// on after a number of training steps (TerminalSessionTests presses the real keys).
struct InterruptTests {
    let interp: Interpreter
    let net: Network

    init() throws {
        interp = try Interpreter(output: { _ in }, progressOutput: { _ in })
        let tiny = GoldenTests.root.appendingPathComponent("Tests/golden/data/tiny").path
        try interp.run("d = dataset(\"idx\", \"\(tiny)\")\nnet = mlp([64, 16, 3], seed=0)", file: "setup")
        guard case .object(let o)? = interp.lookup("net"), let n = (o as? NetObject)?.net else { throw CancellationError() }
        net = n
    }

    /// Stops after `steps` training steps in all (rewinds set the net's step back).
    func stopAfter(steps: Int) {
        var seen = 0, last = net.step
        let net = self.net
        interp.shouldStop = {
            if net.step > last { seen += net.step - last }
            last = net.step
            return seen >= steps
        }
    }

    /// The error of an entry that must fail.
    func failure(_ entry: String) throws -> TicketsError {
        do { _ = try interp.evalEntry(entry, file: "<repl>") } catch let e as TicketsError { return e }
        Issue.record("\(entry) was not interrupted")
        throw CancellationError()
    }

    func shown(_ name: String) throws -> String {
        interp.shouldStop = { false }
        return try interp.evalEntry(name, file: "<repl>")?.checkedRepr() ?? ""
    }

    @Test func trainKeepsTheFinishedEpochs() throws {
        stopAfter(steps: 45)   // 30 steps an epoch: in epoch 2
        let e = try failure("hs = train(net, d, epochs=5, batch=10, quiet=true)")
        #expect(e.message.hasPrefix("train: interrupted at epoch 2, step 15 of 30"))
        #expect(e.message.hasSuffix("; hs holds the 1 finished epoch (marked partial)"))
        let hs = try shown("hs")
        #expect(hs.hasPrefix("epoch  steps"))
        #expect(hs.hasSuffix("(partial: interrupted; the 1 finished epoch)"))
        #expect(try shown("len(hs)") == "1")
    }

    @Test func impKeepsTheFinishedLevelsAtTheUsersLine() throws {
        stopAfter(steps: 75)   // levels 0 and 1 train 30 steps each; stops in level 2
        let e = try failure("t4 = imp(net, d, levels=8, epochs=1, batch=10, quiet=true)")
        #expect(e.loc?.file == "<repl>" && e.loc?.col == 6)
        #expect(e.libraryTrace.count == 1 && e.libraryTrace[0].hasPrefix("imp, stdlib/lth.tks:"))
        #expect(e.message.hasSuffix("; t4 holds the 2 finished levels (marked partial)"))
        #expect(try shown("t4.level") == "[0, 1]")
        #expect(try shown("t4").hasSuffix("(partial: interrupted; the 2 finished levels)"))
    }

    @Test func gmpAndOneshotKeepTheirRows() throws {
        stopAfter(steps: 40)
        let e = try failure("g = gmp(net, d, 0.5, steps=60, every=10, batch=10, quiet=true)")
        #expect(e.message.contains("; g holds the "), "\(e.message)")
        #expect(try shown("g").contains("(partial: interrupted; the "))
        // A statement that is not an assignment keeps its result in ans.
        var calls = 0
        interp.shouldStop = { calls += 1; return calls > 11 }   // a few evaluations in
        let o = try failure("oneshot(net, d, densities=[0.5, 0.3, 0.2, 0.1, 0.05])")
        #expect(o.message.contains("; ans holds the "), "\(o.message)")
    }

    @Test func lmcAndJackpotKeepWhatTheyMeasured() throws {
        try interp.run("b = clone(net)", file: "more")
        var calls = 0
        interp.shouldStop = { calls += 1; return calls > 12 }
        let e = try failure("c = lmc(net, b, d, steps=30)")
        #expect(e.message.contains("; c holds the curve's "), "\(e.message)")
        #expect(try shown("c.columns") == "[\"alpha\", \"error\", \"loss\"]")
        calls = 0
        interp.shouldStop = { calls += 1; return calls > 40 }   // the search leaves net.step alone
        let j = try failure("j = jackpot(net, d, density=0.5, epochs=3, batch=10, quiet=true)")
        #expect(j.message.contains("; j holds the search's mask so far and its 1 finished epoch"), "\(j.message)")
        #expect(try shown("j.partial") == "true")
    }

    @Test func anInterruptedSweepKeepsItsFinishedRuns() throws {
        let folder = NSTemporaryDirectory() + "tickets-interrupted-sweep-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try interp.run("fn experiment(k=1)\n  return {v: k * 2}\nend", file: "sweep")
        var runs = 0
        interp.shouldStop = { runs += 1; return runs > 8 }
        let e = try failure("s = sweep(experiment, grid={k: [1, 2, 3, 4, 5, 6]}, workers=0, folder=\"\(folder)\", quiet=true)")
        #expect(e.message.hasPrefix("sweep: interrupted; the finished runs are kept in"), "\(e.message)")
        #expect(e.message.contains("; s holds the "), "\(e.message)")
        #expect(try shown("s").contains("(partial: interrupted; the "))
    }
}
