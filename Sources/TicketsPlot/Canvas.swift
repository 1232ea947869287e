/// A grid of dots laid over character cells, for drawing lines and points in a terminal.
///
/// In braille style each cell holds 2 × 4 dots and shows them as one Unicode braille
/// character (U+2800 plus one bit per dot), so a 60 × 20 cell plot has 120 × 80 dots.
/// In ASCII style each cell is a single dot. Dot (0, 0) is the top-left corner; x
/// grows to the right and y downwards. Each cell remembers which series drew in it
/// last, which decides its colour or ASCII character.
///
///     var canvas = DotCanvas(columns: 2, rows: 1, dotsPerCell: (2, 4))
///     canvas.line(from: (0, 3), to: (3, 0), series: 0)   // a rising diagonal
///     canvas.character(column: 0, row: 0)                // "⡠"
struct DotCanvas {
    let columns: Int
    let rows: Int
    let dotsAcross: Int
    let dotsDown: Int
    private var bits: [UInt8]
    private var owners: [Int]

    init(columns: Int, rows: Int, dotsPerCell: (across: Int, down: Int)) {
        self.columns = max(1, columns)
        self.rows = max(1, rows)
        dotsAcross = dotsPerCell.across
        dotsDown = dotsPerCell.down
        bits = [UInt8](repeating: 0, count: self.columns * self.rows)
        owners = [Int](repeating: -1, count: self.columns * self.rows)
    }

    /// Width and height in dots.
    var width: Int { columns * dotsAcross }
    var height: Int { rows * dotsDown }

    /// The braille bit of the dot at (dx, dy) inside its cell. Braille numbers the
    /// dots down the left column 1, 2, 3, then the right 4, 5, 6, and the bottom row 7, 8.
    static func brailleBit(dx: Int, dy: Int) -> UInt8 {
        let left: [UInt8] = [0x01, 0x02, 0x04, 0x40]
        let right: [UInt8] = [0x08, 0x10, 0x20, 0x80]
        return dx == 0 ? left[dy] : right[dy]
    }

    /// Sets one dot for `series`; dots outside the canvas are ignored.
    mutating func set(x: Int, y: Int, series: Int) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let cell = (y / dotsDown) * columns + x / dotsAcross
        let bit = dotsAcross == 2 && dotsDown == 4 ? DotCanvas.brailleBit(dx: x % 2, dy: y % 4) : 1
        bits[cell] |= bit
        owners[cell] = series
    }

    /// A straight line of dots from one dot to another, both ends included
    /// (Bresenham's algorithm: integer steps, no gaps, no doubled dots).
    mutating func line(from start: (x: Int, y: Int), to end: (x: Int, y: Int), series: Int) {
        var x = start.x, y = start.y
        let dx = abs(end.x - x), dy = -abs(end.y - y)
        let stepX = x < end.x ? 1 : -1, stepY = y < end.y ? 1 : -1
        var error = dx + dy
        while true {
            set(x: x, y: y, series: series)
            if x == end.x && y == end.y { break }
            let doubled = 2 * error
            if doubled >= dy {
                error += dy
                x += stepX
            }
            if doubled <= dx {
                error += dx
                y += stepY
            }
        }
    }

    /// The dot nearest to a point given as fractions of the plot (0...1 from the
    /// left and from the bottom).
    func dot(fx: Double, fy: Double) -> (x: Int, y: Int) {
        (Int((fx * Double(width - 1)).rounded()), Int(((1 - fy) * Double(height - 1)).rounded()))
    }

    /// The series that drew last in a cell, or nil if it is empty.
    func owner(column: Int, row: Int) -> Int? {
        let o = owners[row * columns + column]
        return o >= 0 ? o : nil
    }

    /// The braille character of a cell (a blank braille cell, U+2800, when empty).
    func character(column: Int, row: Int) -> Character {
        Character(Unicode.Scalar(0x2800 + UInt32(bits[row * columns + column])) ?? " ")
    }
}

/// Cuts the segment a–b (in plot fractions) to the part inside the unit square, or nil
/// if none of it is inside (Liang–Barsky clipping), so points beyond an axis limit
/// leave the line at the frame instead of wrapping or vanishing.
func clipToUnitSquare(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double))
    -> (a: (x: Double, y: Double), b: (x: Double, y: Double))? {
    var t0 = 0.0, t1 = 1.0
    let dx = b.x - a.x, dy = b.y - a.y
    let edges: [(p: Double, q: Double)] = [(-dx, a.x), (dx, 1 - a.x), (-dy, a.y), (dy, 1 - a.y)]
    for (p, q) in edges {
        if p == 0 {
            if q < 0 { return nil }
            continue
        }
        let t = q / p
        if p < 0 {
            if t > t1 { return nil }
            t0 = max(t0, t)
        } else {
            if t < t0 { return nil }
            t1 = min(t1, t)
        }
    }
    return ((a.x + t0 * dx, a.y + t0 * dy), (a.x + t1 * dx, a.y + t1 * dy))
}
