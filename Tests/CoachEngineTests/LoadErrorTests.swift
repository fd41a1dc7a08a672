import Testing

@testable import CoachEngine

/// Rule files that do not load: unknown keys, wrong types, duplicate and unknown ids, missing
/// keys. Every problem is reported with its place, and nothing loads half.
@Suite struct LoadErrorTests {
    /// A rule with the usual fields. `fields` replaces the lines of a key already there (the
    /// `advice` block counts as one), adds the others before `advice`, and a nil value removes
    /// the key.
    static func rule(_ fields: KeyValuePairs<String, String?> = [:]) -> String {
        var lines: [(key: String, text: String?)] = [
            ("id", "  - id: r"),
            ("title", "    title: A rule"),
            ("when", "    when: control >= 1"),
            ("advice", "    advice:\n      summary: Summary.\n      why: Why.\n      actions: [One., Two.]"),
        ]
        for (key, text) in fields {
            if let index = lines.firstIndex(where: { $0.key == key }) {
                lines[index].text = text
            } else {
                lines.insert((key, text), at: lines.count - 1)
            }
        }
        return "rules:\n" + lines.compactMap(\.text).joined(separator: "\n") + "\n"
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// The rule file, with `1️⃣` where the error must point.
        var marked: String
        var code: String
        var message: String
        var notes: [String] = []
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "unknown key with a suggestion",
            marked: rule(["priority": "    1️⃣prioirty: 80"]),
            code: "unknown-key",
            message: "unknown key 'prioirty' in a rule; did you mean 'priority'?",
            notes: ["a rule takes: id, title, when, levels, priority, group, suppresses, advice, expect"]
        ),
        Case(
            name: "unknown key far from any",
            marked: rule(["owner": "    1️⃣owner: hr"]),
            code: "unknown-key",
            message: "unknown key 'owner' in a rule",
            notes: ["a rule takes: id, title, when, levels, priority, group, suppresses, advice, expect"]
        ),
        Case(
            name: "duplicate key",
            marked: rule(["title2": "    1️⃣title: Again"]),
            code: "duplicate-key",
            message: "key 'title' appears twice in a rule"
        ),
        Case(
            name: "quoted priority",
            marked: rule(["priority": #"    priority: 1️⃣"high""#]),
            code: "type",
            message: "'priority' must be a number, found a string"
        ),
        Case(
            name: "word priority",
            marked: rule(["priority": "    priority: 1️⃣high"]),
            code: "type",
            message: "'priority' must be a number, found a string"
        ),
        Case(
            name: "quoted number priority",
            marked: rule(["priority": #"    priority: 1️⃣"80""#]),
            code: "type",
            message: "'priority' must be a number, found a string"
        ),
        Case(
            name: "fractional priority",
            marked: rule(["priority": "    priority: 1️⃣2.5"]),
            code: "type",
            message: "'priority' must be a whole number, found 2.5"
        ),
        Case(
            name: "levels not a list",
            marked: rule(["levels": "    levels: 1️⃣team"]),
            code: "type",
            message: "'levels' must be a list, found a string"
        ),
        Case(
            name: "unknown level",
            marked: rule(["levels": "    levels: [team, 1️⃣teem]"]),
            code: "unknown-level",
            message: "unknown level 'teem'; did you mean 'team'?",
            notes: ["levels: personal, team, organization"]
        ),
        Case(
            name: "empty levels",
            marked: rule(["levels": "    levels: 1️⃣[]"]),
            code: "empty",
            message: "'levels' is empty, so the rule could never fire; remove it to allow every level"
        ),
        Case(
            name: "title a list",
            marked: rule(["title": "    title: 1️⃣[a, b]"]),
            code: "type",
            message: "'title' must be text, found a list"
        ),
        Case(
            name: "group a mapping",
            marked: rule(["group": "    group: 1️⃣{name: pairs}"]),
            code: "type",
            message: "'group' must be text, found a mapping"
        ),
        Case(
            name: "suppresses not a list",
            marked: rule(["suppresses": "    suppresses: 1️⃣other"]),
            code: "type",
            message: "'suppresses' must be a list, found a string"
        ),
        Case(
            name: "bad id",
            marked: rule(["id": "  - id: 1️⃣Control Rule"]),
            code: "bad-id",
            message: "rule id 'Control Rule' must be lowercase letters, digits and '-', starting with a letter or digit"
        ),
        Case(
            name: "empty condition",
            marked: rule(["when": "    when:1️⃣"]),
            code: "empty-expression",
            message: "the condition is empty"
        ),
        Case(
            name: "condition a list",
            marked: rule(["when": "    when: 1️⃣[control is high, commitment is low]"]),
            code: "structured-condition",
            message:
                "a condition is an expression or 'all: [...]', 'any: [...]', 'not: ...'; found a list (write 'all:' above it)"
        ),
        Case(
            name: "missing title",
            marked: rule(["id": "  - 1️⃣id: r", "title": nil]),
            code: "missing-key",
            message: "a rule needs 'title'"
        ),
        Case(
            name: "missing when",
            marked: rule(["id": "  - 1️⃣id: r", "when": nil]),
            code: "missing-key",
            message: "a rule needs 'when'"
        ),
        Case(
            name: "missing advice",
            marked: rule(["id": "  - 1️⃣id: r", "advice": nil]),
            code: "missing-key",
            message: "a rule needs 'advice'"
        ),
        Case(
            name: "missing actions",
            marked: rule([
                "advice": "    advice:\n      1️⃣summary: Summary.\n      why: Why."
            ]),
            code: "missing-key",
            message: "'advice' needs 'actions'"
        ),
        Case(
            name: "empty actions",
            marked: rule([
                "advice": "    advice:\n      summary: Summary.\n      why: Why.\n      actions: 1️⃣[]"
            ]),
            code: "empty",
            message: "'actions' needs at least one action"
        ),
        Case(
            name: "unclosed template",
            marked: rule([
                "advice": "    advice:\n      summary: Control is 1️⃣{{control.\n      why: Why.\n      actions: [One.]"
            ]),
            code: "template",
            message: "'{{' is not closed with '}}'"
        ),
        Case(
            name: "rules not a list",
            marked: "rules: 1️⃣{id: r}\n",
            code: "type",
            message: "'rules' must be a list, found a mapping"
        ),
    ]

    @Test("one error, at the marker", arguments: cases)
    func reportsAtTheMarker(_ test: Case) throws {
        let marked = MarkedText(test.marked)
        let error = try #require(RuleFixtures.loadError(marked.text))
        let diagnostic = try #require(error.diagnostics.first)
        #expect(error.diagnostics.count == 1, "\(error.rendered)")
        #expect(diagnostic.code == test.code)
        #expect(diagnostic.message == test.message)
        #expect(diagnostic.notes == test.notes)
        #expect(diagnostic.location == marked.location(file: "Rules/x.yaml"))
    }

    /// A rule file with an escape sequence in it cannot drive the terminal through an error:
    /// libyaml refuses the control character, the error points at it, and the quoted line shows
    /// control characters as their pictures with the caret under the right column.
    @Test func controlCharactersInAnErrorAreShownNotSent() throws {
        let error = try #require(
            RuleFixtures.loadError(Self.rule(["when": "    when: \u{1B}[31mcontrol\u{7} >= 1"])))
        let diagnostic = try #require(error.diagnostics.first)
        #expect(diagnostic.message == "invalid YAML: control characters are not allowed (U+001B)")
        #expect(diagnostic.location == SourceLocation(file: "Rules/x.yaml", line: 4, column: 11))
        let rendered = error.rendered
        #expect(!rendered.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(rendered.contains("when: \u{241B}[31mcontrol\u{2407} >= 1"))
        let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let source = try #require(lines.firstIndex { $0.contains("| ") && $0.contains("when:") })
        let sourceLine = Array(lines[source].unicodeScalars)
        let column = try #require(Array(lines[source + 1].unicodeScalars).firstIndex(of: "^"))
        #expect(column < sourceLine.count && sourceLine[column] != " ")
    }

    /// rule-format.md says ids are `[a-z0-9-]`, and so does the `bad-id` message.
    @Test func anUnderscoreInAnIDIsRejectedAsDocumented() throws {
        let loaded = (try? RuleFixtures.load(Self.rule(["id": "  - id: my_rule"])))?.rules.map(\.id)
        #expect(loaded == nil)
    }

    @Test func misspeltAdviceKeyAlsoLeavesItsKeyMissing() throws {
        // The unknown key is reported at the key; the missing one at the start of the mapping,
        // which is the same place here.
        let marked = MarkedText(
            Self.rule(["advice": "    advice:\n      1️⃣summry: Summary.\n      why: Why.\n      actions: [One.]"])
        )
        let error = try #require(RuleFixtures.loadError(marked.text))
        let place = marked.location(file: "Rules/x.yaml")
        #expect(
            error.diagnostics.map(\.summary) == [
                "\(place): error: unknown key 'summry' in 'advice'; did you mean 'summary'?",
                "\(place): error: 'advice' needs 'summary'",
            ]
        )
        #expect(error.diagnostics.map(\.code) == ["unknown-key", "missing-key"])
    }

    @Test func misspeltTopLevelKeyAlsoLeavesRulesMissing() throws {
        let error = try #require(RuleFixtures.loadError("rule: []\n"))
        #expect(
            error.diagnostics.map(\.summary) == [
                "Rules/x.yaml:1:1: error: unknown key 'rule' in a rule file; did you mean 'rules'?",
                "Rules/x.yaml:1:1: error: a rule file needs 'rules'",
            ]
        )
    }

