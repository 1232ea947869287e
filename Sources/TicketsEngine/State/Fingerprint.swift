/// A short name for exact state: 16 hex digits of a 64-bit hash over a net's (or a
/// snapshot's) keys, shapes, values and masks, bit for bit, and its training step. Two
/// nets with the same fingerprint hold the same numbers; a run folder records a net's
/// fingerprint among its settings, so resuming a run with another net is refused.
/// (Not cryptographic: it guards against mistakes, not against forgery.)
public enum Fingerprint {
    /// A net: every parameter (values, then mask when it has one) and the step.
    public static func of(_ net: Network) -> String {
        var h = Hasher64()
        for (key, p) in net.namedParameters {
            h.add(key)
            h.add(p.value)
            if let m = p.mask { h.add("mask"); h.add(m) }
        }
        h.add(UInt64(net.step))
        return h.hex
    }

    /// A snapshot: its values and step (a snapshot keeps no mask).
    public static func of(_ snapshot: Snapshot) -> String {
        var h = Hasher64()
        for (key, t) in snapshot.entries {
            h.add(key)
            h.add(t)
        }
        h.add(UInt64(snapshot.step))
        return h.hex
    }
}

/// FNV-1a's multiply over 64-bit words, each step folding the high half back down so a
/// change in any bit reaches every later bit, then splitmix64's avalanche; fast enough
/// for a Conv-2's 4.3 M weights in a few milliseconds.
struct Hasher64 {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ word: UInt64) {
        state = Self.step(state, word)
    }

    @inline(__always) static func step(_ s: UInt64, _ word: UInt64) -> UInt64 {
        let m = (s ^ word) &* 0x0000_0100_0000_01b3
        return m ^ (m >> 32)
    }

    mutating func add(_ text: String) {
        add(UInt64(text.utf8.count))
        for b in text.utf8 { add(UInt64(b)) }
    }

    mutating func add(_ t: Tensor) {
        add(UInt64(t.shape.count))
        for d in t.shape { add(UInt64(d)) }
        var s = state
        t.data.withUnsafeBufferPointer { p in
            var i = 0
            while i + 1 < p.count {
                s = Self.step(s, UInt64(p[i].bitPattern) | UInt64(p[i + 1].bitPattern) << 32)
                i += 2
            }
            if i < p.count { s = Self.step(s, UInt64(p[i].bitPattern)) }
        }
        state = s
    }

    var hex: String {
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        z ^= z >> 31
        let digits = String(z, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
