import Testing
@testable import TicketsEngine

/// Nets, masks and snapshots as named tensors, PyTorch's names, and every way a file
/// can disagree with the net it is loaded into.
struct CheckpointTests {
    static func prunedNet() throws -> Network {
        let net = try Network.mlp([6, 5, 3], seed: 2)
        try Pruning.magnitude(net, rate: 0.4).apply(to: net)
        net.step = 17
        return net
    }

    @Test func namesFollowTheEquivalentSequential() throws {
        let net = try Self.prunedNet()
        #expect(net.fileKey("fc1.weight") == "0.weight" && net.fileKey("fc2.bias") == "2.bias")
        let a = try Checkpoint.archive(of: net)
        #expect(a.names == ["0.weight_orig", "0.weight_mask", "0.bias", "2.weight_orig", "2.weight_mask", "2.bias"])
        #expect(a.metadata["tickets.kind"] == "net" && a.metadata["tickets.step"] == "17")
        let m = try Checkpoint.archive(of: Mask(of: net))
        #expect(m.names == ["0.weight_mask", "2.weight_mask"])
    }

    @Test func roundTripsThroughBothFormats() throws {
        let net = try Self.prunedNet()
        for bytes in [try Safetensors.encode(try Checkpoint.archive(of: net)), try NPZ.encode(try Checkpoint.archive(of: net))] {
            let archive = bytes.starts(with: [0x50, 0x4B]) ? try NPZ.decode(bytes, name: "n.npz") : try Safetensors.decode(bytes, name: "n.st")
            guard case .net(let back) = try Checkpoint.load(archive, name: "n") else { Issue.record("not a net"); continue }
            for ((k, p), (_, q)) in zip(net.namedParameters, back.namedParameters) {
                #expect(p.value.data == q.value.data && p.mask?.data == q.mask?.data, "\(k)")
            }
        }
    }

    /// A loaded net is built without drawing weights (they all come from the file) but
    /// keeps its initializer and seed: reinit on it draws what reinit on the saved net draws.
    @Test func aLoadedNetRedrawsAsTheSavedOne() throws {
        let net = try Network.sequential(inputShape: [1, 6, 6], [.conv2d(channels: 2), .maxPool(kernel: 2), .flatten,
                                                                 .linear(outputs: 3)],
                                          initializer: .kaiming, seed: 9)
        guard case .net(let back) = try Checkpoint.load(try Checkpoint.archive(of: net), name: "n") else {
            Issue.record("not a net"); return
        }
        #expect(back.initializer == .kaiming && back.seed == 9)
        for ((k, p), (_, q)) in zip(net.namedParameters, back.namedParameters) { #expect(p.value.data == q.value.data, "\(k)") }
        net.redraw(); back.redraw()
        for ((k, p), (_, q)) in zip(net.namedParameters, back.namedParameters) { #expect(p.value.data == q.value.data, "\(k)") }
    }

    /// A PyTorch pruned module keeps weight_orig unmasked; the net computes with orig ⊙ mask.
    @Test func torchPrunedWeightsAreMaskedOnLoad() throws {
        var a = TensorArchive()
        try a.append("0.weight_orig", Tensor(shape: [2, 2], data: [1, 2, 3, 4]))
        try a.append("0.weight_mask", Tensor(shape: [2, 2], data: [1, 0, 0, 1]), as: .bool)
        try a.append("0.bias", Tensor(shape: [2], data: [0.5, -0.5]))
        guard case .net(let net) = try Checkpoint.load(a, name: "t") else { Issue.record("not a net"); return }
        #expect(net.architecture == "mlp 2-2")
        #expect(net.linears[0].weight.value.data == [1, 0, 0, 4] && net.linears[0].weight.mask?.data == [1, 0, 0, 1])
    }

    @Test func disagreementsAreNamed() throws {
        let net = try Network.mlp([4, 3, 2], seed: 0)
        func message(_ build: (inout TensorArchive) throws -> Void) -> String {
            var a = try! Checkpoint.archive(of: net)
            do { try build(&a); _ = try Checkpoint.load(a, name: "f", like: net); return "no error" } catch { return "\(error)" }
        }
        let good = try Checkpoint.archive(of: net)
        func rebuilt(_ drop: String?, _ add: [(String, Tensor)] = []) throws -> TensorArchive {
            var out = TensorArchive(metadata: good.metadata)
            for e in good.entries where e.name != drop { try out.append(e.name, e.tensor) }
            for (k, t) in add { try out.append(k, t) }
            return out
        }
        #expect(message { $0 = try rebuilt("2.bias") }.contains("the file has no 2.bias (the net's fc2.bias)"))
        #expect(message { $0 = try rebuilt(nil, [("9.weight", Tensor(zeros: [1]))]) }.contains("holds 9.weight, which the net"))
        #expect(message { $0 = try rebuilt("0.bias", [("0.bias", Tensor(zeros: [4]))]) }.contains("0.bias is 4 in the file but the net's fc1.bias is 3"))
        #expect(message { $0 = try rebuilt(nil, [("0.weight_mask", Tensor(filled: 0.5, shape: [3, 4]))]) }.contains("a mask holds only 0 (pruned) and 1 (kept)"))
        var bad = good
        bad.metadata["tickets.kind"] = "model"
        #expect(throws: EngineError.self) { try Checkpoint.load(bad, name: "f") }
        // A file with no metadata and shapes that are no MLP's needs like=.
        var odd = TensorArchive()
        try odd.append("conv.weight", Tensor(zeros: [2, 1, 3, 3]))
        #expect(throws: EngineError.self) { try Checkpoint.load(odd, name: "f") }
    }
}
