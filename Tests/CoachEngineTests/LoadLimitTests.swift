import Foundation
import Testing

@testable import CoachEngine

/// Every limit of `LoadLimits`, hit exactly: a rule set at the limit loads, one past it fails
/// with the limit's code and message, placed at the node, alias, token or character that passes
/// it (marked `1️⃣` in the fixture).
@Suite struct LoadLimitTests {
    /// A small instrument (45 YAML nodes, nesting 5 deep, no derived formulas), so that a small
    /// limit is passed by the rule file under test and not by the instrument.
    static let instrument = """
        instrument:
          id: tiny
          title: Tiny
          scale: { min: 1, max: 5 }
          bands:
            high: { min: 4 }
          pairs:
            - id: control-commitment
              management: { id: control, title: Control }
              leadership: { id: commitment, title: Commitment }
          levels: [personal]
          raters:
            self: { minimum: 1 }

        """

    /// A rule with the given `when` and `advice` lines.
    static func rule(_ id: String, when: String = "control >= 1", advice: String? = nil) -> String {
        "  - id: \(id)\n    title: T\n    when: \(when)\n"
            + (advice ?? "    advice:\n      summary: S.\n      why: W.\n      actions: [A.]") + "\n"
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// The limit under test.
        var limit: any WritableKeyPath<LoadLimits, Int> & Sendable
        /// The value at which the rule file still loads; one less fails.
        var value: Int
        /// The rule file, `1️⃣` where the error must point.
        var marked: String
        var code: String
        /// The message with the limit at `value - 1`.
        var message: String
        var testDescription: String { name }
    }

    static let aliases =
        "rules:\n"
        + rule("r1", advice: "    advice: &advice\n      summary: S.\n      why: W.\n      actions: [A.]")
        + rule("r2", advice: "    advice: *advice") + rule("r3", advice: "    advice: 1️⃣*advice")

    static let cases: [Case] = [
        Case(
            name: "rules in a rule set",
            limit: \.maxRules,
            value: 3,
            marked: "rules:\n" + rule("r1") + rule("r2") + "  - 1️⃣" + rule("r3").dropFirst(4),
            code: "too-many-rules",
            message: "the rule set has more than 2 rules, the limit; this is rule 3"
        ),
        Case(
            name: "YAML aliases",
            limit: \.maxYAMLAliases,
            value: 2,
            marked: aliases,
            code: "yaml-aliases",
            message: "more than 1 YAML aliases in one file"
        ),
        Case(
            // 3 nodes above the rules, 16 for each rule (the alias counts the 8 it expands to).
            name: "YAML nodes once aliases are expanded",
            limit: \.maxYAMLNodes,
            value: 51,
            marked: aliases,
            code: "yaml-expansion",
            message: "YAML aliases expand to more than 50 nodes"
        ),
        Case(
            name: "YAML nodes without aliases",
            limit: \.maxYAMLNodes,
            value: 51,
            marked: "rules:\n" + rule("r1") + rule("r2") + rule("r3", advice: nil).replacing("[A.]", with: "[1️⃣A.]"),
            code: "yaml-expansion",
            message: "YAML holds more than 50 nodes"
        ),
        Case(
            // The file, the list of rules, the rule, `when`, `not` and the list of `all`: 6 levels.
            name: "YAML nesting",
            limit: \.maxYAMLDepth,
            value: 6,
            marked: "rules:\n" + rule("r1", when: "{not: {all: 1️⃣[control >= 1]}}"),
            code: "yaml-depth",
            message: "YAML nests deeper than 5 levels"
        ),
        Case(
            name: "characters in an expression",
            limit: \.maxExpressionCharacters,
            value: 12,
            marked: "rules:\n" + rule("r1", when: "control >= 1️⃣1"),
            code: "expression-too-long",
            message: "expression is 12 characters long; the limit is 11"
        ),
        Case(
            name: "tokens in an expression",
            limit: \.maxExpressionTokens,
            value: 7,
            marked: "rules:\n" + rule("r1", when: "control >= 1 and commitment >= 1️⃣1"),
            code: "expression-too-large",
            message: "expression has more than 6 tokens"
        ),
        Case(
            name: "nesting of an expression",
            limit: \.maxExpressionDepth,
            value: 3,
            marked: "rules:\n" + rule("r1", when: "(abs(1️⃣(control)) >= 1)"),
            code: "expression-too-deep",
            message: "expression nests deeper than 2 levels"
        ),
        Case(
            name: "nesting of a structured condition",
            limit: \.maxConditionDepth,
            value: 3,
            marked: "rules:\n" + rule("r1", when: "{all: [{any: [1️⃣{not: control >= 4}]}]}"),
            code: "expression-too-deep",
            message: "the condition nests deeper than 2 levels of all/any/not"
        ),
    ]

    static func load(_ text: String, _ limits: LoadLimits) throws(RuleSetError) -> RuleBook {
        try RuleBook.load(sources: RuleFixtures.sources([("x.yaml", text)], instrument: instrument), limits: limits)
    }

