import Foundation
import TicketsEngine

/// The language's own builtins: printing, help, and small list, string and math tools.
func coreBuiltins() -> [Builtin] {
    ioBuiltins() + collectionBuiltins() + mathBuiltins()
}

extension Args {
    func list(_ name: String) throws -> ListRef {
        let v = try value(name)
        guard case .list(let l) = v else { throw fail(name, "must be a list, got \(describeBrief(v))") }
        return l
    }
    /// The items of a list or of a range (a range of at most 10,000,000 numbers).
    func items(_ name: String) throws -> [Value] {
        let v = try value(name)
        switch v {
        case .list(let l): return l.items
        case .range(let a, let b):
            let n = b >= a ? b - a + 1 : 0
            guard n <= 10_000_000 else { throw fail(name, "is a range of \(n) numbers; the limit here is 10,000,000") }
            return (0..<n).map { .int(a + $0) }
        default: throw fail(name, "must be a list or a range, got \(describeBrief(v))")
        }
    }

    /// The numbers of a list (or of a range).
    func numbers(_ name: String) throws -> [Double] {
        try items(name).map {
            guard case .number(let x) = $0 else { throw fail(name, "must hold only numbers, got \(describeBrief($0))") }
            return x
        }
    }
}

func ioBuiltins() -> [Builtin] {
    [
        Builtin("print", params: [], variadic: true, signature: "print(values...)",
                doc: "Prints the values, separated by spaces, and a newline. Strings print without quotes.") { a in
            a.ctx.write(a.positional.map(\.display).joined(separator: " "))
            return .null
        },
        Builtin("help", params: ["x"], signature: "help(x)",
                doc: "Without an argument, an overview of the builtins and library functions; help(name) or help(\"name\") tells what one does.") { a in
            a.ctx.write(try helpText(a))
            return .null
        },
        Builtin("progress", params: ["text", "done"], signature: "progress(text, done=false)",
                doc: "Shows a status line on standard error (so it never mixes into results): on a terminal redrawn in place until done=true, elsewhere (a log, a pipe) one plain line per call.") { a in
            let text = try a.string("text"), done = try a.bool("done", default: false)
            a.ctx.progress(text, redraw: a.ctx.isTerminal, done: done || !a.ctx.isTerminal)
            return .null
        },
        Builtin("time", params: [], doc: "Seconds since an arbitrary start, for measuring: t = time(); ...; print(time() - t).") { _ in
            .number(Double(DispatchTime.now().uptimeNanoseconds) / 1e9)
        },
        Builtin("assert", params: ["cond", "message"], signature: "assert(cond, message=\"assertion failed\")",
                doc: "Stops with an error carrying the message when cond is false.") { a in
            if !(try a.value("cond")).isTruthy { throw a.fail(try a.string("message", default: "assertion failed")) }
            return .null
        },
        Builtin("error", params: ["message"], doc: "Stops with an error carrying the message.") { a in
            throw TicketsError(.runtime, try a.string("message"), at: a.callLoc)
        },
        Builtin("type", params: ["x"], doc: "The name of a value's type: \"number\", \"string\", \"list\", \"record\", \"net\", ...") { a in
            .string(try a.value("x").typeName)
        },
        Builtin("str", params: ["x"], doc: "A value as the string print would show.") { a in
            .string(try a.value("x").display)
        },
        Builtin("num", params: ["x"], doc: "A string read as a number: num(\"0.5\") is 0.5.") { a in
            let v = try a.value("x")
            if case .number = v { return v }
            guard case .string(let s) = v else { throw a.fail("x", "must be a string or a number, got \(describeBrief(v))") }
            guard let x = Double(s.trimmingCharacters(in: .whitespaces)) else { throw a.fail("x", "is not a number: \(quoteString(s))") }
            return .number(x)
        },
        Builtin("fmt", params: ["x", "format"], signature: "fmt(x, format=\"%.4f\")",
                doc: "A number as text with a printf format: fmt(0.87512, \"%.2f\") is \"0.88\"; \"%\" gives a percentage, fmt(0.8, \"%\") is \"80.00%\".") { a in
            let x = try a.number("x")
            let f = try a.string("format", default: "%.4f")
            if f == "%" { return .string(formatPercent(x)) }
            guard isNumberFormat(f) else {
                throw a.fail("format", "must be \"%\" or a number format like \"%.4f\" or \"%8.2e\", got \(quoteString(f))")
            }
            return .string(String(format: f, x))
        },
    ]
}

