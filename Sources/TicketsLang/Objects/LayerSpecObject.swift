import TicketsEngine

/// One entry of a `sequential` net's layer list (`conv2d(64)`, `maxpool(2)`), seen
/// from the language: it prints as it is written.
final class LayerSpecObject: DeclaredMembers {
    let spec: LayerSpec
    init(_ spec: LayerSpec) { self.spec = spec }
    var typeName: String { "layer" }
    func describe() -> String { spec.text }
    static let members: [Member<LayerSpecObject>] = []
}
