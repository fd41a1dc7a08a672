import Foundation
import Testing

@testable import CoachEngine

/// What the YAML layer does with broken or hostile files: a syntax error names its place, alias
/// bombs and deep nesting end in an error (quickly, not by exhausting memory or the stack), and
/// a file that is not UTF-8 is an error with a location.
@Suite struct YAMLInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// The rule file, with `1️⃣` where the error must point.
        var marked: String
        var code: String
        var message: String
        var testDescription: String { name }
    }

    /// `depth` nested flow lists around one scalar.
    static func nestedLists(_ depth: Int) -> String {
        "rules: " + String(repeating: "[", count: depth) + "x" + String(repeating: "]", count: depth) + "\n"
    }

    /// The billion laughs: ten levels, each a list of ten aliases of the level before.
    static let billionLaughs: String = {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            let aliases = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(aliases)]")
        }
        lines.append("rules: *a9")
        return lines.joined(separator: "\n") + "\n"
    }()

    static let cases: [Case] = [
        Case(
            name: "unclosed flow list",
            marked: "rules:\n  - id: r\n    title: [unclosed\n    when1️⃣: control >= 1\n",
            code: "yaml-syntax",
            message: "invalid YAML: did not find expected ',' or ']' while parsing a flow sequence"
        ),
        Case(
            name: "bad indentation",
            marked: "rules:\n  - id: r\n    title: R\n   1️⃣when: control >= 1\n",
            code: "yaml-syntax",
            message: "invalid YAML: did not find expected '-' indicator while parsing a block collection"
        ),
        Case(
            name: "tab indentation",
            marked: "rules:\n  - id: r\n1️⃣\ttitle: R\n",
            code: "yaml-syntax",
            message: "invalid YAML: found a tab character that violates indentation while scanning a plain scalar"
        ),
        Case(
            name: "two documents",
            marked: "rules: []\n1️⃣---\nrules: []\n",
            code: "yaml-documents",
            message: "a rule file holds one YAML document; found a second"
        ),
        Case(
            name: "unknown anchor",
            marked: "rules: 1️⃣*nothing\n",
            code: "yaml-alias",
            message: "unknown YAML anchor 'nothing'"
        ),
        Case(
            name: "too many aliases",
            marked: "x: &x 1\nrules: ["
                + Array(repeating: "*x", count: 100).joined(separator: ", ") + ", 1️⃣*x]\n",
            code: "yaml-aliases",
            message: "more than 100 YAML aliases in one file"
        ),
        Case(
            name: "nesting deeper than the limit",
            // The top-level mapping is the first level, so the 64th list is one too deep.
            marked: "rules: " + String(repeating: "[", count: 63) + "1️⃣[x" + String(repeating: "]", count: 64) + "\n",
            code: "yaml-depth",
            message: "YAML nests deeper than 64 levels"
        ),
    ]

    @Test("syntax errors and limits, at the marker", arguments: cases)
    func reportsAtTheMarker(_ test: Case) throws {
        let marked = MarkedText(test.marked)
        let error = try #require(RuleFixtures.loadError(marked.text))
        let diagnostic = try #require(error.diagnostics.first)
        #expect(error.diagnostics.count == 1, "\(error.rendered)")
        #expect(diagnostic.code == test.code)
        #expect(diagnostic.message == test.message)
        #expect(diagnostic.location == marked.location(file: "Rules/x.yaml"))
    }

    @Test func syntaxErrorRendersWithTheSourceLine() throws {
        let error = try #require(RuleFixtures.loadError("rules:\n  - id: r\n    title: R\n   when: control >= 1\n"))
        #expect(
            error.rendered == """
                Rules/x.yaml:4:4: error: invalid YAML: did not find expected '-' indicator while parsing a block collection
                4 |    when: control >= 1
                  |    ^
                1 error; the rule set was not loaded
                """
        )
    }

    @Test func billionLaughsFailsWithAnError() throws {
        let error = try #require(RuleFixtures.loadError(Self.billionLaughs))
        #expect(error.diagnostics.map(\.code) == ["yaml-expansion"])
        #expect(error.diagnostics.first?.message == "YAML aliases expand to more than 200000 nodes")
        #expect(error.diagnostics.first?.location?.file == "Rules/x.yaml")
    }

    @Test func aHundredThousandNestedListsFailWithAnError() throws {
        let error = try #require(RuleFixtures.loadError(Self.nestedLists(100_000)))
        #expect(error.diagnostics.map(\.code) == ["yaml-depth"])
    }

    @Test func aFewAliasesAreFine() throws {
        let text = """
            common: &advice
              summary: Summary.
              why: Why.
              actions: [One., Two.]
            rules:
              - id: r
                title: R
                when: control >= 1
                advice: *advice

            """
        // Anchors are YAML, but a rule file takes only `rules`: the alias expands, the extra key
        // is reported.
        let error = try #require(RuleFixtures.loadError(text))
        #expect(error.diagnostics.map(\.code) == ["unknown-key"])
    }

    /// Files edited on Windows end lines with CRLF; the place and the quoted line must be the
    /// same as with LF ("\r\n" is one Character, so lines are split on scalars).
    @Test func crlfLineEndingsKeepLinesAndColumns() throws {
        let marked = MarkedText(RuleFixtures.file(RuleSpec("r", when: "control is high and 1️⃣contrl is low")))
        let lf = try #require(RuleFixtures.loadError(marked.text))
        let crlf = try #require(RuleFixtures.loadError(marked.text.replacing("\n", with: "\r\n")))
        #expect(lf.diagnostics.map(\.location) == [marked.location(file: "Rules/x.yaml")])
        #expect(crlf.diagnostics.map(\.location) == [marked.location(file: "Rules/x.yaml")])
        #expect(crlf.rendered == lf.rendered)
        #expect(RuleSetLoader.lines("a\r\nb") == [["a"], ["b"]])
    }

    @Test func columnsCountUnicodeScalars() throws {
        let marked = MarkedText(RuleFixtures.file(RuleSpec("r", summary: "Café 🎯 — {{1️⃣contrl}}")))
        let error = try #require(RuleFixtures.loadError(marked.text))
        #expect(error.diagnostics.map(\.location) == [marked.location(file: "Rules/x.yaml")])
    }

    @Test func hiddenFoldersInARulesDirectoryAreNotRules() throws {
        let directory = try Self.rulesDirectory([".github/workflows/ci.yml": Array("on: push\n".utf8)])
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let book = try RuleBook.load(directory: directory.path)
        #expect(book.rules.isEmpty)
    }

    // MARK: A rules directory on disk

    /// A fresh directory holding the built-in instrument and the given files (as bytes).
    static func rulesDirectory(_ files: [String: [UInt8]]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("coach-tests-\(UUID().uuidString)")
            .appendingPathComponent("Rules")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(RuleFixtures.instrumentText.utf8).write(to: directory.appendingPathComponent("instrument.yaml"))
        for (name, bytes) in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(bytes).write(to: url)
        }
        return directory
    }

    @Test func invalidUTF8IsAnErrorWithALocation() throws {
        let bytes = Array("rules:\n  - id: caf".utf8) + [0xFF] + Array("\n    title: T\n".utf8)
        let directory = try Self.rulesDirectory(["x.yaml": bytes])
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }

        let error = #expect(throws: RuleSetError.self) { try RuleBook.load(directory: directory.path) }
        let diagnostic = try #require(error?.diagnostics.first)
        #expect(error?.diagnostics.count == 1)
        #expect(diagnostic.code == "invalid-utf8")
        #expect(diagnostic.message == "the file is not valid UTF-8")
        #expect(
            diagnostic.location == CoachEngine.SourceLocation(file: "\(directory.path)/x.yaml", line: 2, column: 12))
    }

    @Test func aValidDirectoryLoadsWithPathsAsGiven() throws {
        let marked = MarkedText(RuleFixtures.file(RuleSpec("r", when: "1️⃣contrl >= 1")))
        let directory = try Self.rulesDirectory(["pairs/x.yaml": Array(marked.text.utf8)])
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }

        let error = #expect(throws: RuleSetError.self) { try RuleBook.load(directory: directory.path) }
        #expect(error?.diagnostics.first?.location == marked.location(file: "\(directory.path)/pairs/x.yaml"))
    }
}
