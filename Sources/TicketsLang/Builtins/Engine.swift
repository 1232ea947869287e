import Foundation
import TicketsEngine

/// The builtins that bind the engine. Each is a thin binding: check and convert the
/// arguments, make one engine call, return a value.
func engineBuiltins() -> [Builtin] {
    dataBuiltins() + netBuiltins() + trainBuiltins() + pruneBuiltins() + fileBuiltins() + settingBuiltins()
}

// MARK: - argument helpers shared by the engine bindings

extension Args {
    func net(_ name: String = "net") throws -> NetObject {
        try object(name, as: NetObject.self, what: "net (made by mlp)")
    }
    func mask(_ name: String) throws -> Mask {
        let v = try value(name)
        if case .object(let o) = v {
            if let m = o as? MaskObject { return m.mask }
            if let n = o as? NetObject { return Mask(of: n.net) }
        }
        throw fail(name, "must be a mask (from prune or random_mask) or a net, got \(describeBrief(v))")
    }
    func dataset(_ name: String = "data") throws -> Dataset {
        try object(name, as: DatasetObject.self, what: "data set (from dataset)").data
    }
    func seed(_ name: String = "seed") throws -> UInt64 {
        let s = try int(name, default: 0)
        guard s >= 0 else { throw fail(name, "must be a whole number ≥ 0, got \(s)") }
        return UInt64(s)
    }
    /// A per-layer table of fractions from a record `{fc3: 0.1}`. `ignoring` names
    /// fields that are not layers (a density record's `total`).
    func layerFractions(_ name: String, net: Network, allowOne: Bool, ignoring: Set<String> = []) throws -> [String: Double] {
        guard let r = try record(name) else { return [:] }
        var out: [String: Double] = [:]
        for (k, v) in r.fields where !ignoring.contains(k) {
            guard net.layer(named: k) != nil else {
                throw fail(name, "names a layer '\(k)' the net does not have (it has \(net.linears.map(\.name).joined(separator: ", ")))")
            }
            guard case .number(let x) = v else { throw fail(name, "must map layer names to numbers, got \(k): \(describeBrief(v))") }
            guard x >= 0, allowOne ? x <= 1 : x < 1 else {
                throw fail(name, "\(k) must be in [0, \(allowOne ? "1]" : "1)"), got \(formatNumber(x))")
            }
            out[k] = x
        }
        return out
    }
    /// Runs an engine call, turning its errors into located ones for this builtin.
    func engine<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as EngineError {
            throw TicketsError(e.isIO ? .io : .runtime, "\(builtin.name): \(e.message)", at: callLoc)
        }
    }
}

// MARK: - data

func dataBuiltins() -> [Builtin] {
    [Builtin("dataset", params: ["name", "path", "train", "test"],
             signature: "dataset(name=\"fashion-mnist\", path=nil, train=nil, test=nil)",
             doc: """
             Loads a classification data set into memory, pixels scaled to [0, 1].
               dataset("fashion-mnist")          Debian's dataset-fashion-mnist package (\(Dataset.fashionMNISTPath))
               dataset("fashion-mnist", path)    the same files from another folder
               dataset("idx", "/data/mnist")     any MNIST-format folder (train-images-idx3-ubyte[.gz], ...)
             train= and test= keep only the first N examples of each split (quick runs).
             Members: name, train, test, features, classes, source.
             """) { a in
        let name = try a.string("name", default: "fashion-mnist")
        let path: String
        switch name {
        case "fashion-mnist":
            path = try a.string("path", default: Dataset.fashionMNISTPath)
        case "idx", "mnist", "kmnist", "emnist":
            guard a.has("path") else { throw a.fail("\(name) needs a path to an MNIST-format folder: dataset(\"idx\", \"/path/to/folder\")") }
            path = try a.string("path")
            guard !path.isEmpty else { throw a.fail("path", "is empty; give the folder of the IDX files") }
        default:
            throw a.fail("name", "must be \"fashion-mnist\" or \"idx\" (with a path), got \(quoteString(name))")
        }
        var data = try a.engine {
            do { return try Dataset.loadIDX(folder: path, name: name == "idx" ? (path as NSString).lastPathComponent : name) }
            catch let e as EngineError where name == "fashion-mnist" && path == Dataset.fashionMNISTPath && e.message.contains("no such folder") {
                throw EngineError.io("\(path) not found; install Debian's package: apt-get install dataset-fashion-mnist")
            }
        }
        if a.has("train") || a.has("test") {
            let tr = try a.int("train", default: data.trainX.rows, min: 1), te = try a.int("test", default: data.testX.rows, min: 1)
            data = data.subset(train: tr, test: te)
        }
        let obj = DatasetObject(data)
        a.ctx.announce(obj.describe())
        return .object(obj)
    }]
}

