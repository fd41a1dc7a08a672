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
        .executable(name: "coach", targets: ["coach"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
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
        // The command-line tool: thin wiring over CoachEngine.
        .executableTarget(
            name: "coach",
            dependencies: [
                "CoachEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system && target.type != .plugin {
    target.swiftSettings = (target.swiftSettings ?? []) + upcomingFeatures
}
