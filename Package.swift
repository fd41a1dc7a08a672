// swift-tools-version: 6.1
import PackageDescription

/// Upcoming language features switched on for every target, as swift-log does.
let upcomingFeatures: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Coach",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "CoachEngine", targets: ["CoachEngine"]),
        .library(name: "CoachServer", targets: ["CoachServer"]),
        .executable(name: "coach", targets: ["coach"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // The system libyaml, through pkg-config `yaml-0.1` (Debian: libyaml-dev).
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // Everything an embedding service needs: rule files, expressions, evaluation, rendering.
        .target(
            name: "CoachEngine",
            dependencies: ["CYAML"],
            plugins: ["EmbedRules"]
        ),
        // The HTTP service as a library: `buildApplication(configuration:)`, routes, reloads, metrics.
        .target(
            name: "CoachServer",
            dependencies: [
                "CoachEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // The command-line tool: thin wiring over CoachEngine and CoachServer.
        .executableTarget(
            name: "coach",
            dependencies: [
                "CoachEngine",
                "CoachServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Build-time tool: turns Rules/**/*.yaml into Swift string literals.
        .executableTarget(name: "coach-embed-rules"),
        .plugin(
            name: "EmbedRules",
            capability: .buildTool(),
            dependencies: ["coach-embed-rules"]
        ),
        .testTarget(
            name: "CoachEngineTests",
            dependencies: ["CoachEngine"],
            resources: [.copy("Fixtures")]
        ),
        // The `coach` binary run as a subprocess: exit codes, signals, closed pipes, full disks.
        // Depending on the executable target makes SwiftPM build it before the tests.
        .testTarget(
            name: "CoachCLITests",
            dependencies: ["coach"]
        ),
        .testTarget(
            name: "CoachServerTests",
            dependencies: [
                "CoachServer",
                "CoachEngine",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system && target.type != .plugin {
    target.swiftSettings = (target.swiftSettings ?? []) + upcomingFeatures
}

// Fuzz targets (libFuzzer), kept out of the normal build: `scripts/fuzz.sh` sets COACH_FUZZ=1 and
// builds the whole graph with the address sanitizer and coverage; only the fuzz targets link
// libFuzzer, started from each target's main through `LLVMFuzzerRunDriver`, so the package's
// other executables still link.
if Context.environment["COACH_FUZZ"] != nil {
    func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency] = []) -> Target {
        .executableTarget(
            name: "Fuzz\(name)",
            dependencies: ["CoachEngine", "FuzzSupport"] + dependencies,
            path: "Fuzz/\(name)",
            swiftSettings: upcomingFeatures + [.unsafeFlags(["-sanitize=fuzzer"])],
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer", "-use-ld=lld"])]
        )
    }
    package.targets += [
        .target(name: "CFuzzDriver", path: "Fuzz/Driver"),
        .target(
            name: "FuzzSupport", dependencies: ["CoachEngine", "CFuzzDriver"], path: "Fuzz/Support",
            swiftSettings: upcomingFeatures),
        fuzzTarget("RuleFiles"),
        fuzzTarget("Expressions"),
        fuzzTarget("Profiles"),
        fuzzTarget("Populations"),
        fuzzTarget(
            "Server",
            [
                "CoachServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
}
