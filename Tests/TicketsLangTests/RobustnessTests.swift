import Foundation
import Testing
@testable import TicketsLang
import TicketsEngine

/// Thousands of random and mutated snippets: every one must run or throw a
/// TicketsError; none may trap (a trap would end this test process).
struct RobustnessTests {
    static let seeds = [
        "x = [1, 2, 3]\nprint(x[1] + len(x))",
        "fn f(a, b=2) return a * b end\nprint(f(3), f(b=1, a=2))",
        "r = {a: 1}\nr.b = \"s{r.a}\"\nfor k in r print(k) end",
        "i = 0\nwhile i < 3\n i += 1\n if i == 2 break end\nend",
        "net = mlp([4, 3, 2], seed=1)\nm = prune(net, rate=0.5)\nprint(density(m).total, overlap(m, m))",
        "t = table([\"a\"])\nt.add({a: 1})\nprint(t[0].a, t.a, len(t))",
        "print(1..5, range(0, 1, 0.5), sort([3, 1]), fmt(0.5, \"%\"))",
        "x = \"abc\"[-1] + str(1 / 0) + str(2 ^ 0.5)",
    ]
    static let fragments = ["(", ")", "[", "]", "{", "}", ",", ".", "..", "=", "+", "-", "*", "/", "%", "^", "\"", "'",
                            "{x}", "\n", ";", " end ", " if ", " for ", " in ", " fn ", " while ", " return ", "nil", "1e400",
                            "-1", "0", "1.5", "x", "net", "m", "mlp", "prune", "[]", "{}", "not ", " and ", "#", "\\", "9999999999999999999"]

    @Test func randomSnippetsNeverTrap() throws {
        var rng = RNG(seed: 2024)
        var ran = 0, failed = 0
        for _ in 0..<3000 {
            var chars = Array(Self.seeds[rng.below(Self.seeds.count)])
            for _ in 0..<(1 + rng.below(4)) {
                let pos = rng.below(chars.count + 1)
                switch rng.below(3) {
                case 0: chars.insert(contentsOf: Self.fragments[rng.below(Self.fragments.count)], at: pos)
                case 1: if pos < chars.count { chars.remove(at: pos) }
                default:
                    let len = min(chars.count - pos, rng.below(6))
                    chars.removeSubrange(pos..<(pos + len))
                }
            }
            let interp = try Interpreter(output: { _ in }, progressOutput: { _ in })
            interp.timeLimit = 0.2   // a mutation can make a loop endless
            do { try interp.run(String(chars), file: "fuzz"); ran += 1 } catch is TicketsError { failed += 1 }
        }
        #expect(ran + failed == 3000 && ran > 100 && failed > 100)
    }
}
