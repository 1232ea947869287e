import TicketsEngine

/// The learning-rate schedules `train` takes by name.
enum ScheduleName: String, CaseIterable { case constant, step, cosine }

func trainingBuiltins() -> [BuiltinGroup] {
    let d = TrainConfig()
    return [BuiltinGroup("Training", [
        Builtin("train", [
            .net("net", "the net to train (in place)"),
            .dataset("data", "its training split is used"),
            .int("epochs", d.epochs, min: 1, "passes over the training split"),
            .optionalInt("steps", min: 1, "iterations in all, across epochs (then epochs is not used)"),
            .number("lr", d.lr, .positive, "learning rate (the schedule's base rate)"),
            .int("batch", d.batch, min: 1, "examples per step (the LTH paper's LeNet: 60)"),
            .choice("optimizer", TrainConfig.Method.self, d.method, "sgd; adam (the LTH paper's LeNet: 1.2e-3); adamw (decoupled weight decay)"),
            .number("momentum", d.momentum, .unitOpen, "SGD momentum"),
            .bool("nesterov", d.nesterov, "Nesterov momentum (SGD)"),
            .number("weight_decay", d.weightDecay, .nonNegative, "L2 penalty added to the gradient (adamw: decoupled decay)"),
            .number("beta1", d.beta1, .unitOpen, "Adam's first-moment decay"),
            .number("beta2", d.beta2, .unitOpen, "Adam's second-moment decay"),
            .choice("schedule", ScheduleName.self, .constant, "learning rate over iterations: constant, step (× gamma at each milestone), cosine"),
            .any("milestones", what: "list of whole numbers", default: .list([]), "iterations where the step schedule multiplies the rate by gamma"),
            .number("gamma", 0.1, .positive, "the step schedule's factor"),
            .optionalInt("total", min: 1, "the iteration where cosine reaches min_lr (default: the end of this call)"),
            .number("min_lr", 0, .nonNegative, "cosine's final rate"),
            .int("warmup", d.warmup, min: 0, "iterations of linear warm-up from the net's iteration 0"),
            .seed("seed", default: d.seed, "seeds the data order, apart from the init (epoch e shuffles with stream e)"),
            .bool("eval", d.evalEachEpoch, "measure test accuracy after each epoch"),
            .optionalInt("eval_every", min: 1, "evaluate validation (if any) and test every N iterations: one row each"),
            .any("snapshot_at", what: "list of whole numbers", default: .list([]), "iterations at which to take snapshots (late rewinding)"),
            .bool("fresh_optimizer", d.freshOptimizer, "start a new optimizer instead of continuing the net's"),
            .choice("sparse", SparsePolicy.self, d.sparse, "train masked linear weights on their kept values only: auto (below 23% kept on AVX-512 kernels, 40% on AVX2: where it measured faster), always, never"),
            .choice("augment", Augmentation.self, d.augment, "\"crop+flip\": each training image is cut at a random offset from its 4-pixel zero-padded copy and mirrored with probability ½ (CIFAR's standard augmentation)"),
            .bool("quiet", false, "no progress line"),
            .optionalString("label", "text before the progress bar (imp: \"level 2/5\")"),
            .bool("transient", false, "the bar leaves no line per epoch (on a terminal it is redrawn; elsewhere nothing is written): a caller such as imp writes its own line"),
            .preset,
        ], doc: """
        Trains the net on the data set's training split with shuffled mini-batches,
        continuing where it stands: the data order follows the net's iteration count
        (net.step) and the net keeps its optimizer, so train(epochs=1) twice equals
        train(epochs=2) bit for bit. rewind and reinit reset the optimizer. Masked
        weights stay exactly zero. Ctrl-C stops at the end of the current step.
        Batch norm uses each batch's statistics here (evaluate uses the running ones);
        dropout and augment="crop+flip" draw from streams of the iteration and the data
        seed, so they too repeat exactly and continue across calls.
        Returns a table with one row per epoch (epoch, steps, loss, train_acc,
        seconds; acc and test_loss with eval=true); with eval_every, one row per
        evaluation instead (iteration, epoch, loss, val_loss, val_acc, acc, test_loss);
        with snapshot_at, a record {history, snapshots}.
        """) { a in
            let net = try a.net(), data = try a.dataset()
            let cfg = try a.trainConfig()
            let ctx = a.ctx
            let bar = ProgressBar(terminal: ctx.isTerminal)
            let result: TrainResult
            do {
                let prefix = try a.optionalString("label").map { $0 + "  " } ?? "", transient = try a.bool("transient")
                result = try Trainer.train(net, on: data, cfg, progress: try a.bool("quiet") ? nil : { p in
                    if transient {
                        if ctx.isTerminal { ctx.progress(prefix + bar.line(p), redraw: true, done: false) }
                    } else if p.done || ctx.isTerminal {
                        ctx.progress(prefix + bar.line(p), redraw: true, done: p.done)
                    }
                }, shouldStop: { ctx.interrupted })
            } catch let stop as Interrupted<TrainResult> {
                // The finished epochs (or evaluations) are kept: the statement binds them.
                let r = stop.partial
                let rows = cfg.evalEvery != nil ? r.evaluations.count : r.epochs.count
                let noun = cfg.evalEvery != nil ? "evaluation" : "epoch"
                ctx.interruptedWith(.object(cfg.evalEvery != nil ? evaluationTable(r) : epochTable(r, eval: cfg.evalEachEpoch)),
                                    "the \(rows) finished \(noun)\(rows == 1 ? "" : "s")")
                throw a.fail(stop.message)
            }
            let history = cfg.evalEvery != nil ? evaluationTable(result) : epochTable(result, eval: cfg.evalEachEpoch)
            if cfg.snapshotAt.isEmpty { return .object(history) }
            return .record([("history", .object(history)),
                            ("snapshots", .list(result.snapshots.map { .object(SnapshotObject($0)) }))])
        },
        Builtin("evaluate", [
            .net("net", "the net to measure"),
            .dataset("data", "the data set"),
            .choice("split", Trainer.SplitName.self, .test, "which split"),
            .bool("confusion", false, "add the confusion matrix (a table: rows true class, columns predicted)"),
        ], doc: """
        The net on a split, in evaluation mode: a record {acc, loss, ece, per_class}.
        ece is the expected calibration error over 15 equal-width confidence bins (Guo
        et al. 2017, as in "Reprogramming under constraints" for tickets); per_class
        is each class's recall (nan for a class with no examples).
        """) { a in
            let ctx = a.ctx
            let e = try Trainer.evaluate(try a.net(), on: try a.dataset(), split: try a.choice("split", Trainer.SplitName.self),
                                         shouldStop: { ctx.interrupted })
            var fields: [(String, Value)] = [("acc", .number(e.acc)), ("loss", .number(e.loss)), ("ece", .number(e.ece)),
                                              ("per_class", .list(e.perClass.map { .number($0) }))]
            if try a.bool("confusion") { fields.append(("confusion", .object(confusionTable(e)))) }
            return .record(RecordRef(fields, style: { rec, state in
                "{" + rec.fields.filter { $0.0 != "per_class" && $0.0 != "confusion" }.map { k, v in
                    if case .number(let x) = v, x.isFinite { return "\(k): \(String(format: "%.4f", x))" }
                    return "\(k): \(v.repr(state))"
                }.joined(separator: ", ") + "}"
            }))
        },
        Builtin("preset", [.choice("name", Preset.all.map(\.name), nil, "which paper's setting")], doc: """
        The settings of a paper's experiment, as a record that dataset, mlp, conv, train
        and imp take with preset=...; arguments given explicitly override it.
          "lth-lenet"      Frankle & Carbin, ICLR 2019, §2: LeNet-300-100, Glorot, Adam
                           1.2e-3, batch 60, 50K iterations, 5K validation images,
                           pruning 20% (fc1, fc2) and 10% (output) a level
          "lth-lenet-sgd"  the primer's Fashion-MNIST reference: SGD 0.1, 5 epochs a level
          "lth-conv2"      Frankle & Carbin 2019, Figure 2: Conv-2, Glorot, Adam 2e-4, batch 60,
                           20K iterations, 5K validation images, pruning 10% (convolutions),
                           20% (fully connected) and 10% (output) a level
          "lth-conv4"      the same for Conv-4: Adam 3e-4, 25K iterations, convolutions 10%
          "lth-conv6"      the same for Conv-6: Adam 3e-4, 30K iterations, convolutions 15%
        conv(preset=p) takes its depth: conv(data=d, preset=preset("lth-conv2")).
        """) { a in
            let p = try Preset.named(try a.string("name"))
            var fields: [(String, Value)] = [("preset", .string(p.name))]
            for (k, v) in p.settings {
                switch v {
                case .number(let x): fields.append((k, .number(x)))
                case .text(let s): fields.append((k, .string(s)))
                case .numbers(let xs): fields.append((k, .list(xs.map { .number($0) })))
                }
            }
            fields.append(("source", .string(p.source)))
            return .record(fields)
        },
    ])]
}

