import Foundation

extension Dataset {
    /// Where Debian's `dataset-fashion-mnist` package puts its files.
    public static let fashionMNISTPath = "/usr/share/datasets/fashion-mnist"

    /// Loads an MNIST-format folder: train-images-idx3-ubyte, train-labels-idx1-ubyte,
    /// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each optionally with `.gz`.
    /// Pixel bytes are kept as bytes and read as value/255 in [0, 1]; each sample is
    /// one channel, [1, H, W].
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
        let paths = [try file("train-images-idx3-ubyte"), try file("train-labels-idx1-ubyte"),
                     try file("t10k-images-idx3-ubyte"), try file("t10k-labels-idx1-ubyte")]

        // The four files are independent: read and decode them on both cores.
        var results = [Result<IDXArray, Error>?](repeating: nil, count: 4)
        results.withUnsafeMutableBufferPointer { out in
            parallelFor(4) { i in out[i] = Result { try IDX.read(path: paths[i]) } }
        }
        let arrays = try results.map { try $0!.get() }

        func images(_ a: IDXArray, _ path: String) throws -> (storage: Split.Storage, shape: [Int]) {
            guard a.shape.count >= 2 else { throw EngineError.io("\(path): expected images (N×H×W), got shape \(a.shape)") }
            guard a.shape[0] > 0 else { throw EngineError.io("\(path): the file holds no images") }
            let shape = a.shape.count == 3 ? [1] + a.shape.dropFirst() : Array(a.shape.dropFirst())
            switch a.storage {
            case .bytes(let b): return (.bytes(b, scale: 1 / 255), shape)
            case .floats(let f): return (.floats(f.map { $0 / 255 }), shape)
            }
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
        let train = try images(arrays[0], paths[0]), test = try images(arrays[2], paths[2])
        guard train.shape == test.shape else {
            throw EngineError.io("\(folder): train images are \(shapeText(train.shape)) but test images \(shapeText(test.shape))")
        }
        let trY = try labels(arrays[1], paths[1], rows: arrays[0].shape[0])
        let teY = try labels(arrays[3], paths[3], rows: arrays[2].shape[0])
        let classes = Int((trY + teY).max() ?? 0) + 1
        let size = train.shape.reduce(1, *)
        return try Dataset(name: name, source: folder, sampleShape: train.shape, classes: classes,
                           train: Split(storage: train.storage, labels: trY, sampleSize: size),
                           test: Split(storage: test.storage, labels: teY, sampleSize: size))
    }
}
