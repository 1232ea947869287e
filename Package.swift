// swift-tools-version:6.0
import PackageDescription

// The engine's kernels are written to vectorise: AVX2 + FMA (Haswell and later, every
// x86-64 server of the last decade). Bounds checks stay on outside the kernels that
// opt out with unsafe buffer pointers.
let fast: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]

let package = Package(
    name: "Tickets",
    products: [
        .executable(name: "tks", targets: ["tks"]),
        .library(name: "TicketsEngine", targets: ["TicketsEngine"]),
        .library(name: "TicketsLang", targets: ["TicketsLang"]),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CEditLine", path: "Sources/CEditLine", pkgConfig: "libedit"),
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        .systemLibrary(name: "CDeflate", path: "Sources/CDeflate"),
        // Compiled for the baseline x86-64: tks checks the CPU with it before running
        // any code built for AVX2.
        .target(name: "CCPU"),
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3", "-mavx2", "-mfma", "-fno-math-errno"])]),
        .target(name: "TicketsEngine", dependencies: ["CBLAS", "CZlib", "CDeflate", "CKernels", "CDNNL", "CCPU"], swiftSettings: fast),
        .target(name: "TicketsLang", dependencies: ["TicketsEngine", "TicketsPlot"]),
        .executableTarget(name: "tks", dependencies: ["TicketsLang", "CEditLine", "CCPU"]),
        .target(name: "TicketsPlot"),
        // libFuzzer targets (scripts/fuzz builds them with -sanitize=fuzzer).
        .executableTarget(name: "FuzzLang", dependencies: ["TicketsLang"]),
        .executableTarget(name: "FuzzFiles", dependencies: ["TicketsLang", "TicketsEngine"]),
        .testTarget(name: "TicketsEngineTests", dependencies: ["TicketsEngine", "CCPU"]),
        .testTarget(name: "TicketsLangTests", dependencies: ["TicketsLang", "TicketsPlot"]),
        .testTarget(name: "TicketsPlotTests", dependencies: ["TicketsPlot", "CZlib"]),
    ]
)
