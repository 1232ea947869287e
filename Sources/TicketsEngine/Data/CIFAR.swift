import Foundation

/// The binary CIFAR-10 and CIFAR-100 formats (https://www.cs.toronto.edu/~kriz/cifar.html).
///
/// A file is a sequence of records, nothing else:
///
///     CIFAR-10   1 byte label (0...9)                        + 3072 pixel bytes = 3073
///     CIFAR-100  1 byte coarse label (0...19), 1 byte fine label (0...99) + 3072 = 3074
///
/// The 3072 pixel bytes are three 32×32 planes, red then green then blue, each row by
/// row: pixel (c, y, x) is byte 1024·c + 32·y + x of the image (the N×3×32×32 layout
/// PyTorch uses).
///
/// Files: CIFAR-10 `data_batch_1.bin` … `data_batch_5.bin` (train) and `test_batch.bin`,
/// in `cifar-10-batches-bin/`; CIFAR-100 `train.bin` and `test.bin`, in `cifar-100-binary/`.
public enum CIFAR {
    public enum Kind: Sendable {
        case cifar10, cifar100

        /// Label bytes before each image.
        var labelBytes: Int { self == .cifar10 ? 1 : 2 }
        var recordBytes: Int { labelBytes + CIFAR.imageBytes }
        /// Classes of the (fine) label.
        public var classes: Int { self == .cifar10 ? 10 : 100 }
        var subfolder: String { self == .cifar10 ? "cifar-10-batches-bin" : "cifar-100-binary" }
        var trainFiles: [String] { self == .cifar10 ? (1...5).map { "data_batch_\($0).bin" } : ["train.bin"] }
        var testFiles: [String] { self == .cifar10 ? ["test_batch.bin"] : ["test.bin"] }
    }

    public static let imageBytes = 3 * 32 * 32
    public static let coarseClasses = 20

    /// One split of the data as stored: `count` images of 3×32×32 bytes, channel-major.
    public struct Split {
        /// count × 3 × 32 × 32 bytes, 0...255.
        public var pixels: [UInt8]
        /// The class of each image (CIFAR-100: the fine label, 0...99).
        public var labels: [Int32]
        /// CIFAR-100 only: the superclass of each image, 0...19.
        public var coarseLabels: [Int32]?

        public var count: Int { labels.count }

        public init(pixels: [UInt8], labels: [Int32], coarseLabels: [Int32]? = nil) {
            self.pixels = pixels; self.labels = labels; self.coarseLabels = coarseLabels
        }
    }

    /// A whole CIFAR data set as read from its folder.
    public struct Files {
        public var kind: Kind
        /// The folder the files were read from.
        public var folder: String
        public var train: Split
        public var test: Split
    }

    // MARK: Reading

    /// Reads CIFAR-10 or CIFAR-100 (told apart by their file names) from `folder`,
    /// which may be the folder holding the `.bin` files or its parent holding
    /// `cifar-10-batches-bin/` or `cifar-100-binary/`.
    public static func load(folder: String) throws -> Files {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDir) else { throw EngineError.io("\(folder): no such folder") }
        guard isDir.boolValue else {
            throw EngineError.io("\(folder) is a file; give the folder that holds the CIFAR .bin files")
        }
        func path(_ dir: String, _ file: String) -> String { (dir as NSString).appendingPathComponent(file) }
        func exists(_ p: String) -> Bool { fm.fileExists(atPath: p) }

        var candidates: [(dir: String, kind: Kind)] = []
        for kind in [Kind.cifar10, .cifar100] {
            candidates.append((folder, kind))
            candidates.append((path(folder, kind.subfolder), kind))
        }
        // The folder whose files are present; failing that, the one with some present,
        // so the error can name what is missing.
        let complete = candidates.first { c in (c.kind.trainFiles + c.kind.testFiles).allSatisfy { exists(path(c.dir, $0)) } }
        let partial = candidates.first { c in (c.kind.trainFiles + c.kind.testFiles).contains { exists(path(c.dir, $0)) } }
        guard let (dir, kind) = complete ?? partial else {
            throw EngineError.io("\(folder): no CIFAR files (expected data_batch_1.bin … data_batch_5.bin and test_batch.bin for CIFAR-10, or train.bin and test.bin for CIFAR-100, here or in cifar-10-batches-bin/ or cifar-100-binary/)")
        }
        let missing = (kind.trainFiles + kind.testFiles).filter { !exists(path(dir, $0)) }
        guard missing.isEmpty else {
            throw EngineError.io("\(dir): missing \(missing.joined(separator: ", "))")
        }