extension Args {
    /// The training settings of a train call (also read by imp through check_args).
    func trainConfig() throws -> TrainConfig {
        var cfg = TrainConfig()
        cfg.epochs = try int("epochs")
        cfg.steps = try optionalInt("steps")
        cfg.lr = try number("lr")
        cfg.batch = try int("batch")
        cfg.method = try choice("optimizer", TrainConfig.Method.self)
        cfg.momentum = try number("momentum")
        cfg.nesterov = try bool("nesterov")
        cfg.weightDecay = try number("weight_decay")
        cfg.beta1 = try number("beta1"); cfg.beta2 = try number("beta2")
        cfg.warmup = try int("warmup")
        cfg.seed = try seed()
        cfg.evalEachEpoch = try bool("eval")
        cfg.evalEvery = try optionalInt("eval_every")
        cfg.snapshotAt = try wholeNumberList("snapshot_at")
        cfg.freshOptimizer = try bool("fresh_optimizer")
        cfg.sparse = try choice("sparse", SparsePolicy.self)
        cfg.augment = try choice("augment", Augmentation.self)
        switch try choice("schedule", ScheduleName.self) {
        case .constant: cfg.schedule = .constant
        case .step: cfg.schedule = .step(milestones: try wholeNumberList("milestones"), gamma: try number("gamma"))
        case .cosine:
            let total: Int
            if let t = try optionalInt("total") { total = t } else {
                // The end of this call: the net's iteration count plus this call's steps.
                let data = try dataset(), n = data.train.count, b = min(cfg.batch, max(n, 1))
                total = try net().step + (cfg.steps ?? cfg.epochs * ((n + b - 1) / b))
            }
            cfg.schedule = .cosine(total: total, minimum: try number("min_lr"))
        }
        return cfg
    }

