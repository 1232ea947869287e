import Foundation
import Testing
@testable import TicketsLang

/// sweep.json names its runs; a name that climbs out of the sweep's folder is damage,
/// never a path collect() follows (it read /etc/manifest.json).
struct SweepManifestTests {
    @Test(arguments: ["../../../x", "../../../../../etc", "a/b", "..", ""])
    func runNamesMustStayInTheSweepsFolder(name: String) throws {
        let dir = NSTemporaryDirectory() + "tickets-sweepjson-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let json = #"{"tickets_sweep": 1, "experiment": "e", "grid": {}, "runs": ["e-1", "\#(name)"]}"#
        try json.write(toFile: dir + "/sweep.json", atomically: true, encoding: .utf8)
        do {
            _ = try SweepFolder.read(dir)
            Issue.record("sweep.json naming \(name) was accepted")
        } catch let e as TicketsError {
            #expect(e.message.contains("names a run \"\(name)\", which is not a folder inside the sweep's"), "\(e.message)")
        }
    }
}