func collectionBuiltins() -> [Builtin] {
    [
        Builtin("len", params: ["x"], doc: "The length of a list, string, record, range or table.") { a in
            let v = try a.value("x")
            switch v {
            case .list(let l): return .int(l.items.count)
            case .string(let s): return .int(s.count)
            case .record(let r): return .int(r.fields.count)
            case .range(let x, let y): return .int(max(0, y - x + 1))
            case .object(let o): if let n = o.length { return .int(n) }
            default: break
            }
            throw a.fail("x", "has no length: \(describeBrief(v))")
        },
        Builtin("push", params: ["list", "value"], doc: "Appends a value to the end of a list (in place) and returns the list.") { a in
            let l = try a.list("list"), v = try a.value("value")
            guard v.nesting < maxValueNesting else {
                throw a.fail("value", "would nest the list more than \(maxValueNesting) deep")
            }
            l.items.append(v)
            l.depth = max(l.depth, v.nesting + 1)
            return .list(l)
        },
        Builtin("pop", params: ["list"], doc: "Removes and returns the last item of a list.") { a in
            let l = try a.list("list")
            guard let x = l.items.popLast() else { throw a.fail("list", "is empty") }
            return x
        },
        Builtin("keys", params: ["record"], doc: "The field names of a record, in order.") { a in
            let v = try a.value("record")
            guard case .record(let r) = v else { throw a.fail("record", "must be a record, got \(describeBrief(v))") }
            return .list(r.keys.map { .string($0) })
        },
        Builtin("has", params: ["record", "key"], doc: "Whether a record has a field.") { a in
            let v = try a.value("record")
            guard case .record(let r) = v else { throw a.fail("record", "must be a record, got \(describeBrief(v))") }
            return .bool(r[try a.string("key")] != nil)
        },
        Builtin("range", params: ["from", "to", "step"], signature: "range(from, to, step=1)",
                doc: "A list of numbers from `from` up to and including `to`, by step: range(0, 1, 0.25) is [0, 0.25, 0.5, 0.75, 1].") { a in
            let lo = try a.number("from"), hi = try a.number("to"), step = try a.number("step", default: 1)
            guard step != 0 else { throw a.fail("step", "must not be 0") }
            let count = ((hi - lo) / step + 1e-9).rounded(.down) + 1
            guard count <= 10_000_000 else { throw a.fail("would make \(formatNumber(count)) numbers; the limit is 10,000,000") }
            let n = count.isNaN ? 0 : Int(max(count, 0))
            return .list(n <= 0 ? [] : (0..<n).map { .number(lo + Double($0) * step) })
        },
        Builtin("sort", params: ["list"], doc: "A sorted copy of a list of numbers (nan last) or of strings.") { a in
            let items = try a.items("list")
            if let xs = try? a.numbers("list") {
                return .list((xs.filter { !$0.isNaN }.sorted() + xs.filter(\.isNaN)).map { .number($0) })
            }
            let ss = try items.map { v -> String in
                guard case .string(let s) = v else { throw a.fail("list", "must hold only numbers or only strings") }
                return s
            }
            return .list(ss.sorted().map { .string($0) })
        },
        Builtin("reverse", params: ["list"], doc: "A reversed copy of a list.") { a in
            .list(Array(try a.items("list").reversed()))
        },
        Builtin("join", params: ["list", "sep"], signature: "join(list, sep=\" \")",
                doc: "The items of a list as text, joined by sep.") { a in
            .string(try a.items("list").map(\.display).joined(separator: try a.string("sep", default: " ")))
        },
    ]
}

func mathBuiltins() -> [Builtin] {
    func unary(_ name: String, _ doc: String, _ f: @escaping (Double) -> Double) -> Builtin {
        Builtin(name, params: ["x"], doc: doc) { a in .number(f(try a.number("x"))) }
    }
    func extreme(_ name: String, _ pick: @escaping (Double, Double) -> Double) -> Builtin {
        Builtin(name, params: ["values"], variadic: true, signature: "\(name)(a, b, ...) or \(name)(list)",
                doc: "The \(name == "min" ? "smallest" : "largest") of its arguments, or of a list.") { a in
            var items = a.positional
            if items.count == 1 {
                switch items[0] {
                case .list(let l): items = l.items
                case .range(let lo, let hi) where lo <= hi: return .int(name == "min" ? lo : hi)
                default: break
                }
            }
            let xs = try items.map { v -> Double in
                guard case .number(let x) = v else { throw a.fail("takes numbers, got \(describeBrief(v))") }
                return x
            }
            guard let first = xs.first else { throw a.fail("needs at least one number") }
            if xs.contains(where: \.isNaN) { return .number(.nan) }
            return .number(xs.dropFirst().reduce(first, pick))
        }
    }
    return [
        unary("abs", "The absolute value of a number: abs(-2) is 2.", { Swift.abs($0) }),
        unary("sqrt", "The square root (nan for negative numbers).", { $0.squareRoot() }),
        unary("exp", "e (2.71828...) to the power x: exp(0) is 1.", { Foundation.exp($0) }),
        unary("log", "The natural logarithm (-inf at 0, nan below).", { Foundation.log($0) }),
        unary("floor", "The largest whole number ≤ x.", { $0.rounded(.down) }),
        unary("ceil", "The smallest whole number ≥ x.", { $0.rounded(.up) }),
        Builtin("round", params: ["x", "digits"], signature: "round(x, digits=0)",
                doc: "x rounded to a number of decimal digits (halves away from zero).") { a in
            let x = try a.number("x"), d = try a.int("digits", default: 0)
            guard d >= 0, d <= 15 else { throw a.fail("digits", "must be between 0 and 15, got \(d)") }
            let m = Foundation.pow(10.0, Double(d))
            let r = (x * m).rounded() / m
            return .number(r.isFinite ? r : x)   // x · 10^d overflows only where x has no fraction left
        },
        extreme("min", Swift.min),
        extreme("max", Swift.max),
        Builtin("sum", params: ["list"], doc: "The sum of a list (or a range) of numbers.") { a in
            .number(try a.numbers("list").reduce(0, +))
        },
        Builtin("mean", params: ["list"], doc: "The mean of a list (or a range) of numbers; nil for an empty list.") { a in
            let xs = try a.numbers("list")
            return xs.isEmpty ? .null : .number(xs.reduce(0, +) / Double(xs.count))
        },
    ]
}
