/// Writing `JSONValue`s back as text: compact on one line (a JSON-lines record),
/// indented (a manifest people read), and canonical (object keys sorted at every
/// depth), which is what a run's settings are hashed in, so that {lr: 0.1, seed: 0}
/// and {seed: 0, lr: 0.1} name the same run.
extension JSONValue {
    /// The value as JSON text. `sortedKeys` sorts every object's keys (by their UTF-8
    /// bytes) and writes every number in one form (1.0 as 1); `indent` > 0 puts each
    /// member on its own line.
    public func text(sortedKeys: Bool = false, indent: Int = 0) -> String {
        var out = ""
        write(into: &out, sortedKeys: sortedKeys, indent: indent, level: 0)
        return out
    }

    /// The canonical text: keys sorted, no spaces. Equal settings give equal text.
    public var canonicalText: String { text(sortedKeys: true) }

    private func write(into out: inout String, sortedKeys: Bool, indent: Int, level: Int) {
        let pad = indent > 0 ? "\n" + String(repeating: " ", count: indent * (level + 1)) : ""
        let closePad = indent > 0 ? "\n" + String(repeating: " ", count: indent * level) : ""
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let text):
            // Canonical text writes a number one way however it was written (1.0 → 1).
            if sortedKeys, let x = Double(text), case .number(let normal)? = JSONValue.number(x) { out += normal } else { out += text }
        case .string(let s): out += jsonQuoted(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            // A list of numbers, strings and the like stays on one line: [0.01, 0.1].
            if indent > 0, items.allSatisfy({ if case .array = $0 { return false }; if case .object = $0 { return false }; return true }) {
                out += "[" + items.map { $0.text(sortedKeys: sortedKeys) }.joined(separator: ", ") + "]"
                return
            }
            out += "["
            for (i, item) in items.enumerated() {
                out += (i == 0 ? "" : ",") + pad
                item.write(into: &out, sortedKeys: sortedKeys, indent: indent, level: level + 1)
            }
            out += closePad + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            let ordered = sortedKeys ? members.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) } : members
            out += "{"
            for (i, m) in ordered.enumerated() {
                out += (i == 0 ? "" : ",") + pad + jsonQuoted(m.key) + (indent > 0 ? ": " : ":")
                m.value.write(into: &out, sortedKeys: sortedKeys, indent: indent, level: level + 1)
            }
            out += closePad + "}"
        }
    }

    /// A number as JSON writes it: whole numbers without a fraction ("3", so 3 and 3.0
    /// are one setting), others in the shortest form that reads back exactly ("0.1").
    /// nil for NaN and infinities, which JSON lacks.
    public static func number(_ x: Double) -> JSONValue? {
        guard x.isFinite else { return nil }
        if x == x.rounded(), abs(x) < 1e15 { return .number(String(Int64(x))) }
        return .number("\(x)")
    }

    /// The member `key` of an object (nil when absent or not an object).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The text of a string value.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The value of a number.
    public var doubleValue: Double? {
        if case .number(let t) = self { return Double(t) }
        return nil
    }
}

extension JSONValue: Equatable {
    /// Equal as data: numbers by value, objects by their members whatever their order.
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        a.canonicalText == b.canonicalText
    }
}