    /// Loads with `limit` at `value`, which must succeed, and at `value - 1`: the one error the
    /// load fails with then.
    static func errorOnePast(
        _ limit: WritableKeyPath<LoadLimits, Int>,
        at value: Int,
        sourceLocation: Testing.SourceLocation = #_sourceLocation,
        _ load: (LoadLimits) throws -> RuleBook
    ) -> Diagnostic? {
        var limits = LoadLimits()
        limits[keyPath: limit] = value
        #expect(throws: Never.self, sourceLocation: sourceLocation) { try load(limits) }
        limits[keyPath: limit] = value - 1
        let error = #expect(throws: RuleSetError.self, sourceLocation: sourceLocation) { try load(limits) }
        #expect(error?.diagnostics.count == 1, "\(error?.rendered ?? "")", sourceLocation: sourceLocation)
        return error?.diagnostics.first
    }

    @Test("at the limit it loads; one past it fails at the marker", arguments: cases)
    func limit(_ test: Case) throws {
        let marked = MarkedText(test.marked)
        let diagnostic = try #require(Self.errorOnePast(test.limit, at: test.value) { try Self.load(marked.text, $0) })
        #expect(diagnostic.code == test.code)
        #expect(diagnostic.message == test.message)
        #expect(diagnostic.location == marked.location(file: "Rules/x.yaml"))
    }

    @Test("the defaults are the documented ones")
    func defaults() {
        let limits = LoadLimits.default
        #expect(limits.maxFileBytes == 4 << 20)
        #expect(limits.maxFiles == 1_000)
        #expect(limits.maxRules == 20_000)
        #expect(limits.maxYAMLAliases == 100)
        #expect(limits.maxYAMLNodes == 200_000)
        #expect(limits.maxYAMLDepth == 64)
        #expect(limits.maxExpressionCharacters == 10_000)
        #expect(limits.maxExpressionTokens == 4_000)
        #expect(limits.maxExpressionDepth == 64)
        #expect(limits.maxConditionDepth == 32)
    }

    // MARK: File size and file count

    /// A rule file of the given size in bytes: a rule, then a comment that fills it up.
    static func ruleFile(bytes: Int) -> String {
        let rule = "rules:\n" + rule("r1") + "# "
        return rule + String(repeating: "x", count: bytes - rule.utf8.count - 1) + "\n"
    }

    /// Files on disk are read no further than one byte past the limit.
    @Test(
        "file size, in memory and on disk: at the limit it loads; past it the error points at the last byte",
        arguments: [false, true]
    )
    func fileSize(onDisk: Bool) throws {
        let size = onDisk ? 50_000 : 5_000
        let text = Self.ruleFile(bytes: size)
        let directory = try YAMLInputTests.rulesDirectory(["x.yaml": Array(text.utf8)])
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let diagnostic = try #require(
            Self.errorOnePast(\.maxFileBytes, at: size) { limits in
                onDisk ? try RuleBook.load(directory: directory.path, limits: limits) : try Self.load(text, limits)
            })
        #expect(diagnostic.code == "file-too-large")
        #expect(diagnostic.message == "the file is \(size) bytes; the limit is \(size - 1) bytes, passed here")
        // The last byte is the newline at the end of the comment line.
        let lines = text.split(separator: "\n")
        let file = onDisk ? "\(directory.path)/x.yaml" : "Rules/x.yaml"
        let place = CoachEngine.SourceLocation(file: file, line: lines.count, column: lines[lines.count - 1].count + 1)
        #expect(diagnostic.location == place)
    }

    @Test("files in a rule set given in memory")
    func filesInMemory() throws {
        let files = [("a.yaml", "rules:\n" + Self.rule("a")), ("b.yaml", "rules:\n" + Self.rule("b"))]
        let sources = RuleFixtures.sources(files, instrument: Self.instrument)
        let diagnostic = try #require(
            Self.errorOnePast(\.maxFiles, at: 3) { try RuleBook.load(sources: sources, limits: $0) })
        #expect(diagnostic.code == "too-many-files")
        #expect(diagnostic.message == "the rule set has 3 YAML files; the limit is 2")
    }

    @Test("files in a rules directory: past the limit, the directory is not read")
    func filesInADirectory() throws {
        let rule = Array(("rules:\n" + Self.rule("a")).utf8)
        let directory = try YAMLInputTests.rulesDirectory(["a.yaml": rule, "tests/b.yaml": Array("tests: []\n".utf8)])
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let diagnostic = try #require(
            Self.errorOnePast(\.maxFiles, at: 3) { try RuleBook.load(directory: directory.path, limits: $0) })
        #expect(diagnostic.code == "too-many-files")
        #expect(
            diagnostic.message == "the rules directory '\(directory.path)' holds more than 2 YAML files; the limit is 2"
        )
    }
}
