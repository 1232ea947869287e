@preconcurrency import Foundation
import TicketsEngine
import TicketsLang

// The sweep modes of tks:
//   tks --sweep-worker RUN          one run of a sweep (what sweep() and Slurm tasks start)
//   tks sweep FILE.tks [options]    run a script whose sweep() takes its backend from here
//   tks collect FOLDER [-o OUT]     a sweep's merged table

let sweepUsage = """
usage: tks sweep FILE.tks [--slurm | --local] [--workers N] [--folder DIR] [--partition P]
                 [--time T] [--cpus N] [--mem M] [--sbatch LINE]... [--wait] [--tks PATH] [k=v ...]
         runs the script; its sweep(...) calls use these options over their own. With
         --slurm (and no --wait) the script stops once the sweep is submitted.
       tks collect FOLDER [-o OUT.csv|OUT.json]
         prints (or saves) the merged table of a sweep's finished runs
"""

/// `tks --sweep-worker RUN`: reads the run's manifest, goes to the sweep's working
/// folder, and runs the script that defines the experiment until its sweep() call does
/// the run. Exits 0 when the run is done; a failure is also written to the run folder.
func runSweepWorker(_ args: [String]) -> Never {
    guard args.count == 2 else { fail("tks: --sweep-worker takes one argument, a run folder", code: 64) }
    let runPath = args[1].hasPrefix("/") ? args[1] : FileManager.default.currentDirectoryPath + "/" + args[1]
    func give_up(_ message: String, code: Int32) -> Never {
        SweepWorker.fail(run: runPath, message)
        fail("tks: " + message, code: code)
    }
    let job: SweepWorker.Job
    do { job = try SweepWorker.job(run: runPath) } catch { give_up("\(error)", code: 74) }
    guard FileManager.default.changeCurrentDirectoryPath(job.workingFolder) else {
        give_up("cannot go to the sweep's working folder \(job.workingFolder)", code: 74)
    }
    guard let data = FileManager.default.contents(atPath: job.script), let source = String(data: data, encoding: .utf8) else {
        give_up("cannot read the sweep's script \(job.script)", code: 74)
    }
    // Errors name the script as the sweep's session did, relative to its folder.
    let prefix = job.workingFolder.hasSuffix("/") ? job.workingFolder : job.workingFolder + "/"
    let file = job.script.hasPrefix(prefix) ? String(job.script.dropFirst(prefix.count)) : job.script
    settings.values = job.settings
    settings.sweepRole = .worker(run: runPath)
    let interp = makeInterpreter()
    do {
        try interp.run(source, file: file)
    } catch let stop as SweepStop {
        if let m = stop.message { print(m) }
        exit(stop.status)
    } catch let e as TicketsError {
        flushStandardOutput()
        interp.endProgressLine()
        // A run stopped by Ctrl-C (or its sweep's parent) is unfinished, not failed.
        if !Interrupt.requested { SweepWorker.fail(run: runPath, (e.loc.map { "\($0): " } ?? "") + e.message) }
        fail(e.render(color: false), code: e.exitCode)
    } catch {
        give_up("\(error)", code: 70)
    }
    give_up("\(file) ended without calling sweep(\(job.experiment), ...), so the run was not done", code: 70)
}

/// `tks sweep FILE.tks [options] [k=v ...]`
func runSweepCommand(_ args: [String]) -> Never {
    var o = SweepOverrides()
    var rest = Array(args.dropFirst())
    guard let file = rest.first, !file.hasPrefix("-") else { fail("tks sweep: give the script first\n" + sweepUsage, code: 64) }
    rest.removeFirst()
    var pairs: [String] = []
    while !rest.isEmpty {
        var word = rest.removeFirst()
        var value: String? = nil
        if word.hasPrefix("--"), let eq = word.firstIndex(of: "=") {
            value = String(word[word.index(after: eq)...])
            word = String(word[..<eq])
        }
        func take() -> String {
            if let value { return value }
            guard !rest.isEmpty else { fail("tks sweep: \(word) needs a value\n" + sweepUsage, code: 64) }
            return rest.removeFirst()
        }
        func number() -> Int {
            let text = take()
            guard let n = Int(text), n >= 0 else { fail("tks sweep: \(word) needs a whole number, got '\(text)'", code: 64) }
            return n
        }
        switch word {
        case "--slurm": o.backend = "slurm"
        case "--local": o.backend = "local"
        case "--wait": o.wait = true
        case "--workers": o.workers = number()
        case "--cpus": o.cpus = max(1, number())
        case "--folder": o.folder = take()
        case "--partition": o.partition = take()
        case "--time": o.time = take()
        case "--mem": o.mem = take()
        case "--sbatch": o.sbatch.append(take())
        case "--tks": o.tks = take()
        case _ where !word.hasPrefix("-") && word.contains("="): pairs.append(word)
        default: fail("tks sweep: unknown option \(word)\n" + sweepUsage, code: 64)
        }
    }
    for kv in pairs {
        let eq = kv.firstIndex(of: "=")!
        guard eq != kv.startIndex else { fail("tks sweep: give settings as name=value, got '\(kv)'", code: 64) }
        settings.values[String(kv[..<eq])] = String(kv[kv.index(after: eq)...])
    }
    guard let data = FileManager.default.contents(atPath: file), let source = String(data: data, encoding: .utf8) else {
        fail("tks sweep: cannot read \(file)", code: 74)
    }
    settings.sweepRole = .command(o)
    let interp = makeInterpreter()
    do {
        try interp.run(source, file: file)
        warnUnusedSettings()
        exit(0)
    } catch let stop as SweepStop {
        interp.endProgressLine()
        if let m = stop.message { print(m) }
        warnUnusedSettings()
        exit(stop.status)
    } catch let e as TicketsError {
        flushStandardOutput()
        interp.endProgressLine()
        fail(e.render(color: color), code: e.exitCode)
    } catch {
        fail(TicketsError(wrapping: error).render(color: color), code: 70)
    }
}

/// `tks collect FOLDER [-o OUT.csv|OUT.json]`
func runCollectCommand(_ args: [String]) -> Never {
    var rest = Array(args.dropFirst())
    var output: String? = nil
    if let i = rest.firstIndex(where: { $0 == "-o" || $0 == "--output" }) {
        guard i + 1 < rest.count else { fail("tks collect: -o needs a file\n" + sweepUsage, code: 64) }
        output = rest[i + 1]
        rest.removeSubrange(i...(i + 1))
    }
    guard rest.count == 1 else { fail("tks collect: give one sweep folder\n" + sweepUsage, code: 64) }
    do {
        let (table, runs, done, failed) = try collectSweep(rest[0])
        let left = runs - done - failed
        FileHandle.standardError.write(("tks collect: \(runs) runs: \(done) done, \(failed) failed, \(left) not finished\n").data(using: .utf8)!)
        guard let output else {
            print(table.describe())
            exit(0)
        }
        let lower = output.lowercased()
        guard lower.hasSuffix(".csv") || lower.hasSuffix(".json") else { fail("tks collect: -o takes a .csv or .json file, got \(output)", code: 64) }
        try writeAtomically(Array((lower.hasSuffix(".csv") ? table.csv() : try table.json()).utf8), to: output)
        exit(0)
    } catch let e as TicketsError {
        fail("tks collect: " + e.message, code: e.exitCode)
    } catch let e as EngineError {
        fail("tks collect: " + e.message, code: e.isIO ? 74 : 70)
    } catch {
        fail("tks collect: \(error)", code: 70)
    }
}