        func readSplit(_ files: [String]) throws -> Split {
            var split = Split(pixels: [], labels: [], coarseLabels: kind == .cifar100 ? [] : nil)
            for file in files {
                let part = try parse(try readFileBytes(path(dir, file)), kind: kind, name: path(dir, file))
                split.pixels += part.pixels
                split.labels += part.labels
                if let coarse = part.coarseLabels { split.coarseLabels? += coarse }
            }
            return split
        }
        return Files(kind: kind, folder: dir, train: try readSplit(kind.trainFiles), test: try readSplit(kind.testFiles))
    }

    /// Parses one CIFAR file's bytes; `name` is used in errors.
    public static func parse(_ bytes: [UInt8], kind: Kind, name: String) throws -> Split {
        let record = kind.recordBytes
        guard bytes.count % record == 0 else {
            let whole = bytes.count / record
            throw EngineError.io("\(name): \(bytes.count) bytes is not a whole number of \(record)-byte records (\(whole) records, then \(bytes.count - whole * record) bytes left over from byte offset \(whole * record))")
        }
        guard !bytes.isEmpty else { throw EngineError.io("\(name): the file holds no images") }
        let count = bytes.count / record
        var pixels = [UInt8](repeating: 0, count: count * imageBytes)
        var labels = [Int32](repeating: 0, count: count)
        var coarse: [Int32]? = kind == .cifar100 ? [Int32](repeating: 0, count: count) : nil

        for i in 0..<count {
            let start = i * record
            let fine = bytes[start + kind.labelBytes - 1]
            guard Int(fine) < kind.classes else {
                throw EngineError.io("\(name): label \(fine) at byte offset \(start + kind.labelBytes - 1) (image \(i)) is out of range 0...\(kind.classes - 1)")
            }
            labels[i] = Int32(fine)
            if kind == .cifar100 {
                let c = bytes[start]
                guard Int(c) < coarseClasses else {
                    throw EngineError.io("\(name): coarse label \(c) at byte offset \(start) (image \(i)) is out of range 0...\(coarseClasses - 1)")
                }
                coarse?[i] = Int32(c)
            }
            let from = start + kind.labelBytes
            pixels.replaceSubrange((i * imageBytes)..<((i + 1) * imageBytes), with: bytes[from..<(from + imageBytes)])
        }
        return Split(pixels: pixels, labels: labels, coarseLabels: coarse)
    }

    // MARK: Writing (for tests and small exports)

    /// Checks that `split` can be written as `kind`: whole images, labels in range,
    /// and (CIFAR-100) one coarse label per image.
    static func check(_ split: Split, kind: Kind) throws {
        guard split.pixels.count == split.count * imageBytes else {
            throw EngineError("CIFAR: \(split.pixels.count) pixel bytes for \(split.count) images (need \(imageBytes) each)")
        }
        if let bad = split.labels.firstIndex(where: { !(0..<Int32(kind.classes)).contains($0) }) {
            throw EngineError("CIFAR: label \(split.labels[bad]) of image \(bad) is out of range 0...\(kind.classes - 1)")
        }
        guard kind == .cifar100 else { return }
        guard let coarse = split.coarseLabels, coarse.count == split.count else {
            throw EngineError("CIFAR-100: every image needs a coarse label")
        }
        if let bad = coarse.firstIndex(where: { !(0..<Int32(coarseClasses)).contains($0) }) {
            throw EngineError("CIFAR-100: coarse label \(coarse[bad]) of image \(bad) is out of range 0...\(coarseClasses - 1)")
        }
    }

    /// The bytes of a CIFAR file holding `split`. CIFAR-100 needs coarse labels.
    public static func encode(_ split: Split, kind: Kind) throws -> [UInt8] {
        try check(split, kind: kind)
        var out = [UInt8]()
        out.reserveCapacity(split.count * kind.recordBytes)
        for i in 0..<split.count {
            if kind == .cifar100, let coarse = split.coarseLabels { out.append(UInt8(coarse[i])) }
            out.append(UInt8(split.labels[i]))
            out += split.pixels[(i * imageBytes)..<((i + 1) * imageBytes)]
        }
        return out
    }

    /// Writes `train` and `test` into `folder` under the official file names, the
    /// training images spread over the five CIFAR-10 batches (the first batches
    /// take the remainder), atomically file by file.
    public static func writeFolder(_ folder: String, kind: Kind, train: Split, test: Split) throws {
        func path(_ file: String) -> String { (folder as NSString).appendingPathComponent(file) }
        try check(train, kind: kind)
        try check(test, kind: kind)
        let parts = kind.trainFiles.count
        var from = 0
        for (k, file) in kind.trainFiles.enumerated() {
            let n = train.count / parts + (k < train.count % parts ? 1 : 0)
            let piece = Split(pixels: Array(train.pixels[(from * imageBytes)..<((from + n) * imageBytes)]),
                              labels: Array(train.labels[from..<(from + n)]),
                              coarseLabels: train.coarseLabels.map { Array($0[from..<(from + n)]) })
            try writeAtomically(try encode(piece, kind: kind), to: path(file))
            from += n
        }
        try writeAtomically(try encode(test, kind: kind), to: path(kind.testFiles[0]))
    }

    // MARK: As a data set

    /// The files as an engine `Dataset`: each image flattened to 3072 features in
    /// channel-major order and scaled from 0...255 to [0, 1]; CIFAR-100 uses the fine labels.
    public static func dataset(_ files: Files, name: String) throws -> Dataset {
        func split(_ s: Split) throws -> TicketsEngine.Split {
            try TicketsEngine.Split(storage: .bytes(s.pixels, scale: 1 / 255), labels: s.labels, sampleSize: imageBytes)
        }
        return try Dataset(name: name, source: files.folder, sampleShape: [3, 32, 32], classes: files.kind.classes,
                           train: split(files.train), test: split(files.test))
    }
}
