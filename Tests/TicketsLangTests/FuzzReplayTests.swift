import Foundation
import Testing
@testable import TicketsLang

/// Every input a fuzzer crashed on (Tests/fuzz/crashes-*), fixed, runs again here
/// through the function the fuzzer called: none may trap.
struct FuzzReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    static func inputs(_ folder: String) -> [URL] {
        let dir = root.appendingPathComponent("fuzz/" + folder)
        return ((try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? [])
            .filter { !$0.lastPathComponent.hasPrefix(".") }.sorted { $0.path < $1.path }
    }

    @Test func languageCrashesStayFixed() {
        for url in Self.inputs("crashes-lang") {
            let data = (try? Data(contentsOf: url)) ?? Data()
            Fuzzing.runSource(String(decoding: data, as: UTF8.self), seconds: 2)
        }
    }

    @Test func fileCrashesStayFixed() {
        for url in Self.inputs("crashes-files") {
            Fuzzing.parseFiles([UInt8]((try? Data(contentsOf: url)) ?? Data()))
        }
    }
}
