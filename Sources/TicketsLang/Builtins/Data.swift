import Foundation
import TicketsEngine

/// The data sets `dataset` knows by name.
enum DatasetName: String, CaseIterable {
    case fashionMNIST = "fashion-mnist"
    /// Any MNIST-format folder; the other names are aliases that document intent.
    case idx, mnist, kmnist, emnist
}

func dataBuiltins() -> [BuiltinGroup] {
    [BuiltinGroup("Data and nets", [
        Builtin("dataset", [
            .choice("name", DatasetName.self, .fashionMNIST, "which data set"),
            .optionalString("path", "the folder of its files (fashion-mnist: Debian's by default)"),
            .optionalInt("train", min: 1, "keep only the first N training examples"),
            .optionalInt("test", min: 1, "keep only the first N test examples"),
            .optionalInt("validation", min: 1, "hold out N training examples as a validation split"),
            .seed("seed", "seeds which examples are held out"),
            .preset,
        ], doc: """
        Loads a classification data set into memory, pixels scaled to [0, 1].
        validation=N holds out N training examples, chosen at random with seed (not
        stratified), for early stopping; the LTH paper holds out 5,000 (§2).
          dataset("fashion-mnist")          Debian's dataset-fashion-mnist package (\(Dataset.fashionMNISTPath))
          dataset("fashion-mnist", path)    the same files from another folder
          dataset("idx", "/data/mnist")     any MNIST-format folder (train-images-idx3-ubyte[.gz], ...)
        train= and test= keep only the first N examples of each split (quick runs).
        Members: name, train, test, validation, features, shape, classes, source.
        """) { a in
            let name = try a.choice("name", DatasetName.self)
            let path: String
            if name == .fashionMNIST {
                path = try a.optionalString("path") ?? Dataset.fashionMNISTPath
                if path == Dataset.fashionMNISTPath && !FileManager.default.fileExists(atPath: path) {
                    throw EngineError.io("\(path) not found; install Debian's package: apt-get install dataset-fashion-mnist")
                }
            } else {
                guard let p = try a.optionalString("path") else {
                    throw a.fail("\(name.rawValue) needs a path to an MNIST-format folder: dataset(\"idx\", \"/path/to/folder\")")
                }
                guard !p.isEmpty else { throw a.fail("path", "is empty; give the folder of the IDX files") }
                path = p
            }
            var data = try Dataset.loadIDX(folder: path, name: name == .idx ? (path as NSString).lastPathComponent : name.rawValue)
            if a.has("train") || a.has("test") {
                data = try data.subset(train: try a.optionalInt("train") ?? data.train.count,
                                       test: try a.optionalInt("test") ?? data.test.count)
            }
            if let v = try a.optionalInt("validation") { data = try data.holdingOut(validation: v, seed: try a.seed()) }
            let obj = DatasetObject(data)
            a.ctx.announce(obj.describe())
            return .object(obj)
        },
    ])]
}
