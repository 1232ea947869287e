import TicketsEngine

/// The arguments of the standard library's functions (stdlib/*.tks), declared as the
/// builtins declare theirs: `Param`s, many of them the very declarations of the builtin
/// the function passes them on to (imp's `epochs` is train's). A call is checked
/// against them before the function runs, so a bad argument is reported at the user's
/// line with the builtins' words (`imp: levels must be a whole number ≥ 0, got a
/// string ("2")`), and help, completion and docs/builtins.md read them. The defaults
/// stay in the function's own signature in stdlib/*.tks; `declareLibrary` puts them in.
extension Interpreter {
    func libraryDeclarations() -> [String: [Param]] {
        func builtin(_ name: String) -> Builtin? {
            for g in builtinGroups { if let b = g.builtins.first(where: { $0.name == name }) { return b } }
            return nil
        }
        /// The declarations of `names` in a builtin's list (a name it lacks is skipped:
        /// the function's parameter is then checked as `.any`).
        func from(_ b: String, _ names: String...) -> [Param] { names.compactMap { builtin(b)?.param($0) } }
        func renamed(_ p: Param?, _ name: String, _ doc: String) -> [Param] { p.map { [Param(name, $0.kind, default: nil, doc)] } ?? [] }

        let trainArgs = from("train", "epochs", "steps", "lr", "batch", "optimizer", "momentum", "weight_decay", "schedule", "warmup", "seed", "augment")
        return [
            "imp": [
                .net("net", "the net to prune (in place): it ends as the last level left it"),
                .dataset("data", "the data set"),
                .int("levels", min: 0, "pruning levels after the dense level 0"),
                Param("rate", .number(.unitOpen), "the fraction of the remaining weights each level removes"),
                Param("output_rate", .number(.unitOpen), "the output layer's rate (the LTH paper's LeNet: 0.1)"),
                Param("conv_rate", .number(.unitOpen), "the convolutions' rate (default: the LTH paper's 0.1 for conv(2) and conv(4), 0.15 for conv(6); rate for other nets)"),
            ] + from("prune", "rates") + trainArgs + from("train", "eval_every") + [
                .any("rewind", what: "snapshot or \"reinit\"", "what survivors are reset to (default: the net as imp starts)"),
                .int("rewind_at", min: 0, "late rewinding, as open_lth: level 0 trains 0 → k, then k → T with a fresh optimizer; later levels rewind to k"),
                .list("controls", what: "a list of \"reinit\", \"random\"", "Frankle & Carbin 2019's controls (random re-init, random sparse), trained beside the ticket at every level"),
            ] + from("prune", "scope", "pattern") + [
                .bool("per_class", false, "record each class's test recall at every level"),
                .bool("quiet", false, "no progress line per level"),
                .preset,
                .any("folder", what: "true or a folder's path", "keep every finished level in a run folder, and resume from it (true: under runs/)"),
                .any("run", what: "true or a folder's path", "the old name of folder= (still works)"),
            ] + from("prune", "by"),
            "gmp": [
                .net("net", "the net to train and prune (in place)"),
                .dataset("data", "the data set"),
                .number("density", in: .unitPositive, "the final density"),
                .int("start", min: 0, "the first pruning step (an iteration)"),
                .optionalInt("stop", min: 0, "the last pruning step (default: 3/4 of the run)"),
                .optionalInt("every", min: 1, "iterations between pruning steps (default: 10 steps from start to stop)"),
                Param("initial", .number(.unit), "the density the schedule starts from"),
            ] + from("prune", "scope", "pattern") + [
                .bool("regrow", false, "GraNet: regrow after each pruning step"),
                Param("regrow_rate", .number(.unit), "GraNet's initial regrowth rate"),
                .int("regrow_batch", min: 1, "examples the regrowth gradient is computed on"),
            ] + trainArgs + [
                .bool("quiet", false, "no progress line per pruning step"),
            ] + from("prune", "by"),
            "oneshot": [
                .net("net", "the trained net (not changed)"),
                .dataset("data", "the data set"),
                .list("densities", what: "a list of densities", "the densities to prune copies to"),
                .list("patterns", what: "a list of N:M patterns like \"2:4\"", "N:M patterns to prune copies to"),
            ] + from("prune", "scope", "by") + from("evaluate", "split"),
            "instability": [
                .net("net", "the net (not changed)"),
                .dataset("data", "the data set"),
                .int("at", min: 0, "the iteration the two copies start from"),
            ] + from("train", "epochs", "steps") + [
                .list("seeds", what: "a list of two data-order seeds", "the two copies' data orders"),
            ] + from("train", "lr", "batch", "optimizer", "momentum", "weight_decay")
              + renamed(builtin("train")?.param("seed"), "data_seed", "the data order up to at")
              + renamed(builtin("lmc")?.param("steps"), "points", "points on the line (lmc's steps)"),
        ]
    }

    /// Attaches the declarations to the library's functions, with the defaults of their
    /// own signatures.
    func declareLibrary() throws {
        for (name, params) in libraryDeclarations() {
            guard case .function(let c)? = globals.vars[name] else { continue }
            var merged: [Param] = []
            for (pname, dflt) in c.decl.params {
                let declared = params.first { $0.name == pname }
                let value = try dflt.map { try eval($0, globals) }
                merged.append(Param(pname, declared?.kind ?? .any(what: "any value"), default: value, declared?.doc ?? ""))
            }
            c.declared = Builtin(name, merged, doc: c.doc ?? "") { _ in .null }
        }
    }
}
