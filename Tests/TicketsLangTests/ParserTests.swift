import Testing
@testable import TicketsLang

struct ParserTests {
    func tokens(_ s: String) throws -> [String] { try Lexer.tokenize(s, file: "t").map(\.description) }
    func ast(_ s: String) throws -> String { try Parser.parse(s, file: "t").map(\.dump).joined(separator: "; ") }

    @Test func lexerTokens() throws {
        #expect(try tokens("x = 1.5e3 # note") == ["name x", "'='", "number 1500", "end of input"])
        #expect(try tokens("1..3") == ["number 1", "'..'", "number 3", "end of input"])
        #expect(try tokens("a ** 2 != b") == ["name a", "'^'", "number 2", "'!='", "name b", "end of input"])
        #expect(try tokens("(1,\n2)\n") == ["'('", "number 1", "','", "number 2", "')'", "newline", "end of input"])
        #expect(try tokens("\"a{b}c\"") == ["string \"a{b}c\"", "end of input"])
    }

    @Test func tokenPositions() throws {
        let t = try Lexer.tokenize("ab\n  cd", file: "t")
        #expect(t[0].line == 1 && t[0].col == 1)
        #expect(t[2].line == 2 && t[2].col == 3)
    }

    @Test func precedence() throws {
        #expect(try ast("1 + 2 * 3") == "(+ 1 (* 2 3))")
        #expect(try ast("-2 ^ 2") == "(- (^ 2 2))")
        #expect(try ast("2 ^ 3 ^ 2") == "(^ 2 (^ 3 2))")
        #expect(try ast("not a == b and c or d") == "(or (and (not (== a b)) c) d)")
        #expect(try ast("1..n + 1") == "(.. 1 (+ n 1))")
        #expect(try ast("f(a, k=1).x[0]") == "([] (. (call f a k=1) x) 0)")
    }

    @Test func statements() throws {
        #expect(try ast("if a\n b\nelif c\n d\nelse\n e\nend") == "(if a [b] elif c [d] else [e])")
        #expect(try ast("for i in 1..3 print(i) end") == "(for i (.. 1 3) [(call print i)])")
        #expect(try ast("x += 1; y = [1, {a: 2}]") == "(+= x 1); (= y [1, {a: 2}])")
        #expect(try ast("fn f(a, b=2)\n return a\nend") == "(fn f (a b) [(return a)])")
    }

    @Test func docCommentsAttachToFunctions() throws {
        let prog = try Parser.parse("# Says hi.\n# Twice.\nfn hi() end", file: "t")
        guard case .function(let f) = prog[0] else { Issue.record("not a function"); return }
        #expect(f.doc == "Says hi.\nTwice.")
    }

    @Test(arguments: ["for i in 1..3", "if x", "fn f(", "[1, 2", "\"abc", "x = {a: 1,", "while true\n  if x\n  end"])
    func incompleteInput(_ src: String) {
        #expect(Interpreter.isIncomplete(src))
    }

    @Test(arguments: ["x = 1", "for i in 1..3 end", "print(1 +)", "end", "x = )"])
    func completeInput(_ src: String) {
        #expect(!Interpreter.isIncomplete(src))
    }
}
