import Foundation
import Testing
@testable import TicketsLang

/// Values nested far deeper than `maxValueNesting` (a chain grown from its far end
/// passes every check made while building it): printing and comparing them are
/// errors, freeing them is a loop, and the process never dies of its stack.
struct NestingTests {
    static func chain(_ depth: Int) -> ListRef {
        let root = ListRef([])
        var end = root
        for _ in 0..<depth { let next = ListRef([]); end.items.append(.list(next)); end = next }
        return root
    }

    @Test func aDeepChainIsAnErrorToPrintOrCompareAndFreesInALoop() throws {
        var root: ListRef? = Self.chain(200_000)
        let v = Value.list(root!)
        #expect(throws: TicketsError.self) { try v.checkedRepr() }
        #expect(throws: TicketsError.self) { try checkedEqual(v, .list([v])) }
        #expect(throws: TicketsError.self) { try ValueJSON.json(v, at: "x") }
        #expect(v.repr.hasSuffix("[...]" + String(repeating: "]", count: maxValueNesting)))
        root = nil   // freeing 200,000 levels: no stack overflow
    }

    @Test func aChainOfClosuresFreesInALoop() throws {
        let interp = try Interpreter(output: { _ in }, progressOutput: { _ in }, loadStdlib: false)
        try interp.run("f = fn(p) return fn() return p end end\ng = nil\nfor i in 1..50000 g = f(g) end\ng = nil\n", file: "t")
        interp.tearDown()
    }

    /// The reproduction, in the real binary: a clear error, exit 70, not 139.
    @Test func theReproductionEndsInAClearError() throws {
        guard let bin = CommandLineTests.binary else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = ["-e", "l = []; m = l; for i in 1..20000 n = []; push(m, n); m = n end; print(str(l))"]
        let err = Pipe()
        p.standardError = err; p.standardOutput = Pipe()
        try p.run(); p.waitUntilExit()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 70 && text.contains("str: the value nests more than 1000 deep"), "\(text)")
    }
}