    // MARK: Across files

    @Test func duplicateIDsNameTheFirstDefinition() throws {
        let first = MarkedText("rules:\n" + RuleSpec("same").yaml.replacing("id: same", with: "id: 1️⃣same"))
        let second = MarkedText(
            "rules:\n" + RuleSpec("other").yaml + RuleSpec("same").yaml.replacing("id: same", with: "id: 1️⃣same")
        )
        let error = try #require(RuleFixtures.loadError([("a.yaml", first.text), ("b.yaml", second.text)]))
        let diagnostic = try #require(error.diagnostics.first)
        #expect(error.diagnostics.count == 1)
        #expect(diagnostic.code == "duplicate-id")
        #expect(diagnostic.message == "duplicate rule id 'same'")
        #expect(diagnostic.location == second.location(file: "Rules/b.yaml"))
        #expect(diagnostic.notes == ["first defined at \(first.location(file: "Rules/a.yaml"))"])
        #expect(diagnostic.notes == ["first defined at Rules/a.yaml:2:9"])
    }

    @Test func duplicateIDsInOneFile() throws {
        let text = RuleFixtures.file(RuleSpec("same"), RuleSpec("same"))
        let error = try #require(RuleFixtures.loadError(text))
        #expect(error.diagnostics.map(\.summary) == ["Rules/x.yaml:9:9: error: duplicate rule id 'same'"])
        #expect(error.diagnostics.first?.notes == ["first defined at Rules/x.yaml:2:9"])
    }