    /// A list of whole numbers ≥ 0 (iterations).
    func wholeNumberList(_ name: String) throws -> [Int] {
        guard case .list(let l) = try value(name) else { throw fail(name, "must be a list of iterations like [500, 1000], got \(describeBrief(try value(name)))") }
        return try l.items.map { item in
            guard case .number(let x) = item, x == x.rounded(), x >= 0, x <= 9_007_199_254_740_992 else {
                throw fail(name, "must hold whole numbers ≥ 0 (iterations), got \(item.repr)")
            }
            return Int(x)
        }
    }
}

/// One row per epoch.
func epochTable(_ r: TrainResult, eval: Bool) -> Table {
    let t = Table(columns: ["epoch", "steps", "loss", "train_acc", "seconds"] + (eval ? ["acc", "test_loss"] : []),
                  formats: ["loss": "%.4f", "train_acc": "%.4f", "seconds": "%.2f", "acc": "%.4f", "test_loss": "%.4f"])
    for e in r.epochs {
        var row: [(String, Value)] = [("epoch", .int(e.epoch)), ("steps", .int(e.steps)), ("loss", .number(e.loss)),
                                      ("train_acc", .number(e.trainAcc)), ("seconds", .number(e.seconds))]
        if let acc = e.testAcc, let l = e.testLoss { row += [("acc", .number(acc)), ("test_loss", .number(l))] }
        t.appendRow(row)
    }
    return t
}

/// One row per evaluation (eval_every): the learning curve and the early-stop rows.
func evaluationTable(_ r: TrainResult) -> Table {
    let t = Table(columns: ["iteration", "epoch", "loss", "val_loss", "val_acc", "acc", "test_loss"],
                  formats: ["loss": "%.4f", "val_loss": "%.4f", "val_acc": "%.4f", "acc": "%.4f", "test_loss": "%.4f"])
    for e in r.evaluations {
        t.appendRow([("iteration", .int(e.iteration)), ("epoch", .int(e.epoch)), ("loss", e.trainLoss.map(Value.number) ?? .null),
                     ("val_loss", e.validation.map { .number($0.loss) } ?? .null), ("val_acc", e.validation.map { .number($0.acc) } ?? .null),
                     ("acc", .number(e.test.acc)), ("test_loss", .number(e.test.loss))])
    }
    return t
}

/// rows: true class; columns: predicted class ("0", "1", ...).
func confusionTable(_ e: Evaluation) -> Table {
    let k = e.confusion.count
    let t = Table(columns: ["class"] + (0..<k).map { "\($0)" })
    for (c, row) in e.confusion.enumerated() {
        t.appendRow([("class", .int(c))] + row.enumerated().map { ("\($0.offset)", .int($0.element)) })
    }
    return t
}
