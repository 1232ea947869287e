import TicketsEngine

/// A snapshot seen from the language.
final class SnapshotObject: DeclaredMembers {
    let snapshot: Snapshot
    init(_ s: Snapshot) { snapshot = s }
    var typeName: String { "snapshot" }
    func describe() -> String {
        "snapshot of \(snapshot.layerNames.joined(separator: ", ")) at step \(snapshot.step)"
    }
    static let members: [Member<SnapshotObject>] = [
        Member("step", "the training step it was taken at") { .int($0.snapshot.step) },
        Member("layers", "the prunable layers of the net it was taken of") { .list($0.snapshot.layerNames.map { .string($0) }) },
        Member("fingerprint", "16 hex digits naming its exact values and step") { .string(Fingerprint.of($0.snapshot)) },
    ]
}
