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
