import TicketsEngine

extension Interpreter {
    /// The operators on tensors, records of them and masks: `+ - * / ^` and comparisons
    /// value by value, `&` `|` on booleans and masks, `-` between masks (kept in the
    /// first, not in the second). nil when the operator has no meaning here (`%`).
    func elementwise(_ op: String, _ a: Value, _ b: Value, at loc: SourceLoc) throws -> Value? {
        if case .object(let m as MaskObject) = a, case .object(let r as MaskObject) = b {
            let mop: BinaryOp
            switch op {
            case "&": mop = .and
            case "|": mop = .or
            case "-": mop = .andNot
            default: return nil
            }
            do { return .object(MaskObject(try m.mask.combined(mop, r.mask))) } catch let e as EngineError {
                throw TicketsError(.runtime, "'\(op)': \(e.message)", at: loc)
            }
        }
        let table: [String: BinaryOp] = ["+": .add, "-": .subtract, "*": .multiply, "/": .divide, "^": .power,
                                         "<": .less, "<=": .lessEqual, ">": .greater, ">=": .greaterEqual,
                                         "&": .and, "|": .or]
        guard let bop = table[op] else { return nil }
        if (bop == .and || bop == .or), !(TensorValues.operand(a) != nil || TensorValues.takes(a)) || !(TensorValues.operand(b) != nil || TensorValues.takes(b)) {
            throw TicketsError(.runtime, "'\(op)' combines booleans, boolean tensors and masks value by value, got \(describeBrief(a)) and \(describeBrief(b)) (and/or combine truth values)", at: loc)
        }
        do { return try TensorValues.binary(bop, a, b) } catch let e as EngineError {
            throw TicketsError(.runtime, "'\(op)': \(e.message)", at: loc)
        }
    }

    /// `-x` and `~x` on tensors, records of them and masks (`~m` keeps what m prunes).
    func elementwiseUnary(_ op: String, _ v: Value, at loc: SourceLoc) throws -> Value {
        if op == "~", case .object(let m as MaskObject) = v { return .object(MaskObject(m.mask.complement())) }
        let verb = op == "-" ? "negate" : "apply '~' to"
        guard TensorValues.takes(v) || (op == "~" && TensorValues.operand(v) != nil) else {
            throw TicketsError(.runtime, "cannot \(verb) \(describeBrief(v))", at: loc)
        }
        do { return try TensorValues.unary(op == "-" ? .negate : .not, v) } catch let e as EngineError {
            throw TicketsError(.runtime, "'\(op)': \(e.message)", at: loc)
        }
    }
}

extension Value {
    var isMask: Bool { if case .object(let o) = self { return o is MaskObject } else { return false } }
    var isString: Bool { if case .string = self { return true } else { return false } }
}

extension Interpreter {
    /// The keyword arguments `...record` gives a call: every field, except those the
    /// call gives itself (by keyword, or positionally for the callee's first
    /// parameters) and those an earlier spread gave. Explicit arguments win.
    func spreadKeywords(_ spreads: [(RecordRef, SourceLoc)], into f: Value, positional: Int,
                        given: [String]) -> [(String, Value, SourceLoc)] {
        var taken = Set(given)
        switch f {
        case .builtin(let b) where !b.variadic: taken.formUnion(b.params.prefix(positional).map(\.name))
        case .function(let c): taken.formUnion(c.decl.params.prefix(positional).map(\.name))
        default: break
        }
        var out: [(String, Value, SourceLoc)] = []
        for (r, loc) in spreads {
            for (k, v) in r.fields where !taken.contains(k) {
                taken.insert(k)
                out.append((k, v, loc))
            }
        }
        return out
    }
}