// MARK: - nets

func netBuiltins() -> [Builtin] {
    [
        Builtin("mlp", params: ["sizes", "init", "seed"], signature: "mlp(sizes, init=\"glorot\", seed=0)",
                doc: """
                A multilayer perceptron: Linear layers fc1, fc2, ... with ReLU between.
                mlp([784, 300, 100, 10]) is the LTH paper's LeNet-300-100.
                init: "glorot" (normal, the paper's), "kaiming" (normal), "torch" (PyTorch's default uniform).
                Members: layers, sizes, parameters, weights, step, init, seed, mask.
                """) { a in
            let v = try a.value("sizes")
            guard case .list(let l) = v, l.items.count >= 2 else {
                throw a.fail("sizes", "must be a list of at least two layer sizes like [784, 300, 100, 10], got \(describeBrief(v))")
            }
            let sizes = try l.items.map { item -> Int in
                guard case .number(let x) = item, x == x.rounded(), x >= 1, x <= 16_777_216 else {
                    throw a.fail("sizes", "must hold whole numbers between 1 and 16777216, got \(item.repr)")
                }
                return Int(x)
            }
            let initName = try a.string("init", default: "glorot")
            guard let initializer = Initializer(rawValue: initName) else {
                throw a.fail("init", "must be one of \(Initializer.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")), got \(quoteString(initName))")
            }
            let weights = zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 }
            guard weights <= 1 << 26 else { throw a.fail("sizes", "give a net of \(grouped(weights)) weights; the limit is \(grouped(1 << 26))") }
            let net = try a.engine { try Network.mlp(sizes, initializer: initializer, seed: a.seed()) }
            let obj = NetObject(net, sizes: sizes)
            a.ctx.announce(obj.describe())
            return .object(obj)
        },
        Builtin("snapshot", params: ["net"],
                doc: """
                A copy of every weight and bias of the net, to rewind to later. Take it before
                training for the original LTH (rewind to init), or after k steps of training
                for late rewinding (train(net, data, steps=k) then snapshot(net)).
                """) { a in
            .object(SnapshotObject(Snapshot(of: try a.net().net)))
        },
        Builtin("rewind", params: ["net", "snapshot"],
                doc: """
                Restores the net's weights and biases to a snapshot and keeps its current mask:
                pruned weights stay zero, survivors get their snapshot values.
                """) { a in
            let net = try a.net().net
            let s = try a.object("snapshot", as: SnapshotObject.self, what: "snapshot (from snapshot(net))")
            try a.engine { try s.snapshot.restore(into: net) }
            return .null
        },
        Builtin("reinit", params: ["net", "seed"], signature: "reinit(net, seed=0)",
                doc: """
                Draws the net's weights and biases afresh from its initialiser (with seed) and
                keeps its current mask: the random re-initialisation control of the LTH paper.
                """) { a in
            let n = try a.net().net
            n.reinitialize(seed: try a.seed())
            return .null
        },
    ]
}

// MARK: - training

