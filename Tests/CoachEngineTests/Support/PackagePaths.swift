import Foundation

/// Places in the package, found from this file's path so that tests read and write the source
/// tree (golden files, examples, `Rules/`) wherever the package is checked out.
enum PackagePaths {
    /// The package root: this file is `Tests/CoachEngineTests/Support/PackagePaths.swift`.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // CoachEngineTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// `Rules/`, the built-in rules directory.
    static let rules = root.appendingPathComponent("Rules")

    /// `examples/`, the example profiles.
    static let examples = root.appendingPathComponent("examples")

    /// `Tests/CoachEngineTests/Fixtures/`.
    static let fixtures = root.appendingPathComponent("Tests/CoachEngineTests/Fixtures")
}
