import TicketsEngine

func trainingBuiltins() -> [BuiltinGroup] {
    let d = TrainConfig()
    return [BuiltinGroup("Training", [
        Builtin("train", [
            .net("net", "the net to train (in place)"),
            .dataset("data", "its training split is used"),
            .int("epochs", d.epochs, min: 1, "passes over the training split"),
            .number("lr", d.lr, .positive, "learning rate"),
            .int("batch", d.batch, min: 1, "examples per step (the LTH paper's LeNet: 60)"),
            .choice("optimizer", TrainConfig.Method.self, d.method, "sgd, or adam (the LTH paper's LeNet: adam, lr 1.2e-3)"),
            .number("momentum", d.momentum, .unitOpen, "SGD momentum"),
            .number("weight_decay", d.weightDecay, .nonNegative, "L2 penalty added to the gradient"),
            .seed("seed", default: d.seed, "seeds the data order (epoch e shuffles with stream e)"),
            .optionalInt("steps", min: 1, "stop after this many steps in all"),
            .bool("eval", d.evalEachEpoch, "measure test accuracy after each epoch"),
            .bool("quiet", false, "no progress line"),
        ], doc: """
        Trains the net on the data set's training split with shuffled mini-batches.
        Masked weights stay exactly zero. Returns a table with one row per epoch:
        epoch, steps, loss, train_acc, seconds (and acc, test_loss with eval=true).
        Ctrl-C stops at the end of the current step; the net keeps its weights.
        """) { a in
            let net = try a.net(), data = try a.dataset()
            var cfg = TrainConfig()
            cfg.epochs = try a.int("epochs")
            cfg.lr = try a.number("lr")
            cfg.batch = try a.int("batch")
            cfg.method = try a.choice("optimizer", TrainConfig.Method.self)
            cfg.momentum = try a.number("momentum")
            cfg.weightDecay = try a.number("weight_decay")
            cfg.seed = try a.seed()
            cfg.steps = try a.optionalInt("steps")
            cfg.evalEachEpoch = try a.bool("eval")
            let ctx = a.ctx
            let bar = ProgressBar(terminal: ctx.isTerminal)
            let history = try Trainer.train(net, on: data, cfg, progress: try a.bool("quiet") ? nil : { p in
                if p.done || ctx.isTerminal { ctx.progress(bar.line(p), redraw: true, done: p.done) }
            }, shouldStop: { ctx.interrupted })
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
        Builtin("evaluate", [
            .net("net", "the net to measure"),
            .dataset("data", "the data set"),
            .choice("split", Trainer.SplitName.self, .test, "which split"),
        ], doc: "Accuracy and mean cross-entropy loss of the net on a split: a record {acc, loss}.") { a in
            let r = try Trainer.evaluate(try a.net(), on: try a.dataset(), split: try a.choice("split", Trainer.SplitName.self))
            return .record(RecordRef([("acc", .number(r.acc)), ("loss", .number(r.loss))], style: { rec, state in
                "{" + rec.fields.map { k, v in
                    if case .number(let x) = v, x.isFinite { return "\(k): \(String(format: "%.4f", x))" }
                    return "\(k): \(v.repr(state))"
                }.joined(separator: ", ") + "}"
            }))
        },
    ])]
}
