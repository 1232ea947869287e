import TicketsEngine

/// An object with members that can be assigned: `net.fc1.weight = t`.
protocol SettableMembers: TicketsObject {
    /// Sets member `name`; throws a sentence when it cannot be set to `value`.
    func setMember(_ name: String, _ value: Value) throws
}

/// The tensors of a net under one layer path, seen as members: `net.fc1` is a view,
/// `net.fc1.weight` a tensor (a copy of the values), and `net.fc1.weight = t` writes
/// them (the shape must match; the mask keeps its pruned weights at 0).
final class ParamView: SettableMembers {
    let net: Network
    /// "fc1", "block1.conv1"; "" for the whole net.
    let prefix: String
    init(_ net: Network, prefix: String) { self.net = net; self.prefix = prefix }
    var typeName: String { "layer" }

    private func key(_ name: String) -> String { prefix.isEmpty ? name : prefix + "." + name }

    /// The next path components under the prefix, in the net's order.
    var memberNames: [String] {
        var out: [String] = []
        let head = prefix.isEmpty ? "" : prefix + "."
        for (k, p) in net.namedParameters where p.trainable && k.hasPrefix(head) {
            let next = String(k.dropFirst(head.count).split(separator: ".").first ?? "")
            if !out.contains(next) { out.append(next) }
        }
        return out
    }

    func describe() -> String {
        let head = prefix + "."
        let parts = net.namedParameters.filter { $0.parameter.trainable && $0.key.hasPrefix(head) }
            .map { "\($0.key.dropFirst(head.count)) \(Broadcast.describe($0.parameter.shape))" }
        return "layer \(prefix)  " + parts.joined(separator: " · ")
    }

    func member(_ name: String) -> Value? {
        let k = key(name)
        if let p = net.parameter(k), p.trainable { return .object(TensorObject(k, Tensor(shape: p.shape, data: p.value.data))) }
        guard memberNames.contains(name) else { return nil }
        return .object(ParamView(net, prefix: k))
    }

    func setMember(_ name: String, _ value: Value) throws {
        let k = key(name)
        guard let p = net.parameter(k), p.trainable else {
            throw EngineError("the net has no parameter \(k); \(prefix.isEmpty ? "its layers are" : "\(prefix) has") \(memberNames.joined(separator: ", "))")
        }
        let t: Tensor
        switch value {
        case .object(let o as TensorObject): t = o.tensor
        case .number(let x): t = Tensor(filled: Float(x), shape: p.shape)
        default: throw EngineError("\(k) takes a tensor of shape \(Broadcast.describe(p.shape)), got \(describeBrief(value))")
        }
        guard t.shape == p.shape else {
            throw EngineError("\(k) is \(Broadcast.describe(p.shape)); a tensor of shape \(Broadcast.describe(t.shape)) cannot be written into it")
        }
        p.value.data = t.data
        p.applyMask()
    }
}
