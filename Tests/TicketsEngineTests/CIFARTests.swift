import Testing
import Foundation
@testable import TicketsEngine

struct CIFARTests {
    /// `n` images whose pixel (c, y, x) of image i is (i + 3c + 5y + 7x) mod 256.
    static func split(_ n: Int, kind: CIFAR.Kind, offset: Int = 0) -> CIFAR.Split {
        var pixels = [UInt8]()
        for i in 0..<n { for c in 0..<3 { for y in 0..<32 { for x in 0..<32 {
            pixels.append(UInt8((i + offset + 3 * c + 5 * y + 7 * x) % 256))
        } } } }
        let labels = (0..<n).map { Int32(($0 + offset) % kind.classes) }
        return CIFAR.Split(pixels: pixels, labels: labels,
                           coarseLabels: kind == .cifar100 ? (0..<n).map { Int32(($0 + offset) % 20) } : nil)
    }

    /// One CIFAR-10 record typed out: label 7, then the red, green and blue planes.
    @Test func readsTheExactRecordLayout() throws {
        var record: [UInt8] = [7]
        record += [UInt8](repeating: 10, count: 1024)   // red
        record += [UInt8](repeating: 20, count: 1024)   // green
        record += [UInt8](repeating: 30, count: 1024)   // blue
        record[1 + 1024 + 32 * 2 + 5] = 99              // green, y = 2, x = 5
        let split = try CIFAR.parse(record + record, kind: .cifar10, name: "r.bin")
        #expect(split.count == 2 && split.labels == [7, 7] && split.coarseLabels == nil)
        #expect(split.pixels[0] == 10 && split.pixels[1024] == 20 && split.pixels[2047] == 20 && split.pixels[2048] == 30)
        #expect(split.pixels[1024 + 2 * 32 + 5] == 99 && split.pixels[3072 + 1024 + 2 * 32 + 5] == 99)

        // CIFAR-100: coarse label first, then fine.
        let hundred = try CIFAR.parse([3, 42] + [UInt8](repeating: 1, count: 3072), kind: .cifar100, name: "h.bin")
        #expect(hundred.labels == [42] && hundred.coarseLabels == [3])
    }

    @Test(arguments: [CIFAR.Kind.cifar10, .cifar100])
    func folderRoundTrip(kind: CIFAR.Kind) throws {
        let root = IOTest.tempDir("cifar")
        let sub = root + "/" + (kind == .cifar10 ? "cifar-10-batches-bin" : "cifar-100-binary")
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        let train = Self.split(12, kind: kind), test = Self.split(3, kind: kind, offset: 50)
        try CIFAR.writeFolder(sub, kind: kind, train: train, test: test)

        for folder in [root, sub] {   // the parent or the folder itself
            let files = try CIFAR.load(folder: folder)
            #expect(files.kind == kind && files.folder == sub)
            #expect(files.train.pixels == train.pixels && files.train.labels == train.labels)
            #expect(files.test.pixels == test.pixels && files.test.labels == test.labels)
            #expect(files.train.coarseLabels == train.coarseLabels && files.test.coarseLabels == test.coarseLabels)
        }
        if kind == .cifar10 {
            // 12 images over five batches: 3, 3, 2, 2, 2.
            let sizes = try (1...5).map { try readFileBytes(sub + "/data_batch_\($0).bin").count / 3073 }
            #expect(sizes == [3, 3, 2, 2, 2])
        }
        let data = try CIFAR.dataset(try CIFAR.load(folder: root), name: "c")
        #expect(data.sampleShape == [3, 32, 32] && data.train.count == 12 && data.test.count == 3 && data.classes == kind.classes)
        #expect(data.train.floats()[7] == Float(train.pixels[7]) * (1 / 255) && data.test.labels == test.labels)
    }

    @Test func badFilesAreNamed() throws {
        let good = try CIFAR.encode(Self.split(2, kind: .cifar10), kind: .cifar10)
        func message(_ bytes: [UInt8], _ kind: CIFAR.Kind = .cifar10) -> String {
            IOTest.failure { try CIFAR.parse(bytes, kind: kind, name: "b.bin") } ?? "no error"
        }
        #expect(message(Array(good.dropLast())) == "b.bin: 6145 bytes is not a whole number of 3073-byte records (1 records, then 3072 bytes left over from byte offset 3073)")
        #expect(message([]) == "b.bin: the file holds no images")
        var badLabel = good
        badLabel[3073] = 10
        #expect(message(badLabel) == "b.bin: label 10 at byte offset 3073 (image 1) is out of range 0...9")
        // A CIFAR-10 file read as CIFAR-100 has the wrong record size.
        #expect(message(good, .cifar100).contains("3074-byte records"))
        let hundred = try CIFAR.encode(Self.split(2, kind: .cifar100), kind: .cifar100)
        var badCoarse = hundred, badFine = hundred
        badCoarse[3074] = 20
        badFine[1] = 100
        #expect(message(badCoarse, .cifar100) == "b.bin: coarse label 20 at byte offset 3074 (image 1) is out of range 0...19")
        #expect(message(badFine, .cifar100) == "b.bin: label 100 at byte offset 1 (image 0) is out of range 0...99")
    }

    @Test func badFoldersAreNamed() throws {
        let dir = IOTest.tempDir("cifar")
        try CIFAR.writeFolder(dir, kind: .cifar10, train: Self.split(5, kind: .cifar10), test: Self.split(1, kind: .cifar10))
        try FileManager.default.removeItem(atPath: dir + "/data_batch_4.bin")
        #expect(IOTest.failure { try CIFAR.load(folder: dir) } == "\(dir): missing data_batch_4.bin")

        var truncated = try readFileBytes(dir + "/data_batch_1.bin")
        truncated.removeLast(100)
        try writeAtomically(truncated, to: dir + "/data_batch_4.bin")
        #expect(IOTest.failure { try CIFAR.load(folder: dir) }?.hasPrefix("\(dir)/data_batch_4.bin: 2973 bytes is not a whole number") == true)

        let empty = IOTest.tempDir("cifar")
        #expect(IOTest.failure { try CIFAR.load(folder: empty) }?.contains("no CIFAR files") == true)
        #expect(IOTest.failure { try CIFAR.load(folder: empty + "/nope") } == "\(empty)/nope: no such folder")
        #expect(IOTest.failure { try CIFAR.load(folder: dir + "/test_batch.bin") }?.contains("is a file") == true)
        #expect(IOTest.failure { try CIFAR.writeFolder(empty, kind: .cifar100, train: Self.split(2, kind: .cifar10), test: Self.split(1, kind: .cifar10)) } == "CIFAR-100: every image needs a coarse label")
    }
}
