@preconcurrency import CDNNL
import Foundation

/// Which convolution kernels Conv2D runs. oneDNN (Debian's libdnnl, the library under
/// PyTorch's CPU convolutions) measured 2.7× (direct) and 5× (Winograd) faster than
/// im2col + sgemm on Conv-2's 64→64 layer at batch 60 on this machine
/// (docs/performance.md). `TICKETS_CONV` picks one for the process: "winograd" (the
/// default: F(4×4, 3×3) Winograd for 3×3 stride-1 layers from 8 channels, oneDNN's
/// where it offers one, Tickets' own (NN/Kernels/Winograd.swift) where it does not, as
/// on AVX2 CPUs; oneDNN direct elsewhere), "tickets-winograd" (Tickets' own even where
/// oneDNN has one, to compare them), "direct", or "im2col" (Tickets' own per-sample
/// kernels, also the fallback when oneDNN cannot make a primitive).
public enum ConvAlgorithm: String, Sendable {
    case winograd, direct, im2col
    case ticketsWinograd = "tickets-winograd"

    public static let selected: ConvAlgorithm = {
        ProcessInfo.processInfo.environment["TICKETS_CONV"].flatMap(ConvAlgorithm.init(rawValue:)) ?? .winograd
    }()

    /// Whether oneDNN offers Winograd on this CPU (its Winograd kernels are AVX-512
    /// ones: on an AVX2 CPU the 3×3 layers run direct), asked once with a small layer.
    public static let winogradOffered: Bool = {
        guard let shape = try? Conv2DShape(batch: 2, inChannels: 16, inHeight: 8, inWidth: 8, outChannels: 16,
                                           kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1) else { return false }
        return DNNLConvolution.make(shape, samples: 2, bias: true, algorithm: .winograd) != nil
    }()

    /// Whether 3×3 stride-1 layers run Tickets' own Winograd kernels.
    public static var ownWinograd: Bool {
        selected == .ticketsWinograd || (selected == .winograd && !winogradOffered)
    }

    /// What `tks --version` says runs: "Winograd for 3×3 layers from 8 channels, direct
    /// below" or "direct (oneDNN has no Winograd for this CPU)".
    public static var description: String {
        switch selected {
        case .winograd where winogradOffered: return "oneDNN Winograd for 3×3 layers from \(winogradMinChannels) channels, direct elsewhere"
        case .winograd, .ticketsWinograd:
            return "Tickets' Winograd F(4×4, 3×3) for 3×3 layers from \(winogradMinChannels) channels on planes where it saves two thirds of the work (oneDNN's needs AVX-512), oneDNN direct elsewhere"
        case .direct: return "oneDNN direct"
        case .im2col: return "im2col + gemm"
        }
    }
}

/// Winograd pays for its transforms only with enough input channels: a first layer
/// on 1 or 3 channels runs faster direct (measured on Conv-2's 1→64 layer).
let winogradMinChannels = 8

/// oneDNN's engine, and a stream for each thread that runs convolutions (a stream is
/// not to be shared between threads; tests run several trainings at once).
final class DNNLContext: @unchecked Sendable {
    static let shared: DNNLContext? = DNNLContext()
    let engine: dnnl_engine_t
    private var key = pthread_key_t()

    private init?() {
        var e: dnnl_engine_t?
        guard dnnl_engine_create(&e, dnnl_cpu, 0) == dnnl_success, let engine = e else { return nil }
        self.engine = engine
        guard pthread_key_create(&key, { p in dnnl_stream_destroy(OpaquePointer(p)) }) == 0 else { return nil }
    }

    /// This thread's stream, made on first use.
    var stream: dnnl_stream_t? {
        if let p = pthread_getspecific(key) { return OpaquePointer(p) }
        var s: dnnl_stream_t?
        guard dnnl_stream_create(&s, engine, dnnl_stream_default_flags.rawValue) == dnnl_success, let stream = s else { return nil }
        pthread_setspecific(key, UnsafeRawPointer(stream))
        return stream
    }
}

