import Foundation
import TicketsEngine

/// The language's own builtins: printing, help, checks and conversions.
func languageBuiltins() -> [BuiltinGroup] {
    [
        BuiltinGroup("Results and scripts", [
            Builtin("print", variadic: true,
                    doc: "Prints the values, separated by spaces, and a newline. Strings print without quotes.") { a in
                a.ctx.write(try a.positional.map { try $0.checkedDisplay() }.joined(separator: " "))
                return .null
            },
            Builtin("progress", [
                .string("text", "the status line"),
                .bool("done", false, "end the line (else it is redrawn by the next call)"),
            ], doc: """
            Shows a status line on standard error (so it never mixes into results): on a
            terminal redrawn in place until done=true, elsewhere (a log, a pipe) one plain
            line per call. A done line is also kept in the handout (:save, --notebook).
            """) { a in
                let text = try a.string("text"), done = try a.bool("done")
                a.ctx.progress(text, redraw: a.ctx.isTerminal, done: done || !a.ctx.isTerminal)
                // A finished line (imp's line per level) belongs in the handout's cell.
                if done { a.ctx.display.tap?(text) }
                return .null
            },
            Builtin("time", doc: "Seconds since an arbitrary start, for measuring: t = time(); ...; print(time() - t).") { _ in
                .number(Double(DispatchTime.now().uptimeNanoseconds) / 1e9)
            },
            Builtin("fmt", [
                .number("x", "the number"),
                .string("format", "%.4f", "\"%\" or a printf format of one number (f, g or e)"),
            ], doc: """
            A number as text with a printf format: fmt(0.87512, "%.2f") is "0.88"; "%"
            gives a percentage, fmt(0.8, "%") is "80.00%".
            """) { a in
                let x = try a.number("x"), f = try a.string("format")
                if f == "%" { return .string(formatPercent(x)) }
                guard isNumberFormat(f) else {
                    throw a.fail("format", "must be \"%\" or a number format like \"%.4f\" or \"%8.2e\", got \(quoteString(f))")
                }
                return .string(String(format: f, x))
            },
        ]),
        BuiltinGroup("Values", [
            Builtin("missing", [.string("name", "a parameter of the function that is running")], doc: """
            Inside a function: true when the caller left the argument `name` out, so it has
            its default (R's missing()). Library functions use it to let a preset fill the
            arguments a caller did not give:
              fn f(rate=0.2, preset=nil) ... if missing("rate") and preset != nil ...
            """) { a in
                .bool(try a.ctx.leftOut(try a.string("name")))
            },
            Builtin("derive_seed", [.int("base", min: 0, "a seed"), .int("index", min: 0, "which derived seed")], doc: """
            A seed derived from a seed and an index (splitmix64 of both): reproducible,
            different for every index, and unrelated to nearby seeds. Use it for the draws
            of the i-th replicate or level of an experiment: derive_seed(net.seed, level).
            """) { a in
                .int(Int(RNG.mix(UInt64(try a.int("base")), UInt64(try a.int("index")))))
            },
            Builtin("type", [.any("x", what: "any value", "the value")],
                    doc: "The name of a value's type: \"number\", \"string\", \"list\", \"record\", \"net\", ...") { a in
                .string(try a.value("x").typeName)
            },
            Builtin("str", [.any("x", what: "any value", "the value")], doc: "A value as the string print would show.") { a in
                .string(try a.value("x").checkedDisplay())
            },
            Builtin("num", [.any("x", what: "string or number", "the text to read")],
                    doc: "A string read as a number: num(\"0.5\") is 0.5.") { a in
                let v = try a.value("x")
                if case .number = v { return v }
                guard case .string(let s) = v else { throw a.fail("x", "must be a string or a number, got \(describeBrief(v))") }
                guard let x = Double(s.trimmingCharacters(in: .whitespaces)) else { throw a.fail("x", "is not a number: \(quoteString(s))") }
                return .number(x)
            },
        ]),
    ]
}

/// Checks and help: what a script uses to stop, and what a user reads.
func checkBuiltins() -> [BuiltinGroup] {
    [
        BuiltinGroup("Checks", [
            Builtin("assert", [
                .any("cond", what: "any value", "the condition (false, nil, 0, \"\" and empty lists fail)"),
                .string("message", "assertion failed", "the error's message"),
            ], doc: "Stops with an error carrying the message when cond is false.") { a in
                if !(try a.value("cond")).isTruthy { throw a.fail(try a.string("message")) }
                return .null
            },
            Builtin("error", [.string("message", "what went wrong")], doc: "Stops with an error carrying the message.") { a in
                throw TicketsError(.runtime, try a.string("message"), at: a.callLoc)
            },
            Builtin("keep_partial", [
                .any("value", what: "table or list", "the result so far (a table that grows row by row)"),
                .string("noun", "what one row is, for the message (\"level\")"),
            ], doc: """
            For library functions: if Ctrl-C stops the running function, its caller keeps
            `value` (the rows finished so far) instead of losing it. The interrupted
            statement binds it (t = imp(...) binds t, marked partial) and the error says
            which name holds it:
              t = table(["level", "acc"]); keep_partial(t, "level")
            """) { a in
                try a.ctx.keepOnInterrupt(try a.value("value"), noun: try a.string("noun"))
                return .null
            },
            Builtin("check_args", [
                .any("f", what: "builtin", "the builtin whose arguments to check"),
                .record("args", optional: false, "the arguments by name, as the call would pass them"),
                .optionalString("caller", "the name errors are reported under (default: the builtin's)"),
            ], doc: """
            Checks arguments against a builtin's declarations without calling it: each
            argument's type and range, and the builtin's checks across arguments (a layer
            named in rates= that the net lacks). Library functions call it before long work,
            so a bad argument fails at once rather than after an hour of training:
              check_args(prune, {net: net, rate: rate, rates: rates}, caller="imp")
            Returns nil; a bad argument is an error naming the builtin (or the caller).
            """) { a in
                guard case .builtin(var target) = try a.value("f") else {
                    throw a.fail("f", "must be a builtin, got \(describeBrief(try a.value("f")))")
                }
                if let caller = try a.optionalString("caller") {
                    target = Builtin(caller, target.params, variadic: target.variadic, doc: target.doc,
                                     validate: target.validate, fn: target.fn)
                }
                let fields = try a.record("args")?.fields ?? []
                _ = try Args(builtin: target, ctx: a.ctx, callLoc: a.callLoc, positional: [],
                             keywords: fields.map { ($0.0, $0.1, a.locs["args"] ?? a.callLoc) })
                return .null
            },
            Builtin("help", [.any("x", what: "function or name", default: .null, "a function, or its name as a string")],
                    doc: "Without an argument, an overview of the builtins and library functions; help(name) or help(\"name\") tells what one does.") { a in
                a.ctx.write(try helpText(a))
                return .null
            },
        ]),
    ]
}
