/// `show`: a value printed in full (a long list or table), or a plot at a chosen size.
func showBuiltins() -> [BuiltinGroup] {
    [BuiltinGroup("Results and scripts", [
        Builtin("show", [
            .any("x", what: "any value", "the value to print"),
            .bool("all", false, "every item of a long list and every row of a long table"),
            .optionalInt("width", min: 32, max: 1000, "a plot's width in characters (default: the terminal window's)"),
            .optionalInt("height", min: 10, max: 500, "a plot's height in lines (default: from the width and the window)"),
            Param("ascii", .bool, default: .null, "a plot in plain characters instead of braille"),
        ], doc: """
        Prints a value as the prompt shows it. Long lists (over 1,000 items) and tables
        (over 60 rows) print in summary, their first and last items with "..." between,
        as NumPy and pandas do; show(x, all=true) prints every item. A plot is drawn at
        the terminal window's size, or at width= and height= characters:
          show(p, width=100, height=30, ascii=true)
        """) { a in
            let x = try a.value("x")
            if case .object(let p as PlotObject) = x {
                a.ctx.write(p.draw(width: try a.optionalInt("width"), height: try a.optionalInt("height"), ascii: try a.optionalBool("ascii")))
                return .null
            }
            a.ctx.write(try x.checkedRepr(full: try a.bool("all")))
            return .null
        },
    ])]
}