/// A memory in oneDNN's preferred layout for one argument, with the reorders from and
/// to Tickets' plain layout (NCHW activations, OIHW weights) when the two differ.
final class DNNLArgument {
    let plain: dnnl_memory_t
    let inner: dnnl_memory_t
    private let toInternal: dnnl_primitive_t?
    private let toPlain: dnnl_primitive_t?

    init(plain plainDesc: dnnl_memory_desc_t, inner internalDesc: dnnl_memory_desc_t, engine: dnnl_engine_t) throws {
        var pd = plainDesc, id = internalDesc
        var p: dnnl_memory_t?, i: dnnl_memory_t?
        try dnnl(dnnl_memory_create(&p, &pd, engine, nil), "a memory")
        plain = p!
        if dnnl_memory_desc_equal(&pd, &id) != 0 {
            inner = p!
            toInternal = nil; toPlain = nil
            return
        }
        try dnnl(dnnl_memory_create(&i, &id, engine, dnnlAllocate), "a memory")
        inner = i!
        toInternal = try DNNLArgument.reorder(&pd, &id, engine)
        toPlain = try DNNLArgument.reorder(&id, &pd, engine)
    }

    static func reorder(_ from: inout dnnl_memory_desc_t, _ to: inout dnnl_memory_desc_t, _ engine: dnnl_engine_t) throws -> dnnl_primitive_t {
        var pd: dnnl_primitive_desc_t?, prim: dnnl_primitive_t?
        try dnnl(dnnl_reorder_primitive_desc_create(&pd, &from, engine, &to, engine, nil), "a reorder")
        defer { dnnl_primitive_desc_destroy(pd) }
        try dnnl(dnnl_primitive_create(&prim, pd), "a reorder")
        return prim!
    }

    /// Points the plain memory at `pointer` and, when the layouts differ, copies it in.
    func load(_ pointer: UnsafeRawPointer, _ stream: dnnl_stream_t) {
        dnnl_memory_set_data_handle(plain, UnsafeMutableRawPointer(mutating: pointer))
        if let r = toInternal { execute(r, [(DNNL_ARG_FROM, plain), (DNNL_ARG_TO, inner)], stream) }
    }

    /// Points the plain memory at `pointer`; `store` then copies the result out.
    func target(_ pointer: UnsafeMutableRawPointer) { dnnl_memory_set_data_handle(plain, pointer) }
    func store(_ stream: dnnl_stream_t) {
        if let r = toPlain { execute(r, [(DNNL_ARG_FROM, inner), (DNNL_ARG_TO, plain)], stream) }
    }

    deinit {
        if inner != plain { dnnl_memory_destroy(inner) }
        dnnl_memory_destroy(plain)
        if let r = toInternal { dnnl_primitive_destroy(r) }
        if let r = toPlain { dnnl_primitive_destroy(r) }
    }
}

/// oneDNN's DNNL_MEMORY_ALLOCATE (a C macro, `(void *)(size_t)-1`): let the memory
/// allocate its own buffer.
nonisolated(unsafe) let dnnlAllocate = UnsafeMutableRawPointer(bitPattern: -1)   // a constant

func execute(_ primitive: dnnl_primitive_t, _ args: [(Int32, dnnl_memory_t)], _ stream: dnnl_stream_t) {
    var a = args.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1) }
    dnnl_primitive_execute(primitive, stream, Int32(a.count), &a)
}

struct DNNLFailure: Error { let what: String; let status: dnnl_status_t }

@inline(__always)
func dnnl(_ status: dnnl_status_t, _ what: String) throws {
    guard status == dnnl_success else { throw DNNLFailure(what: what, status: status) }
}

