/// The one error type of the engine: a sentence a user can act on. `isIO` marks
/// missing, unreadable or corrupt files (the command line exits 74 for those).
public struct EngineError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public var isIO: Bool
    public init(_ message: String, io: Bool = false) {
        self.message = message; self.isIO = io
    }
    public static func io(_ message: String) -> EngineError { EngineError(message, io: true) }
    public var description: String { message }
}
