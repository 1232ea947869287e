import Foundation

func fileBuiltins() -> [BuiltinGroup] {
    [BuiltinGroup("Results and scripts", [
        Builtin("save", [
            .any("value", what: "table or plot", "what to write"),
            .string("path", "the file to write (.csv for a table, .svg for a plot)"),
        ], doc: "Writes a value to a file: a table to a .csv file (with a header row), a plot to an .svg figure.") { a in
            let v = try a.value("value")
            let path = try a.string("path")
            if case .object(let p as PlotObject) = v { try savePlot(p, to: path, a); return .null }
            guard case .object(let o) = v, let t = o as? Table else {
                throw a.fail("value", "cannot be saved yet: save writes tables (.csv) and plots (.svg); got \(describeBrief(v))")
            }
            guard path.lowercased().hasSuffix(".csv") else {
                throw a.fail("path", "must end in .csv for a table, got \(quoteString(path))")
            }
            try writeText(t.csv(), to: path, a)
            return .null
        },
    ])]
}

/// Writes a file, or throws an I/O error naming the path and the system's reason.
func writeText(_ text: String, to path: String, _ a: Args) throws {
    let fail = { (why: String) in TicketsError(.io, "\(a.builtin.name): cannot write \(path) (\(why))", at: a.locs["path"] ?? a.callLoc) }
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue { throw fail("it is a folder") }
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty && !(FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) && isDir.boolValue) {
        throw fail("no such folder \(folder)")
    }
    guard let f = fopen(path, "w") else { throw fail(String(cString: strerror(errno)).lowercased()) }
    let bytes = Array(text.utf8)
    let written = fwrite(bytes, 1, bytes.count, f)
    let closed = fclose(f)
    guard written == bytes.count, closed == 0 else { throw fail("the disk may be full") }
}
