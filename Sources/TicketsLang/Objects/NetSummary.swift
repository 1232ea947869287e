import TicketsEngine

/// The rows of a net's summary: each top-level layer with what it does, the shape of
/// one sample it gives, and its trained values (a residual block's include its
/// children's):
///
///       conv1    conv 1→64 3×3 pad 1    64×28×28       640
///       relu1    relu                   64×28×28
///       pool1    max pool 2×2           64×14×14
func describeLayers(_ net: Network) -> String {
    let rows = net.layers.map { l -> (String, String, String, String) in
        let count = trainedCount(l)
        return (l.name, layerWhat(l), shapeText(l.outputShape), count == 0 ? "" : grouped(count))
    }
    let w0 = rows.map(\.0.count).max() ?? 0, w1 = rows.map(\.1.count).max() ?? 0
    let w2 = rows.map(\.2.count).max() ?? 0, w3 = rows.map(\.3.count).max() ?? 0
    return rows.map { name, what, shape, count in
        let line = "  " + pad(name, w0) + "  " + pad(what, w1) + "  " + pad(shape, w2) + "  "
            + String(repeating: " ", count: w3 - count.count) + count
        return String(line.reversed().drop(while: { $0 == " " }).reversed())
    }.joined(separator: "\n")
}

/// What a layer does, from its summary without its name: "conv 1→64 3×3 pad 1",
/// "linear 12544→256" (the kind goes first where the summary starts with a number).
func layerWhat(_ l: Layer) -> String {
    var s = Substring(l.summary)
    if s.hasPrefix(l.name + " ") { s = s.dropFirst(l.name.count + 1) } else if s == Substring(l.name) { s = "" }
    guard let first = s.first, first.isLetter else { return s.isEmpty ? l.kind : l.kind + " " + s }
    return String(s)
}

/// Trained values (weights, biases, batch-norm scales and shifts) of a layer and its children.
func trainedCount(_ l: Layer) -> Int {
    l.parameters.filter(\.trainable).reduce(0) { $0 + $1.count } + l.children.reduce(0) { $0 + trainedCount($1) }
}

private func pad(_ s: String, _ width: Int) -> String { s.padding(toLength: width, withPad: " ", startingAt: 0) }
