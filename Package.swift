// swift-tools-version:6.0
import PackageDescription

// Native code paths want AVX2/FMA; -Ounchecked is not used: bounds checks stay on
// everywhere but in the kernels that opt out with unsafe buffer pointers.
let fast: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-target-cpu", "x86-64-v3"])]

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
        .target(name: "TicketsEngine", dependencies: ["CBLAS", "CZlib"], swiftSettings: fast),
        .target(name: "TicketsLang", dependencies: ["TicketsEngine"]),
        .executableTarget(name: "tks", dependencies: ["TicketsLang", "CEditLine"]),
        .testTarget(name: "TicketsEngineTests", dependencies: ["TicketsEngine"]),
        .testTarget(name: "TicketsLangTests", dependencies: ["TicketsLang"]),
    ]
)