func trainBuiltins() -> [Builtin] {
    [
        Builtin("train", params: ["net", "data", "epochs", "lr", "batch", "optimizer", "momentum", "weight_decay",
                                  "seed", "steps", "eval", "quiet"],
                signature: "train(net, data, epochs=1, lr=0.1, batch=60, optimizer=\"sgd\", momentum=0, weight_decay=0, seed=0, steps=nil, eval=false, quiet=false)",
                doc: """
                Trains the net on the data set's training split with shuffled mini-batches
                (epoch e shuffles with stream e of seed). optimizer: "sgd" or "adam".
                steps= stops after that many steps in all. eval=true measures test accuracy
                after each epoch. Masked weights stay exactly zero. Returns a table with one
                row per epoch: epoch, steps, loss, train_acc, seconds (and acc, test_loss).
                Ctrl-C stops at the end of the current step; the net keeps its weights.
                """) { a in
            let net = try a.net().net
            let data = try a.dataset()
            if net.linears.contains(where: { l in !l.weight.data.allSatisfy(\.isFinite) || !l.bias.data.allSatisfy(\.isFinite) }) {
                throw a.fail("net", "has weights that are not finite (an earlier run diverged); rewind(net, snapshot) or reinit(net) first")
            }
            var cfg = TrainConfig()
            cfg.epochs = try a.int("epochs", default: 1, min: 1)
            cfg.lr = try a.number("lr", default: 0.1)
            guard cfg.lr > 0 else { throw a.fail("lr", "must be positive, got \(formatNumber(cfg.lr))") }
            cfg.batch = try a.int("batch", default: 60, min: 1)
            let opt = try a.string("optimizer", default: "sgd")
            guard let method = TrainConfig.Method(rawValue: opt) else {
                throw a.fail("optimizer", "must be \"sgd\" or \"adam\", got \(quoteString(opt))")
            }
            cfg.method = method
            cfg.momentum = try a.number("momentum", default: 0)
            guard cfg.momentum >= 0, cfg.momentum < 1 else { throw a.fail("momentum", "must be in [0, 1), got \(formatNumber(cfg.momentum))") }
            cfg.weightDecay = try a.number("weight_decay", default: 0)
            guard cfg.weightDecay >= 0 else { throw a.fail("weight_decay", "must be ≥ 0, got \(formatNumber(cfg.weightDecay))") }
            cfg.seed = try a.seed()
            if a.has("steps") { cfg.steps = try a.int("steps", min: 1) }
            cfg.evalEachEpoch = try a.bool("eval", default: false)
            let quiet = try a.bool("quiet", default: false)
            let ctx = a.ctx
            let bar = ProgressBar(terminal: ctx.isTerminal)
            let history = try a.engine {
                try Trainer.train(net, on: data, cfg, progress: quiet ? nil : { p in
                    if p.done || ctx.isTerminal { ctx.progress(bar.line(p), redraw: true, done: p.done) }
                }, shouldStop: { ctx.interrupted })
            }
            let t = Table(columns: ["epoch", "steps", "loss", "train_acc", "seconds"] + (cfg.evalEachEpoch ? ["acc", "test_loss"] : []),
                          formats: ["loss": "%.4f", "train_acc": "%.4f", "seconds": "%.2f", "acc": "%.4f", "test_loss": "%.4f"])
            for r in history {
                var row: [(String, Value)] = [("epoch", .int(r.epoch)), ("steps", .int(r.steps)), ("loss", .number(r.loss)),
                                              ("train_acc", .number(r.trainAcc)), ("seconds", .number(r.seconds))]
                if let acc = r.testAcc, let l = r.testLoss { row += [("acc", .number(acc)), ("test_loss", .number(l))] }
                try t.add(RecordRef(row))
            }
            return .object(t)
        },
        Builtin("evaluate", params: ["net", "data", "split"], signature: "evaluate(net, data, split=\"test\")",
                doc: "Accuracy and mean cross-entropy loss of the net on a split (\"test\" or \"train\"): a record {acc, loss}.") { a in
            let net = try a.net().net
            let data = try a.dataset()
            let splitName = try a.string("split", default: "test")
            guard let split = Trainer.Split(rawValue: splitName) else {
                throw a.fail("split", "must be \"test\" or \"train\", got \(quoteString(splitName))")
            }
            guard data.features == net.inputSize else {
                throw a.fail("the net takes \(net.inputSize) inputs but the data set has \(data.features) features")
            }
            guard data.classes <= net.outputSize else {
                throw a.fail("the data set has \(data.classes) classes but the net has only \(net.outputSize) outputs")
            }
            let r = Trainer.evaluate(net, on: data, split: split)
            return .record(RecordRef([("acc", .number(r.acc)), ("loss", .number(r.loss))], style: { rec, state in
                "{" + rec.fields.map { k, v in
                    if case .number(let x) = v, x.isFinite { return "\(k): \(String(format: "%.4f", x))" }
                    return "\(k): \(v.repr(state))"
                }.joined(separator: ", ") + "}"
            }))
        },
    ]
}

/// "epoch 1/2 [██████████░░░░░░░░░░░░] 450/1000  loss 0.452  0.4 s"
struct ProgressBar {
    var terminal: Bool
    func line(_ p: TrainProgress) -> String {
        let width = 22
        let filled = p.stepsInEpoch == 0 ? width : min(width, width * p.step / p.stepsInEpoch)
        let bar = String(repeating: "█", count: filled) + String(repeating: terminal ? "░" : " ", count: width - filled)
        return "epoch \(p.epoch)/\(p.epochs) [\(bar)] \(p.step)/\(p.stepsInEpoch)  loss \(String(format: "%.3f", p.loss))  \(String(format: "%.1f", p.seconds)) s"
    }
}
