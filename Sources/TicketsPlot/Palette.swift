/// A colour as 8-bit red, green and blue.
struct RGB: Equatable, Sendable {
    let r: Int, g: Int, b: Int

    init(_ r: Int, _ g: Int, _ b: Int) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// "#0072b2", as SVG writes colours.
    var hex: String {
        "#" + [r, g, b].map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    /// Relative brightness 0 (black) ... 1 (white), to pick a readable text colour on it.
    var luminance: Double {
        (0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)) / 255
    }

    /// The nearest colour of the xterm 256-colour cube (16...231), which nearly every
    /// terminal shows; true colour is not universal (macOS Terminal lacks it).
    var ansi256: Int {
        let levels = [0, 95, 135, 175, 215, 255]
        func nearest(_ c: Int) -> Int {
            levels.indices.min { abs(levels[$0] - c) < abs(levels[$1] - c) } ?? 0
        }
        return 16 + 36 * nearest(r) + 6 * nearest(g) + nearest(b)
    }
}

/// The look of each series, and the colour and shade ramps of heat maps.
///
/// Series colours are Okabe and Ito's palette, which stays distinct under the common
/// forms of colour blindness; every series also has its own marker shape and ASCII
/// character, so a figure still reads in grey or without colour.
enum Palette {
    static let seriesColors: [RGB] = [
        RGB(0x00, 0x72, 0xB2),   // blue
        RGB(0xE6, 0x9F, 0x00),   // orange
        RGB(0x00, 0x9E, 0x73),   // bluish green
        RGB(0xD5, 0x5E, 0x00),   // vermillion
        RGB(0xCC, 0x79, 0xA7),   // reddish purple
        RGB(0x56, 0xB4, 0xE9),   // sky blue
        RGB(0x66, 0x66, 0x66),   // grey (Okabe–Ito black, softened)
        RGB(0xF0, 0xE4, 0x42),   // yellow (last: faint on white)
    ]

    /// Marker shapes, filled first, then open.
    enum Marker: CaseIterable, Sendable {
        case circle, square, triangle, diamond, openCircle, openSquare, openTriangle, openDiamond

        /// The glyph drawn in a terminal cell.
        var glyph: Character {
            switch self {
            case .circle: "●"
            case .square: "■"
            case .triangle: "▲"
            case .diamond: "◆"
            case .openCircle: "○"
            case .openSquare: "□"
            case .openTriangle: "△"
            case .openDiamond: "◇"
            }
        }

        var isOpen: Bool {
            switch self {
            case .openCircle, .openSquare, .openTriangle, .openDiamond: true
            default: false
            }
        }
    }

    /// Characters that draw series (points and lines alike) in plain ASCII.
    static let asciiMarks: [Character] = ["*", "o", "+", "x", "#", "@", "%", "="]

    static func color(_ series: Int) -> RGB { seriesColors[series % seriesColors.count] }

    /// A series' colour in a terminal (xterm 256 colours): the first series' blue is
    /// lightened (xterm's DodgerBlue, 33) so it reads on a dark background as on a
    /// light one; the others are the palette's nearest.
    static func terminalColor(_ series: Int) -> Int {
        series % seriesColors.count == 0 ? 33 : color(series).ansi256
    }
    static func marker(_ series: Int) -> Marker { Marker.allCases[series % Marker.allCases.count] }
    static func asciiMark(_ series: Int) -> Character { asciiMarks[series % asciiMarks.count] }

    /// Shade characters from empty to full, for heat maps in a terminal.
    static let unicodeShades: [Character] = [" ", "░", "▒", "▓", "█"]
    static let asciiShades: [Character] = [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]

    /// Viridis at 0, 1/8, ..., 1: perceptually even, colour-blind safe, prints in grey.
    static let viridisStops: [RGB] = [
        RGB(0x44, 0x01, 0x54), RGB(0x47, 0x2D, 0x7B), RGB(0x3B, 0x52, 0x8B),
        RGB(0x2C, 0x72, 0x8E), RGB(0x21, 0x91, 0x8C), RGB(0x28, 0xAE, 0x80),
        RGB(0x5E, 0xC9, 0x62), RGB(0xAD, 0xDC, 0x30), RGB(0xFD, 0xE7, 0x25),
    ]

    /// The viridis colour at `t` in 0...1 (clamped), interpolated between the stops.
    static func viridis(_ t: Double) -> RGB {
        let clamped = t.isFinite ? min(1, max(0, t)) : 0
        let position = clamped * Double(viridisStops.count - 1)
        let i = min(viridisStops.count - 2, Int(position))
        let f = position - Double(i)
        let a = viridisStops[i], b = viridisStops[i + 1]
        func mix(_ x: Int, _ y: Int) -> Int { Int((Double(x) + (Double(y) - Double(x)) * f).rounded()) }
        return RGB(mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b))
    }
}
