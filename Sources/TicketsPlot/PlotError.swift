/// A figure that cannot be drawn, with one sentence saying why.
///
/// Thrown by `Figure.validate()` and by the renderers (which validate first). The
/// message names the culprit: the series, the axis, the offending value.
///
///     throw PlotError("the x axis is logarithmic but series 'ticket' has x = 0; a log axis needs values > 0")
public struct PlotError: Error, Equatable, CustomStringConvertible, Sendable {
    /// One clear sentence, without a trailing period.
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