/// oneDNN's forward, backward-data and backward-weights convolutions for one geometry
/// and one number of samples (a thread's share of a batch), with their memories.
/// x (B, C, H, W), w (O, C, k, k), b (O), y (B, O, OH, OW) in Tickets' plain layouts.
final class DNNLConvolution {
    let algorithm: ConvAlgorithm
    private let forward, backwardData, backwardWeights: dnnl_primitive_t
    private let src, weights, dst: DNNLArgument
    private let bias: dnnl_memory_t?
    private let diffDst, dataWeights, diffSrc: DNNLArgument
    private let weightsSrc, weightsDiffDst, diffWeights: DNNLArgument
    private let diffBias: dnnl_memory_t?
    /// Whether backward-weights reads x, and backward-data dy, in the layouts that the
    /// forward pass and backward-weights already made.
    private let sharedSource, sharedDiffDst: Bool
    /// The x of the last forward pass, whose oneDNN copy `src` still holds.
    private var forwardInput: UnsafeRawPointer?
    /// Each primitive's own scratch memory: primitives here are made with a
    /// user-managed scratchpad, so two threads never share oneDNN's.
    private let scratchpads: [dnnl_memory_t]

    /// nil when oneDNN cannot make the primitives for this algorithm.
    static func make(_ s: Conv2DShape, samples: Int, bias: Bool, algorithm: ConvAlgorithm) -> DNNLConvolution? {
        guard algorithm != .im2col, let ctx = DNNLContext.shared else { return nil }
        omp_set_num_threads(1)
        return try? DNNLConvolution(s, samples: samples, bias: bias, algorithm: algorithm, engine: ctx.engine)
    }

