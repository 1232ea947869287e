/// `name=value` pairs given after a script on the command line
/// (`tks lesson.tks levels=2 epochs=1`), like environment variables for one run.
/// Each interpreter has its own; `setting` reads them.
public final class ScriptSettings {
    public var values: [String: String]
    /// The names `setting` was asked for (tks warns about the others).
    public private(set) var read: Set<String> = []
    /// How this process takes part in sweeps (`tks --sweep-worker`, `tks sweep`).
    public var sweepRole: SweepRole = .normal
    public init(_ values: [String: String] = [:]) { self.values = values }

    func lookup(_ name: String) -> String? {
        read.insert(name)
        return values[name]
    }
    /// Settings given but never read: most likely misspelled.
    public var unread: [String] { values.keys.filter { !read.contains($0) }.sorted() }
}

func settingBuiltins() -> [BuiltinGroup] {
    [BuiltinGroup("Results and scripts", [
        Builtin("setting", [
            .string("name", "the setting's name"),
            .any("default", what: "number, true/false or string", default: .null, "the value when none is given; its type is the setting's"),
        ], doc: """
        A knob a script's user can turn from the command line: the value of name=value
        given after the script (tks lesson.tks levels=2), else the default. The value
        is read as the default's type (a number, true/false, or a string).
          levels = setting("levels", 10)
        """) { a in
            let name = try a.string("name")
            let d = try a.value("default")
            guard let raw = a.ctx.settings.lookup(name) else {
                if case .null = d { throw a.fail("no \(name)=... was given on the command line and there is no default") }
                return d
            }
            switch d {
            case .number:
                guard let x = Double(raw.replacingOccurrences(of: "_", with: "")), x.isFinite else {
                    throw a.fail("\(name)=\(raw) on the command line must be a number")
                }
                return .number(x)
            case .bool:
                guard raw == "true" || raw == "false" else { throw a.fail("\(name)=\(raw) on the command line must be true or false") }
                return .bool(raw == "true")
            default:
                return .string(raw)
            }
        },
    ])]
}
