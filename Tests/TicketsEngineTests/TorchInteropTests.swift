import Foundation
import Testing
@testable import TicketsEngine

/// The convolutional kernels against PyTorch itself: conv2d, max / average / global
/// average pooling and batch norm (training with the running-statistics update over a
/// few steps, then eval), forward and gradients, to 1e-4. Runs only when the
/// environment variable TICKETS_PYTHON names a Python with torch, e.g.
///
///     TICKETS_PYTHON=~/.cache/tickets-venv/bin/python swift test --filter TorchInteropTests
///
/// The Python side is Tests/interop/check_conv.py; the two talk through raw
/// little-endian float32 files in a temporary folder.
@Suite(.enabled(if: TorchCheck.python != nil, "set TICKETS_PYTHON to a Python with torch to compare with PyTorch"))
struct TorchInteropTests {
    typealias T = KernelTestSupport

    @Test func convolutionMatchesPyTorch() throws {
        let torch = try TorchCheck()
        var rng = RNG(seed: 31)
        var expected: [(String, Conv2DShape, [Float], [Float], [Float]?, [Float])] = []
        for (k, g) in ConvKernelTests.geometries.enumerated() {
            let s = try ConvKernelTests.shape(g)
            let x = T.randomArray(s.inputCount, &rng), w = T.randomArray(s.weightCount, &rng)
            let b = k % 2 == 0 ? T.randomArray(s.outChannels, &rng) : nil
            let r = T.randomArray(s.outputCount, &rng)
            let name = "conv\(k)"
            var inputs: [String: ([Int], [Float])] = [
                "x": ([s.batch, s.inChannels, s.inHeight, s.inWidth], x),
                "w": ([s.outChannels, s.inChannels, s.kernelHeight, s.kernelWidth], w),
                "r": ([s.batch, s.outChannels, s.outHeight, s.outWidth], r)]
            if let b { inputs["b"] = ([s.outChannels], b) }
            try torch.add(name, op: "conv2d", ["stride": s.stride, "padding": s.padding], inputs)
            expected.append((name, s, x, w, b, r))
        }
        try torch.run()
        for (name, s, x, w, b, r) in expected {
            for strategy in Conv2DStrategy.allCases {
                var y = [Float](repeating: .nan, count: s.outputCount), dx = [Float](repeating: .nan, count: s.inputCount)
                var dw = [Float](repeating: .nan, count: s.weightCount), db = [Float](repeating: .nan, count: s.outChannels)
                withPointers(x) { xp in withPointers(w) { wp in withOptionalPointer(b) { bp in withPointers(r) { rp in
                    withMutablePointer(&y) { conv2dForward(s, x: xp, weight: wp, bias: bp, y: $0, strategy: strategy) }
                    withMutablePointer(&dx) { dxp in withMutablePointer(&dw) { dwp in withMutablePointer(&db) { dbp in
                        conv2dBackward(s, x: xp, weight: wp, dy: rp, dx: dxp, dWeight: dwp, dBias: dbp, strategy: strategy)
                    } } }
                } } } }
                let what = "\(name) \(s) \(strategy)"
                T.expectClose(y, try torch.output(name, "y"), "\(what) y")
                T.expectClose(dx, try torch.output(name, "dx"), "\(what) dx")
                T.expectClose(dw, try torch.output(name, "dw"), "\(what) dW")
                if b != nil { T.expectClose(db, try torch.output(name, "db"), "\(what) db") }
            }
        }
    }

