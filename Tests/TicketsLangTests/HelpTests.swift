import Testing
@testable import TicketsLang

struct HelpTests {
    @Test func everyBuiltinAndLibraryFunctionIsDocumentedAndGrouped() throws {
        let interp = try Interpreter(output: { _ in }, progressOutput: { _ in })
        let grouped = Set(helpGroups.flatMap(\.1))
        for name in interp.globalNames where !name.hasPrefix("_") {
            guard let v = interp.lookup(name), let (sig, doc) = signatureAndDoc(v) else { continue }
            #expect(grouped.contains(name), "\(name) is missing from help()'s groups")
            #expect(sig.hasPrefix(name + "(") && doc.count > 20, "\(name) has no real help text")
        }
    }

    @Test func overviewListsTheGroups() throws {
        var out: [String] = []
        let interp = try Interpreter(output: { out.append($0) }, progressOutput: { _ in })
        try interp.run("help()", file: "t")
        let text = out.joined(separator: "\n")
        #expect(text.contains("Masks and pruning: prune, apply, density, random_mask, shuffle_mask, overlap"))
        #expect(text.contains("Experiments (stdlib/lth.tks): imp"))
        try interp.run("fn mine() end\nhelp()", file: "t")
        #expect(out.joined(separator: "\n").contains("Your functions: mine"))
    }
}
