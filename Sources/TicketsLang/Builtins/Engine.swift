/// The builtins that bind the engine (dataset, mlp, train, prune, ...).
func engineBuiltins() -> [Builtin] { [] }
