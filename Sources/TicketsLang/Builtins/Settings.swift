/// `name=value` pairs given after a script on the command line
/// (`tks lesson.tks levels=2 epochs=1`). Set once by the tks command before a script
/// runs, like environment variables; read by `setting`.
public enum ScriptSettings {
    nonisolated(unsafe) public static var values: [String: String] = [:]
    /// The names `setting` was asked for (tks warns about the others).
    nonisolated(unsafe) public static var read: Set<String> = []
}

func settingBuiltins() -> [Builtin] {
    [Builtin("setting", params: ["name", "default"], signature: "setting(name, default)",
             doc: """
             A knob a script's user can turn from the command line: the value of name=value
             given after the script (tks lesson.tks levels=2), else the default. The value
             is read as the default's type (a number, true/false, or a string).
               levels = setting("levels", 10)
             """) { a in
        let name = try a.string("name")
        ScriptSettings.read.insert(name)
        let d = a.has("default") ? try a.value("default") : Value.null
        guard let raw = ScriptSettings.values[name] else {
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
    }]
}
