import Foundation
import TicketsEngine

/// The data sets `dataset` knows by name.
enum DatasetName: String, CaseIterable {
    case fashionMNIST = "fashion-mnist"
    /// Any MNIST-format folder; the other names are aliases that document intent.
    case idx, mnist, kmnist, emnist
    /// The CIFAR binary formats (`Data/CIFAR.swift`), from a folder the user gives.
    case cifar10, cifar100
    /// Modular arithmetic, generated (`Data/Modular.swift`): the grokking task.
    case modular

    var isCIFAR: Bool { self == .cifar10 || self == .cifar100 }
}

func dataBuiltins() -> [BuiltinGroup] {
    [BuiltinGroup("Data and nets", [
        Builtin("dataset", [
            .choice("name", DatasetName.self, .fashionMNIST, "which data set"),
            .optionalString("path", "the folder of its files (fashion-mnist: Debian's by default)"),
            .optionalInt("train", min: 1, "keep only the first N training examples"),
            .optionalInt("test", min: 1, "keep only the first N test examples"),
            .optionalInt("validation", min: 1, "hold out N training examples as a validation split"),
            .seed("seed", "seeds which examples are held out (modular: and the train/test split)"),
            .int("p", 67, min: 2, max: Dataset.maxModulus, "modular: the modulus (the pairs a, b run over 0..p−1)"),
            .choice("op", ModularOperation.self, .add, "modular: the operation; / needs a prime p"),
            .number("train_fraction", 0.4, Bounds(lower: 0, lowerOpen: true, upper: 1, upperOpen: true), "modular: the fraction of the pairs to train on"),
            .bool("symmetric", false, "modular: only the pairs a ≤ b (for + and *), as the Grokking Tickets code"),
            .bool("tokens", false, "modular: each sample is [a, b] as two tokens (for embedding()), not 2p one-hot features"),
            Param("normalize", .bool, default: .null, "standardise each channel with the training split's mean and std (default: true for CIFAR, false otherwise)"),
            .preset,
        ], doc: """
        Loads a classification data set into memory, pixels scaled to [0, 1].
        validation=N holds out N training examples, chosen at random with seed (not
        stratified), for early stopping; the LTH paper holds out 5,000 (§2).
          dataset("fashion-mnist")          Debian's dataset-fashion-mnist package (\(Dataset.fashionMNISTPath))
          dataset("fashion-mnist", path)    the same files from another folder
          dataset("idx", "/data/mnist")     any MNIST-format folder (train-images-idx3-ubyte[.gz], ...)
          dataset("cifar10", path)          CIFAR-10's binary version: the folder cifar-10-batches-bin
                                            (data_batch_1.bin ... data_batch_5.bin, test_batch.bin) or its parent
          dataset("cifar100", path)         CIFAR-100's: cifar-100-binary (train.bin, test.bin), fine labels
          dataset("modular", p=67, op="+", train_fraction=0.4, seed=0)
                                            every pair (a, b) of 0..p−1 labelled (a op b) mod p, as 2p one-hot
                                            features (a's, then b's), p classes; the pairs shuffled with seed,
                                            the first ⌊fraction·p²⌋ to train (the grokking task: Power et al. 2022;
                                            Minegishi et al., "Grokking Tickets", 2023, with p = 67 and 40%)
          dataset("modular", symmetric=true, tokens=true)
                                            the paper's own form: only pairs a ≤ b (2,278 for p = 67, 911 to
                                            train), each sample the tokens [a, b] for embedding()
        CIFAR is not on the machine: download cifar-10-binary.tar.gz (or cifar-100-binary.tar.gz)
        from https://www.cs.toronto.edu/~kriz/cifar.html, unpack it anywhere and give that folder.
        Images keep their shape (1×28×28, 3×32×32); MLPs read them flat. With normalize
        (the default for CIFAR) every channel is standardised with the mean and std of
        the training split (after any validation hold-out), and the test and validation
        splits use those same statistics.
        train= and test= keep only the first N examples of each split (quick runs).
        Members: name, train, test, validation, features, shape, classes, source, mean, std.
        """) { a in
            let name = try a.choice("name", DatasetName.self)
            if name == .modular {
                guard !a.has("path") else { throw a.fail("path", "is not used: the modular data set is generated") }
                var data = try Dataset.modular(p: try a.int("p"), op: try a.choice("op", ModularOperation.self),
                                               trainFraction: try a.number("train_fraction"), seed: try a.seed(),
                                               symmetric: try a.bool("symmetric"), tokens: try a.bool("tokens"))
                if let v = try a.optionalInt("validation") { data = try data.holdingOut(validation: v, seed: try a.seed()) }
                let obj = DatasetObject(data)
                a.ctx.announce(obj.describe())
                return .object(obj)
            }
            let path: String
            if name == .fashionMNIST {
                path = try a.optionalString("path") ?? Dataset.fashionMNISTPath
                if path == Dataset.fashionMNISTPath && !FileManager.default.fileExists(atPath: path) {
                    throw EngineError.io("\(path) not found; install Debian's package: apt-get install dataset-fashion-mnist")
                }
            } else if name.isCIFAR {
                guard let p = try a.optionalString("path"), !p.isEmpty else {
                    throw a.fail("\(name.rawValue) needs the folder of its binary files: dataset(\"\(name.rawValue)\", \"/data/\(name == .cifar10 ? "cifar-10-batches-bin" : "cifar-100-binary")\") (download them from https://www.cs.toronto.edu/~kriz/cifar.html)")
                }
                path = p
            } else {
                guard let p = try a.optionalString("path") else {
                    throw a.fail("\(name.rawValue) needs a path to an MNIST-format folder: dataset(\"idx\", \"/path/to/folder\")")
                }
                guard !p.isEmpty else { throw a.fail("path", "is empty; give the folder of the IDX files") }
                path = p
            }
            var data: Dataset
            if name.isCIFAR {
                let files = try CIFAR.load(folder: path)
                guard (files.kind == .cifar10) == (name == .cifar10) else {
                    throw EngineError.io("\(files.folder) holds \(files.kind == .cifar10 ? "CIFAR-10" : "CIFAR-100") files, not \(name == .cifar10 ? "CIFAR-10" : "CIFAR-100"); use dataset(\"\(files.kind == .cifar10 ? "cifar10" : "cifar100")\", ...)")
                }
                data = try CIFAR.dataset(files, name: name.rawValue)
            } else {
                data = try Dataset.loadIDX(folder: path, name: name == .idx ? (path as NSString).lastPathComponent : name.rawValue)
            }
            if a.has("train") || a.has("test") {
                data = try data.subset(train: try a.optionalInt("train") ?? data.train.count,
                                       test: try a.optionalInt("test") ?? data.test.count)
            }
            if let v = try a.optionalInt("validation") { data = try data.holdingOut(validation: v, seed: try a.seed()) }
            if a.has("normalize") ? try a.bool("normalize") : name.isCIFAR { data = try data.normalizedPerChannel() }
            let obj = DatasetObject(data)
            a.ctx.announce(obj.describe())
            return .object(obj)
        },
    ])]
}
