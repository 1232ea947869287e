import Foundation
import Testing
@testable import TicketsLang

/// Runs every Tests/golden/**/*.tks and compares what it does with the comments in it:
///   # expect: TEXT            the next line of output
///   # expect error: MESSAGE   a runtime or syntax error on this line
///   # expect error 16: MSG    ... at column 16
/// Top-level statements run one by one as at the REPL, so one file can pin many errors;
/// a file that does not parse pins each of its syntax errors.
struct GoldenTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    enum Event: Equatable, CustomStringConvertible {
        case output(String)
        case error(line: Int, col: Int?, message: String)
        var description: String {
            switch self {
            case .output(let s): return "out: \(s)"
            case .error(let l, let c, let m): return "error at line \(l)\(c.map { ":\($0)" } ?? ""): \(m)"
            }
        }
    }

    static func expectations(_ source: String) -> [Event] {
        var out: [Event] = []
        for (i, line) in source.components(separatedBy: "\n").enumerated() {
            guard let r = line.range(of: "# expect") else { continue }
            let rest = line[r.upperBound...]
            if rest.hasPrefix(": ") {
                out.append(.output(String(rest.dropFirst(2))))
            } else if rest.hasPrefix(":") && rest.count == 1 {
                out.append(.output(""))
            } else if rest.hasPrefix(" error") {
                let spec = rest.dropFirst(" error".count)
                guard let colon = spec.firstIndex(of: ":") else { continue }
                let col = Int(spec[..<colon].trimmingCharacters(in: .whitespaces))
                out.append(.error(line: i + 1, col: col, message: String(spec[spec.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
            }
        }
        return out
    }

    static func run(_ path: String, relative: String) -> [Event] {
        var events: [Event] = []
        let source = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        func record(_ e: TicketsError) {
            // An error inside a library function counts at the call in this file.
            var loc = e.loc
            if loc?.file != relative, let call = e.trace.last(where: { $0.at.file == relative }) { loc = call.at }
            events.append(.error(line: loc?.line ?? 0, col: loc?.col, message: e.message))
            // The further syntax errors of a parse, each its own event.
            for further in e.more { record(further) }
        }
        do {
            let interp = try Interpreter(output: { text in
                for l in text.components(separatedBy: "\n") { events.append(.output(l)) }
            }, progressOutput: { _ in })
            try interp.runContinuing(source, file: relative, report: record)
        } catch let e as TicketsError {
            record(e)
        } catch {
            events.append(.error(line: 0, col: nil, message: "\(error)"))
        }
        return events
    }

    static var files: [String] {
        let golden = root.appendingPathComponent("Tests/golden").path
        let all = FileManager.default.enumerator(atPath: golden)?.compactMap { $0 as? String } ?? []
        return all.filter { $0.hasSuffix(".tks") }.sorted()
    }

    @Test func goldenScripts() throws {
        _ = FileManager.default.changeCurrentDirectoryPath(Self.root.path)
        // engine/sweep.tks shows the error for a folder holding another sweep in a folder
        // of a fixed name; a run from another checkout must not have left one there.
        try? FileManager.default.removeItem(atPath: "/tmp/tickets-golden-sweep/fixed")
        #expect(Self.files.count > 10)
        var failures: [String] = []
        for f in Self.files {
            let path = Self.root.appendingPathComponent("Tests/golden/" + f).path
            let expected = Self.expectations((try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
            let actual = Self.run(path, relative: "Tests/golden/" + f)
            // An expectation without a column matches an error at any column.
            let normalized = zip(actual, expected).map { a, e -> Event in
                if case .error(let l, _, let m) = a, case .error(_, nil, _) = e { return .error(line: l, col: nil, message: m) }
                return a
            } + actual.dropFirst(expected.count)
            if normalized != expected {
                // Show where the two runs part, with a little context.
                let first = zip(normalized, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset ?? min(normalized.count, expected.count)
                let lo = max(0, first - 2)
                var diff = ["\(f): first difference at item \(first + 1)"]
                diff += normalized[lo..<first].map { "    \($0)" }
                diff += expected[first..<min(expected.count, first + 3)].map { "  - expected \($0)" }
                diff += normalized[first..<min(normalized.count, first + 3)].map { "  + got      \($0)" }
                failures.append(diff.joined(separator: "\n"))
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) golden file(s) differ:\n" + failures.joined(separator: "\n\n")))
    }
}
