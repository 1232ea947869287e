import Foundation
import TicketsEngine

/// A sweep, checked and laid out on disk before any run starts: the experiment, every
/// combination of the grid (the first key varies slowest, as nested loops in the order
/// written), and the run folder of each, keyed by the hash of the experiment's name,
/// its code and the combination.
struct SweepPlan {
    let experiment: Closure
    let folder: SweepFolder
    /// The runs in grid order, and each one's arguments (a JSON object).
    let runs: [RunFolder]
    let args: [JSONValue]
    /// The experiment has a parameter `run`: it is given its run folder.
    var takesRun: Bool { experiment.decl.params.contains { $0.name == "run" } }

    /// The parameter an experiment receives its run folder in; no grid key may use it.
    static let runParameter = "run"

    /// Checks the experiment and the grid, then opens (or makes) the sweep folder and
    /// every run folder. `needsScript`: workers will re-run the script, so the experiment
    /// must come from a file that still holds it.
    static func make(experiment v: Value, grid: RecordRef, folder: String?, scriptSettings: [String: String],
                     needsScript: Bool, a: Args) throws -> SweepPlan {
        let f = try experimentFunction(v, a)
        let gridJSON = try checkGrid(grid, experiment: f, a)
        let code = SHA256.hex(f.decl.canonicalCode)
        let script = try scriptOf(f, needsScript: needsScript, a)
        let path = absolutePath(folder ?? "runs/\(f.name)")

        var sweep: SweepFolder
        if SweepFolder.exists(path) {
            sweep = try SweepFolder.read(path)
            if sweep.experiment != f.name {
                throw a.fail("folder", "\(path) holds a sweep of \(sweep.experiment) (from \((sweep.script as NSString).lastPathComponent)), not of \(f.name); give another folder=, or remove that one")
            }
            if sweep.script != script {
                throw a.fail("folder", "\(path) holds a sweep of \(f.name) from \(sweep.script), not from \(script); give another folder=, or remove that one")
            }
            sweep.code = code
            sweep.grid = gridJSON
        } else {
            sweep = SweepFolder(path: path, experiment: f.name, script: script, code: code, grid: gridJSON, runs: [])
        }

        let info = JSONValue.object([
            ("script", .string(script)), ("cwd", .string(FileManager.default.currentDirectoryPath)),
            ("settings", .object(scriptSettings.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("sweep", .string(path)),
        ])
        var runs: [RunFolder] = [], args: [JSONValue] = []
        for combination in combinations(gridJSON) {
            let settings = JSONValue.object([("experiment", .string(f.name)), ("code", .string(code)), ("args", combination)])
            do {
                runs.append(try RunFolder.open(settings: settings, name: f.name, root: path, info: info, lock: false))
            } catch let e as EngineError {
                throw a.fail(e.message)
            }
            args.append(combination)
        }
        sweep.runs = runs.map { ($0.path as NSString).lastPathComponent }
        try sweep.write()
        return SweepPlan(experiment: f, folder: sweep, runs: runs, args: args)
    }

    static func experimentFunction(_ v: Value, _ a: Args) throws -> Closure {
        switch v {
        case .function(let c):
            guard c.name != "<anonymous>" else {
                throw a.fail("experiment", "must be a named function (fn name(...) ... end): its name names the runs")
            }
            return c
        default:
            throw a.fail("experiment", "must be a function defined in a script (fn name(lr=0.1, seed=0) ... end), got \(describeBrief(v))")
        }
    }

    /// The grid as a JSON object of lists, after checking it against the experiment.
    static func checkGrid(_ grid: RecordRef, experiment f: Closure, _ a: Args) throws -> JSONValue {
        guard !grid.fields.isEmpty else {
            throw a.fail("grid", "is empty; give each argument to vary a list of values, as grid={lr: [0.01, 0.1], seed: [0, 1, 2]}")
        }
        let params = f.decl.params.map(\.name)
        var members: [(key: String, value: JSONValue)] = []
        for (key, value) in grid.fields {
            if key == runParameter {
                throw a.fail("grid", "key 'run' is reserved: an experiment's parameter run receives its run folder")
            }
            guard params.contains(key) else {
                throw a.fail("grid", "key '\(key)' is not a parameter of \(f.name); it takes \(params.isEmpty ? "none" : params.joined(separator: ", "))")
            }
            let values: [Value]
            switch value {
            case .list(let l): values = l.items
            case .range(let lo, let hi): values = lo > hi ? [] : (lo...hi).map { .int($0) }
            default: throw gridError(a, "grid.\(key) must be a list of values (or a range), got \(describeBrief(value)); for one value write [\(value.repr)]")
            }
            guard !values.isEmpty else { throw gridError(a, "grid.\(key) is empty, so the grid has no runs") }
            var seen: [JSONValue] = []
            for (i, v) in values.enumerated() {
                let j: JSONValue
                do { j = try ValueJSON.json(v, at: "grid.\(key)[\(i)]") } catch let e as TicketsError { throw gridError(a, e.message) }
                guard !seen.contains(j) else { throw gridError(a, "grid.\(key) lists \(v.repr) twice") }
                seen.append(j)
            }
            members.append((key, .array(seen)))
        }
        for p in f.decl.params where p.defaultValue == nil && p.name != runParameter && grid[p.name] == nil {
            throw a.fail("grid", "lacks '\(p.name)', which \(f.name) needs (it has no default)")
        }
        let count = members.reduce(1) { n, m in
            guard case .array(let vs) = m.value else { return n }
            return n.multipliedReportingOverflow(by: vs.count).overflow ? Int.max : n * vs.count
        }
        guard count <= 100_000 else {
            throw a.fail("grid", "has \(count == Int.max ? "too many" : grouped(count)) combinations; a sweep may have at most 100,000 runs")
        }
        return .object(members)
    }

    /// An error about a part of the grid, pointing at the grid argument.
    static func gridError(_ a: Args, _ message: String) -> TicketsError {
        TicketsError(.runtime, "\(a.builtin.name): \(message)", at: a.locs["grid"] ?? a.callLoc)
    }

    /// Every combination of the grid, as objects {key: value}; the first key varies slowest.
    static func combinations(_ grid: JSONValue) -> [JSONValue] {
        guard case .object(let members) = grid else { return [] }
        var out: [[(key: String, value: JSONValue)]] = [[]]
        for m in members {
            guard case .array(let values) = m.value else { continue }
            out = out.flatMap { prefix in values.map { prefix + [(m.key, $0)] } }
        }
        return out.map { .object($0) }
    }

    /// The absolute path of the script the experiment was defined in ("<repl>" when it
    /// comes from no file). Workers re-run that script, so it must still define the
    /// experiment as this session knows it.
    static func scriptOf(_ f: Closure, needsScript: Bool, _ a: Args) throws -> String {
        let file = f.decl.loc.file
        guard !file.hasPrefix("<") else {
            if needsScript {
                throw a.fail("experiment", "was defined at the prompt (\(file)), but worker processes re-run the script that defines it: put it in a file and run that (tks lesson.tks), or give workers=0 to run the runs one by one in this session")
            }
            return file
        }
        let path = absolutePath(file)
        if needsScript {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw a.fail("experiment", "was defined in \(file), which cannot be read any more; worker processes re-run it")
            }
            let code = f.decl.canonicalCode
            let program = (try? Parser.parse(text, file: file)) ?? []
            guard functionDecls(in: program).contains(where: { $0.name == f.name && $0.canonicalCode == code }) else {
                throw a.fail("experiment", "\(file) has changed since it was run: it no longer defines \(f.name) as this session knows it, and worker processes re-run the file; run it again")
            }
        }
        return path
    }

    /// Every function declared in a program, nested ones included.
    static func functionDecls(in program: [Stmt]) -> [FunctionDecl] {
        var out: [FunctionDecl] = []
        func visit(_ s: Stmt) {
            switch s {
            case .function(let d): out.append(d); d.body.forEach(visit)
            case .ifElse(let branches, let otherwise, _): branches.forEach { $0.1.forEach(visit) }; otherwise?.forEach(visit)
            case .whileLoop(_, let b, _), .forLoop(_, _, let b, _): b.forEach(visit)
            case .assign(_, _, .function(let d), _): out.append(d); d.body.forEach(visit)
            default: break
            }
        }
        program.forEach(visit)
        return out
    }
}
