// swift-tools-version: 6.1
import PackageDescription

// A service that embeds Coach: it depends on the CoachEngine library only.
let package = Package(
    name: "AdviseExample",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Coach", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "AdviseExample",
            dependencies: [.product(name: "CoachEngine", package: "Coach")]
        )
    ],
    swiftLanguageModes: [.v6]
)
