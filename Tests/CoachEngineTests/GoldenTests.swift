import CoachEngine
import Foundation
import Testing

/// The advice for each example profile, as text (explained), JSON (explained), Markdown
/// (explained, with the chart tables) and HTML (dated 2026-11-30), compared with golden files
/// in `Fixtures/golden/`.
///
/// To regenerate after an intended change, run
/// `COACH_UPDATE_GOLDEN=1 swift test --filter GoldenTests` and review the diff.
@Suite struct GoldenTests {
    enum Format: String, Sendable, CaseIterable {
        case text = "txt"
        case json = "json"
        case markdown = "md"
        case html = "html"

        func render(_ advice: Advice, scores: ScoreSheet, alsoFired: [Recommendation]) -> String {
            switch self {
            case .text: TextReport().render(advice, explained: true)
            case .json: advice.json(explained: true) + "\n"
            case .markdown: MarkdownReport().render(advice, scores: scores, explained: true, alsoFired: alsoFired)
            case .html: HTMLReport(date: "2026-11-30").render(advice, scores: scores, alsoFired: alsoFired)
            }
        }
    }

    /// The example profiles: `examples/*.json`, by name.
    static let examples: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: PackagePaths.examples.path)) ?? [])
        .filter { $0.hasSuffix(".json") }
        .map { String($0.dropLast(".json".count)) }
        .sorted()

    static let golden = PackagePaths.fixtures.appendingPathComponent("golden")

    static var updating: Bool { ProcessInfo.processInfo.environment["COACH_UPDATE_GOLDEN"] == "1" }

    @Test func thereAreExamples() {
        #expect(Self.examples.count >= 5)
    }

    @Test("golden output", arguments: examples, Format.allCases)
    func matchesGolden(_ example: String, _ format: Format) throws {
        let data = try Data(contentsOf: PackagePaths.examples.appendingPathComponent("\(example).json"))
        let book = try RuleBook.builtin()
        let profile = try Profile(json: data)
        let advice = try book.advise(profile, options: AdviceOptions(explain: true))
        let actual = format.render(
            advice, scores: try book.scoreSheet(profile), alsoFired: try book.alsoFired(advice, for: profile))
        let file = Self.golden.appendingPathComponent("\(example).\(format.rawValue)")

        if Self.updating {
            try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: file)
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("no golden file \(file.path); run COACH_UPDATE_GOLDEN=1 swift test --filter GoldenTests")
            return
        }
        #expect(actual == expected, "\(file.lastPathComponent): \(Self.firstDifference(expected, actual))")
    }

    /// Where two texts first differ, by line.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? String(a[index]) : "<end>"
            let y = index < b.count ? String(b[index]) : "<end>"
            if x != y { return "line \(index + 1): expected \(x.debugDescription), got \(y.debugDescription)" }
        }
        return "no difference"
    }
}
