import Foundation

/// A classification data set held in memory: features (N, D) scaled to [0, 1] and
/// integer labels, for a train and a test split.
public final class Dataset {
    public let name: String
    public let source: String
    public let trainX: Tensor, trainY: [Int32]
    public let testX: Tensor, testY: [Int32]
    public let classes: Int

    public init(name: String, source: String, trainX: Tensor, trainY: [Int32], testX: Tensor, testY: [Int32], classes: Int) {
        self.name = name; self.source = source
        self.trainX = trainX; self.trainY = trainY; self.testX = testX; self.testY = testY
        self.classes = classes
    }

    public var features: Int { trainX.rowSize }

    /// Where Debian's `dataset-fashion-mnist` package puts its files.
    public static let fashionMNISTPath = "/usr/share/datasets/fashion-mnist"

    /// Loads an MNIST-format folder: train-images-idx3-ubyte, train-labels-idx1-ubyte,
    /// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each optionally with `.gz`.
    /// Pixels are scaled from 0...255 to [0, 1].
    public static func loadIDX(folder: String, name: String) throws -> Dataset {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) else {
            throw EngineError.io("\(folder): no such folder")
        }
        guard isDir.boolValue else { throw EngineError.io("\(folder) is a file; give the folder that holds the IDX files") }
        func file(_ stem: String) throws -> String {
            for candidate in [stem + ".gz", stem] {
                let p = (folder as NSString).appendingPathComponent(candidate)
                if FileManager.default.fileExists(atPath: p) { return p }
            }
            throw EngineError.io("\(folder): missing \(stem)(.gz)")
        }
        let trainImgPath = try file("train-images-idx3-ubyte"), trainLblPath = try file("train-labels-idx1-ubyte")
        let testImgPath = try file("t10k-images-idx3-ubyte"), testLblPath = try file("t10k-labels-idx1-ubyte")

        // The four files are independent: read and decode them on both cores.
        var results = [Result<IDXArray, Error>?](repeating: nil, count: 4)
        let paths = [trainImgPath, trainLblPath, testImgPath, testLblPath]
        results.withUnsafeMutableBufferPointer { out in
            parallelFor(4) { i in out[i] = Result { try IDX.read(path: paths[i], scale: i % 2 == 0 ? 1 / 255 : 1) } }
        }
        let arrays = try results.map { try $0!.get() }
        let (trImg, trLbl, teImg, teLbl) = (arrays[0], arrays[1], arrays[2], arrays[3])

        func images(_ a: IDXArray, _ path: String) throws -> Tensor {
            guard a.shape.count >= 2 else { throw EngineError.io("\(path): expected images (N×H×W), got shape \(a.shape)") }
            guard a.shape[0] > 0 else { throw EngineError.io("\(path): the file holds no images") }
            return Tensor(shape: [a.shape[0], a.shape.dropFirst().reduce(1, *)], data: a.values)
        }
        func labels(_ a: IDXArray, _ path: String, rows: Int) throws -> [Int32] {
            guard a.shape.count == 1 else { throw EngineError.io("\(path): expected labels (N), got shape \(a.shape)") }
            guard a.shape[0] == rows else {
                throw EngineError.io("\(path): \(a.shape[0]) labels for \(rows) images")
            }
            return try a.values.map { v in
                guard v >= 0, v < 1_048_576, v == v.rounded() else { throw EngineError.io("\(path): bad label \(v)") }
                return Int32(v)
            }
        }
        let trX = try images(trImg, trainImgPath), teX = try images(teImg, testImgPath)
        guard trX.rowSize == teX.rowSize else {
            throw EngineError.io("\(folder): train images have \(trX.rowSize) pixels but test images \(teX.rowSize)")
        }
        let trY = try labels(trLbl, trainLblPath, rows: trX.rows), teY = try labels(teLbl, testLblPath, rows: teX.rows)
        let classes = Int((trY + teY).max() ?? 0) + 1
        return Dataset(name: name, source: folder, trainX: trX, trainY: trY, testX: teX, testY: teY, classes: classes)
    }

    /// The first `train` training and `test` test examples (a quick subset).
    public func subset(train: Int, test: Int) -> Dataset {
        let a = min(train, trainX.rows), b = min(test, testX.rows)
        let d = features
        return Dataset(name: name, source: source,
                       trainX: Tensor(shape: [a, d], data: Array(trainX.data[0..<(a * d)])), trainY: Array(trainY[0..<a]),
                       testX: Tensor(shape: [b, d], data: Array(testX.data[0..<(b * d)])), testY: Array(testY[0..<b]),
                       classes: classes)
    }
}
