/// A member of an engine object as the language sees it (`net.layers`): its name, one
/// line of documentation and how to read it, declared together in one table per type.
public struct Member<Owner>: Sendable {
    public let name: String
    public let doc: String
    public let get: @Sendable (Owner) -> Value
    public init(_ name: String, _ doc: String, _ get: @escaping @Sendable (Owner) -> Value) {
        self.name = name; self.doc = doc; self.get = get
    }
}

/// An engine object whose members come from one declared table, so the names error
/// messages list and the values `x.name` returns cannot drift apart.
public protocol DeclaredMembers: TicketsObject {
    static var members: [Member<Self>] { get }
    /// Members beyond the table: a mask's density per layer (`m.fc1`).
    var extraMemberNames: [String] { get }
    func extraMember(_ name: String) -> Value?
}

extension DeclaredMembers {
    public var extraMemberNames: [String] { [] }
    public func extraMember(_ name: String) -> Value? { nil }
    public var memberNames: [String] { Self.members.map(\.name) + extraMemberNames }
    public func member(_ name: String) -> Value? {
        if let m = Self.members.first(where: { $0.name == name }) { return m.get(self) }
        return extraMember(name)
    }
    /// "layers, sizes, ..." with their docs, for help.
    static var memberDocs: [(String, String)] { members.map { ($0.name, $0.doc) } }
}