    private init(_ s: Conv2DShape, samples n: Int, bias hasBias: Bool, algorithm: ConvAlgorithm, engine: dnnl_engine_t) throws {
        self.algorithm = algorithm
        func desc(_ dims: [Int], _ tag: dnnl_format_tag_t) throws -> dnnl_memory_desc_t {
            var md = dnnl_memory_desc_t()
            var d = dims.map { dnnl_dim_t($0) }
            try dnnl(dnnl_memory_desc_init_by_tag(&md, Int32(d.count), &d, dnnl_f32, tag), "a memory description")
            return md
        }
        let srcDims = [n, s.inChannels, s.inHeight, s.inWidth], dstDims = [n, s.outChannels, s.outHeight, s.outWidth]
        let wDims = [s.outChannels, s.inChannels, s.kernelHeight, s.kernelWidth]
        var srcAny = try desc(srcDims, dnnl_format_tag_any), dstAny = try desc(dstDims, dnnl_format_tag_any)
        var wAny = try desc(wDims, dnnl_format_tag_any), bMd = try desc([s.outChannels], dnnl_x)
        let srcPlain = try desc(srcDims, dnnl_nchw), dstPlain = try desc(dstDims, dnnl_nchw), wPlain = try desc(wDims, dnnl_oihw)
        var strides: [dnnl_dim_t] = [dnnl_dim_t(s.stride), dnnl_dim_t(s.stride)]
        var padding: [dnnl_dim_t] = [dnnl_dim_t(s.padding), dnnl_dim_t(s.padding)]
        let alg = algorithm == .winograd ? dnnl_convolution_winograd : dnnl_convolution_direct

        let biasDesc = UnsafeMutablePointer<dnnl_memory_desc_t>.allocate(capacity: 1)
        biasDesc.initialize(to: bMd)
        defer { biasDesc.deallocate() }
        let biasArg: UnsafePointer<dnnl_memory_desc_t>? = hasBias ? UnsafePointer(biasDesc) : nil
        var fd = dnnl_convolution_desc_t(), bdd = dnnl_convolution_desc_t(), bwd = dnnl_convolution_desc_t()
        var fpd: dnnl_primitive_desc_t?, bdpd: dnnl_primitive_desc_t?, bwpd: dnnl_primitive_desc_t?
        var attr: dnnl_primitive_attr_t?
        try dnnl(dnnl_primitive_attr_create(&attr), "primitive attributes")
        defer { dnnl_primitive_attr_destroy(attr) }
        try dnnl(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "a scratchpad mode")
        try dnnl(dnnl_convolution_forward_desc_init(&fd, dnnl_forward_training, alg, &srcAny, &wAny, biasArg,
                                                    &dstAny, &strides, &padding, &padding), "a forward convolution")
        try dnnl(dnnl_primitive_desc_create(&fpd, &fd, attr, engine, nil), "a forward convolution")
        defer { dnnl_primitive_desc_destroy(fpd) }
        try dnnl(dnnl_convolution_backward_data_desc_init(&bdd, alg, &srcAny, &wAny, &dstAny, &strides, &padding, &padding),
                 "a backward-data convolution")
        try dnnl(dnnl_primitive_desc_create(&bdpd, &bdd, attr, engine, fpd), "a backward-data convolution")
        defer { dnnl_primitive_desc_destroy(bdpd) }
        try dnnl(dnnl_convolution_backward_weights_desc_init(&bwd, alg, &srcAny, &wAny, biasArg, &dstAny,
                                                             &strides, &padding, &padding), "a backward-weights convolution")
        try dnnl(dnnl_primitive_desc_create(&bwpd, &bwd, attr, engine, fpd), "a backward-weights convolution")
        defer { dnnl_primitive_desc_destroy(bwpd) }

        func md(_ pd: dnnl_primitive_desc_t?, _ what: dnnl_query_t) -> dnnl_memory_desc_t { dnnl_primitive_desc_query_md(pd, what, 0)!.pointee }
        src = try DNNLArgument(plain: srcPlain, inner: md(fpd, dnnl_query_src_md), engine: engine)
        weights = try DNNLArgument(plain: wPlain, inner: md(fpd, dnnl_query_weights_md), engine: engine)
        dst = try DNNLArgument(plain: dstPlain, inner: md(fpd, dnnl_query_dst_md), engine: engine)
        diffDst = try DNNLArgument(plain: dstPlain, inner: md(bdpd, dnnl_query_diff_dst_md), engine: engine)
        dataWeights = try DNNLArgument(plain: wPlain, inner: md(bdpd, dnnl_query_weights_md), engine: engine)
        diffSrc = try DNNLArgument(plain: srcPlain, inner: md(bdpd, dnnl_query_diff_src_md), engine: engine)
        weightsSrc = try DNNLArgument(plain: srcPlain, inner: md(bwpd, dnnl_query_src_md), engine: engine)
        weightsDiffDst = try DNNLArgument(plain: dstPlain, inner: md(bwpd, dnnl_query_diff_dst_md), engine: engine)
        diffWeights = try DNNLArgument(plain: wPlain, inner: md(bwpd, dnnl_query_diff_weights_md), engine: engine)
        var fSrc = md(fpd, dnnl_query_src_md), wSrc = md(bwpd, dnnl_query_src_md)
        var wDiffDst = md(bwpd, dnnl_query_diff_dst_md), dDiffDst = md(bdpd, dnnl_query_diff_dst_md)
        sharedSource = dnnl_memory_desc_equal(&fSrc, &wSrc) != 0
        sharedDiffDst = dnnl_memory_desc_equal(&wDiffDst, &dDiffDst) != 0
        var b: dnnl_memory_t? = nil, db: dnnl_memory_t? = nil
        if hasBias {
            try dnnl(dnnl_memory_create(&b, &bMd, engine, nil), "a memory")
            try dnnl(dnnl_memory_create(&db, &bMd, engine, nil), "a memory")
        }
        bias = b; diffBias = db
        var pads: [dnnl_memory_t] = []
        for pd in [fpd, bdpd, bwpd] {
            var smd = md(pd, dnnl_query_scratchpad_md), m: dnnl_memory_t?
            try dnnl(dnnl_memory_create(&m, &smd, engine, dnnlAllocate), "a scratchpad")
            pads.append(m!)
        }
        scratchpads = pads
        var f: dnnl_primitive_t?, bd: dnnl_primitive_t?, bw: dnnl_primitive_t?
        try dnnl(dnnl_primitive_create(&f, fpd), "a forward convolution")
        try dnnl(dnnl_primitive_create(&bd, bdpd), "a backward-data convolution")
        try dnnl(dnnl_primitive_create(&bw, bwpd), "a backward-weights convolution")
        forward = f!; backwardData = bd!; backwardWeights = bw!
    }

