// swift-tools-version: 6.1
// The benchmarks live in their own package so that library users never resolve the
// benchmark tooling. Run from this folder: `swift package benchmark`.
import PackageDescription

// A path dependency is known by its folder's name, which is whatever the clone was called.
let coachPackage = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "Coach")

let package = Package(
    name: "CoachBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "CoachBenchmarks",
            dependencies: [
                .product(name: "CoachEngine", package: coachPackage),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/CoachBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ],
    swiftLanguageModes: [.v6]
)