    @Test func unknownSuppressedRule() throws {
        let marked = MarkedText(
            RuleFixtures.file(RuleSpec("control-rule"), RuleSpec("other", suppresses: ["1️⃣contrl-rule"]))
        )
        let error = try #require(RuleFixtures.loadError(marked.text))
        #expect(error.diagnostics.map(\.code) == ["unknown-rule"])
        #expect(
            error.diagnostics.first?.message
                == "'suppresses' names unknown rule 'contrl-rule'; did you mean 'control-rule'?"
        )
        #expect(error.diagnostics.first?.location == marked.location(file: "Rules/x.yaml"))
    }

    @Test func suppressingARuleInAnotherFileIsFine() throws {
        let book = try RuleFixtures.load([
            ("a.yaml", RuleFixtures.file(RuleSpec("first", suppresses: ["second"]))),
            ("b.yaml", RuleFixtures.file(RuleSpec("second"))),
        ])
        #expect(book.rules.map(\.id) == ["first", "second"])
    }

    @Test func aRuleCannotSuppressItself() throws {
        let error = try #require(RuleFixtures.loadError(RuleFixtures.file(RuleSpec("r", suppresses: ["r"]))))
        #expect(error.diagnostics.map(\.code) == ["self-suppression"])
        #expect(error.diagnostics.first?.message == "a rule cannot suppress itself")
    }

    // MARK: All or nothing

    @Test func threeErrorsInTwoFilesAreAllReportedAndNothingLoads() throws {
        let a = MarkedText(
            RuleFixtures.file(
                RuleSpec("fine-a"),
                RuleSpec("bad-a", when: "1️⃣contrl is high")
            ).replacing("    title: Title of fine-a", with: "    title: Title of fine-a\n    2️⃣prioirty: 80")
        )
        let b = MarkedText(RuleFixtures.file(RuleSpec("bad-b", when: "commitment is 1️⃣lo"), RuleSpec("fine-b")))
        let error = try #require(RuleFixtures.loadError([("b.yaml", b.text), ("a.yaml", a.text)]))
        #expect(
            error.diagnostics.map(\.location) == [
                a.location("2️⃣", file: "Rules/a.yaml"),
                a.location("1️⃣", file: "Rules/a.yaml"),
                b.location("1️⃣", file: "Rules/b.yaml"),
            ]
        )
        #expect(
            error.diagnostics.map(\.message) == [
                "unknown key 'prioirty' in a rule; did you mean 'priority'?",
                "unknown variable 'contrl'; did you mean 'control'?",
                "unknown band 'lo'; did you mean 'low'?",
            ]
        )
        #expect(error.rendered.hasSuffix("\n3 errors; the rule set was not loaded"))
    }

    @Test func theInstrumentMustBeThere() throws {
        let error = #expect(throws: RuleSetError.self) {
            try RuleBook.load(sources: [RuleFixtures.source("x.yaml", RuleFixtures.file(RuleSpec("r")))])
        }
        #expect(error?.diagnostics.map(\.code) == ["no-instrument"])
    }

    @Test func ruleTestsBesideTheRulesAreNotRules() throws {
        let book = try RuleBook.load(
            sources: RuleFixtures.sources([
                ("x.yaml", RuleFixtures.file(RuleSpec("r"))),
                ("tests/x.yaml", "tests: []\n"),
            ])
        )
        #expect(book.rules.map(\.id) == ["r"])
    }
}