    deinit {
        dnnl_primitive_destroy(forward); dnnl_primitive_destroy(backwardData); dnnl_primitive_destroy(backwardWeights)
        if let b = bias { dnnl_memory_destroy(b) }
        if let b = diffBias { dnnl_memory_destroy(b) }
        for m in scratchpads { dnnl_memory_destroy(m) }
    }

    /// y = conv(x, w) + b for this object's samples, on `thread`'s stream.
    func forward(x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>?,
                 y: UnsafeMutablePointer<Float>, thread: Int) {
        guard let stream = DNNLContext.shared?.stream else { return }
        omp_set_num_threads(1)
        src.load(x, stream)
        forwardInput = UnsafeRawPointer(x)
        weights.load(w, stream)
        dst.target(y)
        var args: [(Int32, dnnl_memory_t)] = [(DNNL_ARG_SRC, src.inner), (DNNL_ARG_WEIGHTS, weights.inner), (DNNL_ARG_DST, dst.inner)]
        if let bias, let b {
            dnnl_memory_set_data_handle(bias, UnsafeMutableRawPointer(mutating: b))
            args.append((DNNL_ARG_BIAS, bias))
        }
        args.append((DNNL_ARG_SCRATCHPAD, scratchpads[0]))
        execute(forward, args, stream)
        dst.store(stream)
        dnnl_stream_wait(stream)
    }

    /// The weight (and bias) gradients over this object's samples, dw and db,
    /// overwritten, not added to; and dx, the input gradient, when asked for. Each
    /// operand is brought into oneDNN's layout once: dy serves both gradients when the
    /// two primitives want the same layout, and x is the forward pass's own copy when
    /// the forward saw this x (a backward pass follows its batch's forward).
    func backward(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, w: UnsafePointer<Float>,
                  dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>?,
                  dx: UnsafeMutablePointer<Float>?, thread: Int) {
        guard let stream = DNNLContext.shared?.stream else { return }
        omp_set_num_threads(1)
        let xInner: dnnl_memory_t
        if sharedSource && forwardInput == UnsafeRawPointer(x) {
            xInner = src.inner
        } else {
            weightsSrc.load(x, stream)
            xInner = weightsSrc.inner
        }
        weightsDiffDst.load(dy, stream)
        diffWeights.target(dw)
        var args: [(Int32, dnnl_memory_t)] = [(DNNL_ARG_SRC, xInner), (DNNL_ARG_DIFF_DST, weightsDiffDst.inner),
                                             (DNNL_ARG_DIFF_WEIGHTS, diffWeights.inner)]
        if let diffBias, let db {
            dnnl_memory_set_data_handle(diffBias, db)
            args.append((DNNL_ARG_DIFF_BIAS, diffBias))
        }
        args.append((DNNL_ARG_SCRATCHPAD, scratchpads[2]))
        execute(backwardWeights, args, stream)
        diffWeights.store(stream)
        if let dx {
            let dyInner: dnnl_memory_t
            if sharedDiffDst {
                dyInner = weightsDiffDst.inner
            } else {
                diffDst.load(dy, stream)
                dyInner = diffDst.inner
            }
            dataWeights.load(w, stream)
            diffSrc.target(dx)
            execute(backwardData, [(DNNL_ARG_DIFF_DST, dyInner), (DNNL_ARG_WEIGHTS, dataWeights.inner),
                                   (DNNL_ARG_DIFF_SRC, diffSrc.inner), (DNNL_ARG_SCRATCHPAD, scratchpads[1])], stream)
            diffSrc.store(stream)
        }
        dnnl_stream_wait(stream)
    }
}