    @Test func poolingMatchesPyTorch() throws {
        let torch = try TorchCheck()
        var rng = RNG(seed: 32)
        var expected: [(String, Pool2DShape, [Float], [Float])] = []
        for (k, g) in PoolKernelTests.geometries.enumerated() {
            let s = try PoolKernelTests.shape(g)
            let x = T.randomArray(s.inputCount, &rng), r = T.randomArray(s.outputCount, &rng)
            let inputs = ["x": ([s.batch, s.channels, s.inHeight, s.inWidth], x),
                          "r": ([s.batch, s.channels, s.outHeight, s.outWidth], r)]
            let params: [String: Any] = ["kernel": [s.kernelHeight, s.kernelWidth],
                                         "stride": [s.strideHeight, s.strideWidth], "padding": s.padding]
            try torch.add("max\(k)", op: "max_pool2d", params, inputs)
            try torch.add("avg\(k)", op: "avg_pool2d", params, inputs)
            expected.append(("\(k)", s, x, r))
        }
        let global = try Pool2DShape(globalOver: 3, channels: 4, height: 5, width: 6)
        let gx = T.randomArray(global.inputCount, &rng), gr = T.randomArray(global.outputCount, &rng)
        try torch.add("global", op: "global_avg_pool2d", [:], ["x": ([3, 4, 5, 6], gx), "r": ([3, 4], gr)])
        try torch.run()

        for (k, s, x, r) in expected {
            var y = [Float](repeating: .nan, count: s.outputCount), dx = [Float](repeating: .nan, count: s.inputCount)
            var argmax = [Int32](repeating: -1, count: s.outputCount)
            withPointers(x) { xp in withPointers(r) { rp in
                withMutablePointer(&y) { yp in argmax.withUnsafeMutableBufferPointer { ap in
                    maxPool2dForward(s, x: xp, y: yp, argmax: ap.baseAddress!)
                    withMutablePointer(&dx) { maxPool2dBackward(s, dy: rp, argmax: ap.baseAddress!, dx: $0) }
                } }
            } }
            T.expectClose(y, try torch.output("max\(k)", "y"), "max\(k) \(s) y")
            #expect(argmax.map(Float.init) == (try torch.output("max\(k)", "indices")), "max\(k) \(s) indices")
            T.expectClose(dx, try torch.output("max\(k)", "dx"), "max\(k) \(s) dx")
            withPointers(x) { xp in withPointers(r) { rp in
                withMutablePointer(&y) { avgPool2dForward(s, x: xp, y: $0) }
                withMutablePointer(&dx) { avgPool2dBackward(s, dy: rp, dx: $0) }
            } }
            T.expectClose(y, try torch.output("avg\(k)", "y"), "avg\(k) \(s) y")
            T.expectClose(dx, try torch.output("avg\(k)", "dx"), "avg\(k) \(s) dx")
        }
        var y = [Float](repeating: .nan, count: global.outputCount), dx = [Float](repeating: .nan, count: global.inputCount)
        withPointers(gx) { xp in withPointers(gr) { rp in
            withMutablePointer(&y) { globalAvgPool2dForward(global, x: xp, y: $0) }
            withMutablePointer(&dx) { globalAvgPool2dBackward(global, dy: rp, dx: $0) }
        } }
        T.expectClose(y, try torch.output("global", "y"), "global y")
        T.expectClose(dx, try torch.output("global", "dx"), "global dx")
    }

