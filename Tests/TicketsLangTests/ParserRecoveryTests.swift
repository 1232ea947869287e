import Testing
@testable import TicketsLang

/// A parse reports every syntax error it can, each once: after a mistake it skips to the
/// next statement (or the whole block the broken statement opened) and goes on.
struct ParserRecoveryTests {
    /// Every error of a parse as "line:col: message", the thrown one first.
    func errors(_ source: String) -> [String] {
        do {
            _ = try Parser.parse(source, file: "t")
            return []
        } catch let e as TicketsError {
            return ([e] + e.more).map { "\($0.loc.map { "\($0.line):\($0.col)" } ?? "?"): \($0.message)" }
        } catch {
            return ["not a TicketsError: \(error)"]
        }
    }

    @Test func errorsOnSeparateLines() {
        let src = """
        x = 1 +
        y = (2, 3)
        z = [1 2]
        print(x, y, z)
        """
        #expect(errors(src) == ["1:8: expected an expression, got end of line",
                                "2:7: expected ')' to close '(', got ','",
                                "3:8: expected ',' or ']' in the list, got 2"])
    }

    @Test func errorsInsideBlocksLeaveTheBlocksWhole() {
        // Neither a spurious "no matching 'end'" nor "'end' without an open block".
        let src = """
        for i in 1..3
          if i > 1
            x = )
          end
          y = ]
        end
        z = }
        """
        #expect(errors(src) == ["3:9: expected an expression, got ')'",
                                "5:7: expected an expression, got ']'",
                                "7:5: expected an expression, got '}'"])
    }

    @Test func anErrorInABlockHeaderSkipsTheBlock() {
        let src = """
        while x <
          print(x)
        end
        if a
          b = 1
        elif )
          b = 2
        else
          b = 3
        end
        w = ]
        """
        #expect(errors(src) == ["1:10: expected an expression, got end of line",
                                "6:6: expected an expression, got ')'",
                                "11:5: expected an expression, got ']'"])
    }

    @Test func errorsInsideAFunction() {
        let src = """
        # Adds one.
        fn f(a, a)
          return a + 1
        end
        fn g(x)
          y = x *
          return y
        end
        print(g(1)
        """
        #expect(errors(src) == ["2:9: parameter 'a' appears twice",
                                "6:10: expected an expression, got end of line",
                                "9:11: expected ',' or ')' in the argument list, got end of input"])
    }

    @Test func aMissingEndAndAnotherError() {
        let src = """
        x = )
        fn f(a)
          if a > 0
            return [a
          end
          return 0
        """
        // The open bracket on line 4 ends at the outdented 'end'; the 'fn' never closes.
        #expect(errors(src) == ["1:5: expected an expression, got ')'",
                                "2:1: this 'fn' has no matching 'end'",
                                "5:3: expected ',' or ']' in the list, got 'end'"])
    }

    @Test func aMissingCloseBracketEndsAtTheNextLine() {
        // The lexer reads on past the line inside an open bracket; the parser stops there.
        let src = """
        print(len(x)
        y = 2
        for i in 1..3
          print(i
        end
        z = ]
        """
        #expect(errors(src) == ["2:1: expected ',' or ')' in the argument list, got 'y'",
                                "5:1: expected ',' or ')' in the argument list, got 'end'",
                                "6:5: expected an expression, got ']'"])
    }

    @Test func strayEndsAndElses() {
        let src = """
        end
        x = 1
        else
          y = 2
        end
        z = )
        """
        #expect(errors(src) == ["1:1: 'end' without an open block",
                                "3:1: 'else' without an open block",
                                "6:5: expected an expression, got ')'"])
    }

    @Test func badCharactersAreSkipped() {
        let src = """
        x = 1 ! 2
        y = 3 @ 4
        z = 12abc + 1
        w = (5 $)
        """
        // One message each: what the parser then makes of the line is not repeated.
        #expect(errors(src) == ["1:7: unexpected '!'; write 'not x' for negation or '!=' for inequality",
                                "2:7: unexpected character '@'",
                                "3:5: malformed number '12a'",
                                "4:8: unexpected character '$'"])
    }

    @Test func errorsInStrings() {
        let src = #"""
        a = "sum {1 +}"
        b = "sum {x y}"
        c = "{}"
        d = "a\qb"
        e = 'open
        f = "{x + 1
        print(a, b)
        """#
        #expect(errors(src) == ["1:14: expected an expression, got end of input",
                                "2:13: unexpected 'y' in string interpolation",
                                "3:6: empty {} in a string; write \\{ for a brace",
                                "4:7: unknown escape '\\q' in a string",
                                "5:5: unterminated string",
                                "6:6: missing '}' in string interpolation"])
    }

    @Test func aBrokenStringEndsItsLine() {
        // Inside an open bracket, the rest of a broken line is not read into the next.
        let src = """
        print('abc)
        print("n = {n")
        x = )
        """
        #expect(errors(src) == ["1:7: unterminated string", "2:7: unterminated string",
                                "3:5: expected an expression, got ')'"])
    }

    @Test func anUnterminatedStringAtTheEndStaysOneError() {
        // It swallows the rest, 'end' included: no "no matching 'end'" besides.
        #expect(errors("x = 1\nfor i in 1..3\n  print(\"i = {i}\n\nend\n") == ["3:9: unterminated string"])
        // Mistakes before it are still reported.
        #expect(errors("x = )\nprint(\"abc") == ["1:5: expected an expression, got ')'", "2:7: unterminated string"])
    }

    @Test func incompleteInputIsOneIncompleteError() {
        for src in ["for i in 1..3\n  print(i)", "fn f(", "x = [1,\n2", "print(\"abc", "if x\n  while y\n  end"] {
            #expect(Interpreter.isIncomplete(src))
            do {
                _ = try Parser.parse(src, file: "t")
                Issue.record("no error for \(src)")
            } catch let e as TicketsError {
                #expect(e.kind == .incomplete && e.more.isEmpty)
            } catch {
                Issue.record("not a TicketsError")
            }
        }
        // A mistake before the end of the input is reported, not read past.
        #expect(!Interpreter.isIncomplete("x = )\nfor i in 1..3"))
        #expect(errors("for i in 1..3\n  x = )") == ["2:7: expected an expression, got ')'",
                                                    "1:1: this 'for' has no matching 'end'"])
        // The end of a string's {} is not the end of the input.
        #expect(!Interpreter.isIncomplete("x = \"{1 +}\""))
    }

    @Test func oneMistakeOneMessage() {
        // A second error on the line of the first is most likely its consequence.
        #expect(errors("f(a=1, 2, b c)\ng(") == ["1:8: a positional argument cannot follow keyword arguments",
                                                 "2:3: expected an expression, got end of input"])
        // Deep nesting is reported once.
        let deep = String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150)
        #expect(errors("x = \(deep)\ny = ]") == ["1:104: nested too deeply (more than 100 levels)",
                                                 "2:5: expected an expression, got ']'"])
    }

    @Test func theInterpreterShowsEveryErrorWithItsLine() throws {
        let interp = try Interpreter(output: { _ in }, progressOutput: { _ in }, loadStdlib: false)
        do {
            try interp.run("x = 1 +\ny = 2\nz = ]\n", file: "s.tks")
            Issue.record("no error")
        } catch let e as TicketsError {
            #expect(e.exitCode == 65)
            #expect(e.render(color: false) == """
            s.tks:1:8: error: expected an expression, got end of line
                x = 1 +
                       ^
            s.tks:3:5: error: expected an expression, got ']'
                z = ]
                    ^
            """)
        }
    }

    @Test func manyErrorsAreCapped() {
        let src = (1...30).map { "x\($0) = )" }.joined(separator: "\n")
        do {
            _ = try Parser.parse(src, file: "t")
            Issue.record("no error")
        } catch let e as TicketsError {
            #expect(e.more.count == 29)
            let shown = e.render(color: false).split(separator: "\n")
            #expect(shown.filter { $0.contains(": error: ") }.count == TicketsError.maxShown)
            #expect(shown.last == "... and 10 more errors")
        } catch {
            Issue.record("not a TicketsError")
        }
        // A parse gives up after Parser.maxErrors.
        let lots = String(repeating: "x = )\n", count: 500)
        #expect(errors(lots).count == Parser.maxErrors)
    }
}
