import Testing
@testable import TicketsEngine

/// A fingerprint names exact state: equal nets give equal fingerprints, and a change
/// of one bit of one weight, of the mask or of the step gives another.
struct FingerprintTests {
    @Test func equalStateEqualFingerprints() throws {
        let a = try Network.mlp([5, 4, 3], seed: 7), b = try Network.mlp([5, 4, 3], seed: 7)
        let fa = Fingerprint.of(a)
        #expect(fa.count == 16 && fa.allSatisfy(\.isHexDigit))
        #expect(fa == Fingerprint.of(b))
        #expect(fa != Fingerprint.of(try Network.mlp([5, 4, 3], seed: 8)))
        // Without masks, a net and its snapshot hash the same entries.
        #expect(Fingerprint.of(Snapshot(of: a)) == fa)
    }

    @Test func oneBitOfOneWeightChangesIt() throws {
        let net = try Network.mlp([5, 4, 3], seed: 7)
        let before = Fingerprint.of(net)
        for bit: UInt32 in [0, 31] {
            let p = net.namedParameters[2].parameter
            p.value.data[3] = Float(bitPattern: p.value.data[3].bitPattern ^ (1 << bit))
            #expect(Fingerprint.of(net) != before)
            p.value.data[3] = Float(bitPattern: p.value.data[3].bitPattern ^ (1 << bit))
            #expect(Fingerprint.of(net) == before)
        }
    }

    @Test func theMaskAndTheStepCount() throws {
        let net = try Network.mlp([5, 4, 3], seed: 7)
        let plain = Fingerprint.of(net)
        net.step += 1
        let stepped = Fingerprint.of(net)
        #expect(stepped != plain)
        net.step -= 1
        // An all-ones mask changes no value, but the net now carries a mask.
        let w = net.prunable[0].weight
        w.mask = Tensor(shape: w.shape, data: [Float](repeating: 1, count: w.value.count))
        #expect(Fingerprint.of(net) != plain)
    }
}