    /// Three training steps (each updating the running statistics), gradients of the
    /// last, then an eval forward with the running statistics: images (N, C, H, W) as
    /// BatchNorm2d and features (N, C) as BatchNorm1d.
    @Test func batchNormMatchesPyTorch() throws {
        let torch = try TorchCheck()
        var rng = RNG(seed: 33)
        let steps = 3
        let cases: [(String, [Int])] = [("bn2d", [4, 3, 5, 6]), ("bn1d", [8, 5]), ("bn2d_batch1", [1, 2, 3, 3])]
        var expected: [(String, BatchNormShape, [[Float]], [Float], [Float], [Float], [Float], [Float], [Float])] = []
        for (name, dims) in cases {
            let s = try BatchNormShape(batch: dims[0], channels: dims[1], spatial: dims.dropFirst(2).reduce(1, *))
            let xs = (0..<steps).map { k in T.randomArray(s.count, &rng).map { Float(k) + 1.5 * $0 } }
            let gamma = T.randomArray(s.channels, &rng), beta = T.randomArray(s.channels, &rng)
            let rm = T.randomArray(s.channels, &rng), rv = T.randomArray(s.channels, &rng).map { 0.5 + abs($0) }
            let r = T.randomArray(s.count, &rng), xEval = T.randomArray(s.count, &rng)
            var inputs: [String: ([Int], [Float])] = [
                "gamma": ([s.channels], gamma), "beta": ([s.channels], beta), "running_mean": ([s.channels], rm),
                "running_var": ([s.channels], rv), "r": (dims, r), "x_eval": (dims, xEval)]
            for (k, x) in xs.enumerated() { inputs["x\(k)"] = (dims, x) }
            try torch.add(name, op: "batch_norm", ["steps": steps, "momentum": 0.1, "eps": 1e-5], inputs)
            expected.append((name, s, xs, gamma, beta, rm, rv, r, xEval))
        }
        try torch.run()
        for (name, s, xs, gamma, beta, rm0, rv0, r, xEval) in expected {
            var runningMean = rm0, runningVar = rv0
            var y = [Float](repeating: .nan, count: s.count), dx = y, yEval = y
            var mean = [Float](repeating: .nan, count: s.channels), invStd = mean, dGamma = mean, dBeta = mean
            withPointers(gamma) { gp in withPointers(beta) { bp in
                for x in xs {
                    withPointers(x) { xp in
                        withMutablePointer(&y) { yp in withMutablePointer(&mean) { mp in withMutablePointer(&invStd) { ip in
                            withMutablePointer(&runningMean) { rmp in withMutablePointer(&runningVar) { rvp in
                                batchNormForwardTraining(s, x: xp, gamma: gp, beta: bp, y: yp, savedMean: mp, savedInvStd: ip,
                                                         runningMean: rmp, runningVar: rvp, momentum: 0.1, eps: 1e-5)
                            } }
                        } } }
                    }
                }
                withPointers(xs[steps - 1]) { xp in withPointers(r) { rp in withPointers(mean) { mp in withPointers(invStd) { ip in
                    withMutablePointer(&dx) { dxp in withMutablePointer(&dGamma) { dgp in withMutablePointer(&dBeta) { dbp in
                        batchNormBackwardTraining(s, dy: rp, x: xp, gamma: gp, savedMean: mp, savedInvStd: ip,
                                                  dx: dxp, dGamma: dgp, dBeta: dbp)
                    } } }
                } } } }
                withPointers(xEval) { xp in withPointers(runningMean) { rmp in withPointers(runningVar) { rvp in
                    withMutablePointer(&yEval) {
                        batchNormForwardEval(s, x: xp, gamma: gp, beta: bp, runningMean: rmp, runningVar: rvp, y: $0, eps: 1e-5)
                    }
                } } }
            } }
            T.expectClose(runningMean, try torch.output(name, "running_mean"), "\(name) running mean after \(steps) steps")
            T.expectClose(runningVar, try torch.output(name, "running_var"), "\(name) running var after \(steps) steps")
            T.expectClose(y, try torch.output(name, "y"), "\(name) y")
            T.expectClose(dx, try torch.output(name, "dx"), "\(name) dx")
            T.expectClose(dGamma, try torch.output(name, "dgamma"), "\(name) dγ")
            T.expectClose(dBeta, try torch.output(name, "dbeta"), "\(name) dβ")
            T.expectClose(yEval, try torch.output(name, "y_eval"), "\(name) eval y")
        }
    }
}

/// One exchange with Tests/interop/check_conv.py: cases and their inputs written to a
/// temporary folder (removed afterwards), the script run once, its outputs read back.
final class TorchCheck {
    /// The Python named by TICKETS_PYTHON (a leading ~ is expanded), or nil.
    static var python: String? {
        guard let p = ProcessInfo.processInfo.environment["TICKETS_PYTHON"], !p.isEmpty else { return nil }
        return NSString(string: p).expandingTildeInPath
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("interop/check_conv.py")

    let folder: URL
    private var cases: [[String: Any]] = []

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tickets-torch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Adds a case; each input is (shape, values) and is written now.
    func add(_ name: String, op: String, _ params: [String: Any], _ inputs: [String: ([Int], [Float])]) throws {
        var c = params
        c["name"] = name; c["op"] = op
        c["shapes"] = inputs.mapValues { $0.0 }
        cases.append(c)
        for (key, (_, values)) in inputs {
            // Raw float32 in the machine's order, which is little-endian on every platform we build for.
            try values.withUnsafeBytes { Data($0) }.write(to: folder.appendingPathComponent("\(name).\(key).f32"))
        }
    }

    /// Writes the manifest and runs the script; throws with its error output if it fails.
    func run() throws {
        let manifest = try JSONSerialization.data(withJSONObject: ["cases": cases], options: [.sortedKeys])
        try manifest.write(to: folder.appendingPathComponent("manifest.json"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python ?? "python3")
        process.arguments = [Self.script.path, folder.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            throw EngineError("check_conv.py failed (\(process.terminationStatus)): \(String(decoding: message, as: UTF8.self))")
        }
    }

    /// Output `key` of case `name`.
    func output(_ name: String, _ key: String) throws -> [Float] {
        let data = try Data(contentsOf: folder.appendingPathComponent("\(name).\(key).out.f32"))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
}
