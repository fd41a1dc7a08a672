import Foundation
import Testing

@testable import CoachEngine

/// `coach lint`: each analysis on a small rule file, with a marker where the finding must point
/// and the exact message; the rendered text of findings; JSON and SARIF output; the built-in
/// rules lint clean under `--strict`.
@Suite struct LintTests {
    /// A rule as YAML, written out so that a marker can sit in its id or condition.
    static func rule(
        _ id: String, when: String, priority: Int = 50, group: String? = nil, levels: String? = nil,
        suppresses: String? = nil
    ) -> String {
        var lines = ["  - id: \(id)", "    title: A rule", "    when: \(when)", "    priority: \(priority)"]
        if let group { lines.append("    group: \(group)") }
        if let levels { lines.append("    levels: [\(levels)]") }
        if let suppresses { lines.append("    suppresses: [\(suppresses)]") }
        lines += [
            "    advice:", "      summary: A summary.", "      why: A reason.", "      actions: [A first step.]",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// The rules, with `1️⃣` where the finding must point.
        var rules: String
        var severity: Diagnostic.Severity
        var code: String
        var message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "contradictory thresholds on one variable",
            rules: rule("r", when: "1️⃣control is high and control < 3"),
            severity: .error, code: "never-true",
            message: "'control is high' and 'control < 3' can never both be true"
        ),
        Case(
            name: "a linear expression that contradicts two bands",
            rules: rule("r", when: "1️⃣control is low and control - commitment >= 1 and commitment >= 2 and being >= 2"),
            severity: .error, code: "never-true",
            message: "'control is low', 'control - commitment >= 1' and 'commitment >= 2' can never all be true"
        ),
        Case(
            name: "a threshold at the end of the scale",
            rules: rule("r", when: "1️⃣mean(control, commitment) > 5"),
            severity: .error, code: "never-true",
            message: "'mean(control, commitment) > 5' can never be true: no score on the 1–5 scale meets it"
        ),
        Case(
            name: "a level test against the rule's levels",
            rules: rule("r", when: #"1️⃣level == "team" and control >= 2"#, levels: "personal"),
            severity: .error, code: "never-true",
            message: #"'level == "team"' can never be true at the rule's levels (personal)"#
        ),
        Case(
            name: "an alternative that can never hold",
            rules: rule("r", when: "control >= 3 or (1️⃣commitment is high and commitment < 2)"),
            severity: .warning, code: "never-true",
            message: "the alternative 'commitment is high and commitment < 2' can never be true"
        ),
        Case(
            name: "a part of a conjunction that always holds",
            rules: rule("r", when: "control is high and 1️⃣commitment >= 1"),
            severity: .warning, code: "always-true",
            message: "'commitment >= 1' is always true for scores on the scale"
        ),
        Case(
            name: "a condition that always holds",
            rules: rule("r", when: "1️⃣not (control > 5)"),
            severity: .warning, code: "always-true",
            message: "the condition of 'r' is true for every profile that has the scores it reads"
        ),
        Case(
            name: "a conjunct implied by a linear one",
            rules: rule("r", when: "control - commitment >= 1.5 and 1️⃣commitment is not high"),
            severity: .warning, code: "redundant-condition",
            message: "'commitment is not high' always holds where the rest of the condition of 'r' does"
        ),
        Case(
            name: "a rule shadowed in its group",
            rules: rule("a", when: "control >= 3", priority: 80, group: "g")
                + rule("1️⃣b", when: "control >= 4 and commitment is low", priority: 60, group: "g"),
            severity: .error, code: "shadowed",
            message: "'b' can never be recommended: whenever it fires, 'a' fires too and wins group 'g'"
        ),
        Case(
            name: "a rule shadowed by two better-ranked rules together",
            rules: rule("a", when: "control >= 3", priority: 80, group: "g")
                + rule("b", when: "control < 3", priority: 70, group: "g")
                + rule("1️⃣c", when: "control is low or commitment is low and control >= 1", priority: 60, group: "g"),
            severity: .error, code: "shadowed",
            message: "'c' can never be recommended: wherever it fires, 'a' or 'b' fires too and wins group 'g'"
        ),
        Case(
            name: "two rules of a group with one condition",
            rules: rule("a", when: "control is high", group: "g")
                + rule("1️⃣b", when: "control >= 3.75", group: "g"),
            severity: .error, code: "duplicate-condition",
            message: "'b' has the same condition as 'a' in group 'g', which ranks first, so 'b' is never recommended"
        ),
        Case(
            name: "a rule always suppressed",
            rules: rule("a", when: "control >= 3", suppresses: "b")
                + rule("1️⃣b", when: "control is high", priority: 90),
            severity: .error, code: "always-suppressed",
            message: "'b' can never be recommended: whenever it fires, 'a' fires too and suppresses it"
        ),
        Case(
            name: "two rules of a group overlap",
            rules: rule("a", when: "control >= 3", priority: 80, group: "g")
                + rule("b", when: "1️⃣control <= 4 and commitment is low", priority: 60, group: "g"),
            severity: .note, code: "overlap",
            message: "'a' and 'b' (group 'g') both fire where commitment ≤ 2.5, 3 ≤ control ≤ 4"
        ),
        Case(
            name: "a linear overlap is named as written",
            rules: rule("a", when: "control is high and commitment is low", priority: 80, group: "g")
                + rule("b", when: "1️⃣control - commitment >= 2", priority: 60, group: "g"),
            severity: .note, code: "overlap",
            message:
                "'a' and 'b' (group 'g') both fire where control - commitment >= 2, commitment ≤ 2.5, control ≥ 3.75"
        ),
        Case(
            name: "not follows Kleene logic: not x holds where x is known false",
            rules: rule("r", when: "not 1️⃣(control >= 2) and control >= 3"),
            severity: .error, code: "never-true",
            message: "'not (control >= 2)' and 'control >= 3' can never both be true"
        ),
        Case(
            name: "a strict bound against an inclusive one",
            rules: rule("r", when: "1️⃣control > 3.75 and control <= 3.75"),
            severity: .error, code: "never-true",
            message: "'control > 3.75' and 'control <= 3.75' can never both be true"
        ),
        Case(
            name: "a test the analysis does not look inside, and its negation",
            rules: rule(
                "r",
                when: "1️⃣count(control is high, being is high) >= 2 and not (count(control is high, being is high) >= 2)"
            ),
            severity: .error, code: "never-true",
            message:
                "'count(control is high, being is high) >= 2' and 'not (count(control is high, being is high) >= 2)' can never both be true"
        ),
        Case(
            name: "a derived score's formula is expanded into its dimensions",
            rules: rule("r", when: "1️⃣management >= 4.5 and control is low and systems is low"),
            severity: .error, code: "never-true",
            message: "'management >= 4.5', 'control is low' and 'systems is low' can never all be true"
        ),
        Case(
            name: "abs splits into its two linear pieces",
            rules: rule("r", when: "1️⃣abs(control - commitment) > 4"),
            severity: .error, code: "never-true",
            message: "'abs(control - commitment) > 4' can never be true: no score on the 1–5 scale meets it"
        ),
        Case(
            name: "min is at least a bound only when every argument is",
            rules: rule("r", when: "min(control, commitment) >= 4 and 1️⃣commitment >= 3"),
            severity: .warning, code: "redundant-condition",
            message: "'commitment >= 3' always holds where the rest of the condition of 'r' does"
        ),
        Case(
            name: "max below a bound holds every argument below it",
            rules: rule("r", when: "1️⃣max(control, commitment) < 2 and control >= 2"),
            severity: .error, code: "never-true",
            message: "'max(control, commitment) < 2' and 'control >= 2' can never both be true"
        ),
        Case(
            name: "an advice template with an unknown variable is a load error",
            rules: rule("r", when: "control is high").replacing("A summary.", with: "Control is {{1️⃣contrl}}."),
            severity: .error, code: "unknown-variable",
            message: "unknown variable 'contrl'; did you mean 'control'?"
        ),
        Case(
            name: "a sum beyond the reach of its scores",
            rules: rule("r", when: "1️⃣control + commitment > 10"),
            severity: .error, code: "never-true",
            message: "'control + commitment > 10' can never be true: no score on the 1–5 scale meets it"
        ),
        Case(
            name: "a mean below the bottom of the scale",
            rules: rule("r", when: "control is high and 1️⃣mean(control, serving) < 1"),
            severity: .error, code: "never-true",
            message: "'mean(control, serving) < 1' can never be true: no score on the 1–5 scale meets it"
        ),
        Case(
            name: "a product of scores at the top of its range, compared strictly",
            rules: rule("r", when: "control is high and 1️⃣control * commitment > 25"),
            severity: .warning, code: "never-true",
            message: "'control * commitment > 25' can never be true: 'control * commitment' is between 1 and 25"
        ),
        Case(
            name: "a quotient of scores below its range, the threshold on the left",
            rules: rule("r", when: "1️⃣0.2 > control / commitment"),
            severity: .warning, code: "never-true",
            message: "'0.2 > control / commitment' can never be true: 'control / commitment' is between 0.2 and 5"
        ),
        Case(
            name: "a count of two conditions above two",
            rules: rule("r", when: "1️⃣count(control is high, being is high) > 2"),
            severity: .warning, code: "never-true",
            message:
                "'count(control is high, being is high) > 2' can never be true: 'count(control is high, being is high)' is between 0 and 2"
        ),
        Case(
            name: "a division by a constant zero is always unknown",
            rules: rule("r", when: "1️⃣control / 0 >= 1"),
            severity: .warning, code: "always-unknown",
            message: "'control / 0 >= 1' divides by zero, so it is unknown for every profile"
        ),
        Case(
            name: "a divisor folded to zero, inside a negation and an alternative",
            rules: rule("r", when: "control is high or not 1️⃣(control / (2 - 2) >= 1)"),
            severity: .warning, code: "always-unknown",
            message: "'(control / (2 - 2) >= 1)' divides by zero, so it is unknown for every profile"
        ),
        Case(
            name: "a divisor whose terms cancel is zero for every profile",
            rules: rule("r", when: "control is high and 1️⃣abs(being / (commitment - commitment)) < 1"),
            severity: .warning, code: "always-unknown",
            message: "'abs(being / (commitment - commitment)) < 1' divides by zero, so it is unknown for every profile"
        ),
    ]

    /// Conditions that must give no error or warning: views are separate variables, counts and
    /// attributes are not confused with scores, near-complements are not complements.
    static let clean = [
        "self.control - others.control >= 1 and others.control is not high",
        "control is high or control is low",
        "control > 3.75 or control < 3.75",
        "count(control is high, being is high) >= 1 and not (count(control is high, being is high) >= 2)",
        "raters.peers >= 3 and raters.others >= 3",
        #"role in ["manager", "director"] and level == "team""#,
        "balance <= -1 and leadership is not high",
        "mean(control, commitment) >= 4.5 and commitment <= 4",
        "abs(control - commitment) >= 1 and control is high",
        "max(control, commitment) >= 4 and commitment is low",
        "control / commitment >= 2 and control / (commitment - 1) >= 2",
        "control * commitment >= 25 and count(control is high, being is high) >= 2",
    ]

    @Test("no finding", arguments: clean)
    func noFinding(_ when: String) {
        let report = Self.lint(Self.rule("r", when: when))
        #expect(report.diagnostics.filter { $0.severity != .note }.isEmpty, "\(report.text)")
    }

    static func lint(_ rules: String) -> LintReport {
        Linter.lint(sources: RuleFixtures.sources([("x.yaml", "rules:\n" + rules)]))
    }

    @Test("the finding, at the marker", arguments: cases)
    func findingAtTheMarker(_ test: Case) throws {
        let marked = MarkedText("rules:\n" + test.rules)
        let report = Linter.lint(sources: RuleFixtures.sources([("x.yaml", marked.text)]))
        let found = report.diagnostics.filter { $0.code == test.code && $0.severity == test.severity }
        #expect(found.count == 1, "\(report.text)")
        let finding = try #require(found.first)
        #expect(finding.message == test.message)
        #expect(finding.location == marked.location(file: "Rules/x.yaml"))
    }

    @Test func theBuiltinRulesLintCleanUnderStrict() {
        let report = Linter.lint(directory: nil)
        #expect(report.count(.error) == 0, "\(report.text)")
        #expect(report.count(.warning) == 0, "\(report.text)")
        #expect(!report.fails(strict: true))
    }

    @Test func errorsFailAndWarningsFailOnlyUnderStrict() {
        let warning = Self.lint(Self.rule("r", when: "control is high and commitment >= 1"))
        #expect(warning.count(.error) == 0)
        #expect(!warning.fails(strict: false))
        #expect(warning.fails(strict: true))
        let error = Self.lint(Self.rule("r", when: "control is high and control < 3"))
        #expect(error.fails(strict: false))
    }

    @Test func renderedLikeACompilerWithWhatToDo() {
        let report = Self.lint(
            Self.rule("a", when: "control >= 3", priority: 80, group: "g")
                + Self.rule("b", when: "control >= 4 and commitment is low", priority: 60, group: "g")
        )
        let errors = report.diagnostics.filter { $0.severity == .error }
        #expect(
            DiagnosticRenderer(sources: report.sources).render(errors) == """
                Rules/x.yaml:11:9: error: 'b' can never be recommended: whenever it fires, 'a' fires too and wins group 'g'
                11 |   - id: b
                   |         ^
                note: 'a' has priority 80, 'b' 60; 'a' is at Rules/x.yaml:2:5
                note: give 'b' a higher priority than 'a', narrow the condition of 'a', or move one of them to another group
                """
        )
        #expect(report.text.hasSuffix("1 error, 0 warnings, 6 notes\n"), "\(report.text)")
    }

    @Test func textShowsErrorsAndWarningsAndCountsTheNotesItHides() {
        let report = Self.lint(
            Self.rule("a", when: "control >= 3", priority: 80, group: "g")
                + Self.rule("b", when: "control is high and commitment >= 1", priority: 60)
        )
        let how = { (severity: Diagnostic.Severity) in severity == .note ? "--notes" : "--severity warning" }
        let defaultText = report.text(showing: .warning, how: how)
        #expect(defaultText.contains("warning: 'commitment >= 1' is always true"))
        #expect(!defaultText.contains(": note: "))
        let notes = report.count(.note)
        #expect(notes > 0)
        #expect(defaultText.hasSuffix("\(notes) notes; show them with --notes\n0 errors, 1 warning, \(notes) notes\n"))
        let errorsOnly = report.text(showing: .error, how: how)
        let hidden = "1 warning; show them with --severity warning\n\(notes) notes; show them with --notes\n"
        #expect(errorsOnly == hidden + "0 errors, 1 warning, \(notes) notes\n")
        #expect(report.text(showing: .note, how: how) == report.text)
        #expect(report.text.contains(": note: "))
    }

    @Test func sarifHasTheShapeCodeScanningReads() throws {
        let report = Self.lint(Self.rule("r", when: "control is high and control < 3"))
        let data = Data(report.sarif.utf8)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(root["version"] as? String == "2.1.0")
        #expect(root["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "coach")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let results = try #require(run["results"] as? [[String: Any]])
        let error = try #require(results.first { $0["level"] as? String == "error" })
        #expect(error["ruleId"] as? String == "never-true")
        let index = try #require(error["ruleIndex"] as? Int)
        #expect(rules[index]["id"] as? String == "never-true")
        let message = try #require((error["message"] as? [String: Any])?["text"] as? String)
        #expect(message.hasPrefix("'control is high' and 'control < 3' can never both be true\n"))
        let location = try #require(
            (error["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "Rules/x.yaml")
        let region = try #require(location["region"] as? [String: Any])
        #expect(region["startLine"] as? Int == 4)
        #expect(region["startColumn"] as? Int == 11)
        #expect(region["endColumn"] as? Int == 26)
        #expect(results.allSatisfy { ["error", "warning", "note"].contains($0["level"] as? String ?? "") })
    }

    @Test func jsonCountsAndPlacesEveryFinding() throws {
        let report = Self.lint(Self.rule("r", when: "control is high and control < 3"))
        let root = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        #expect(root["errors"] as? Int == 1)
        let first = try #require(
            (root["diagnostics"] as? [[String: Any]])?.first { $0["severity"] as? String == "error" })
        #expect(first["code"] as? String == "never-true")
        #expect(first["file"] as? String == "Rules/x.yaml")
        #expect(first["line"] as? Int == 4)
        #expect(first["column"] as? Int == 11)
    }

    @Test func aLinearContradictionSaysWhichBoundBreaks() throws {
        let report = Self.lint(Self.rule("r", when: "control is low and control - commitment >= 1 and commitment >= 2"))
        let finding = try #require(report.diagnostics.first { $0.code == "never-true" })
        #expect(
            finding.notes == [
                "'control - commitment >= 1' needs commitment ≤ 1.5; where the rest holds, commitment is at least 2",
                "so 'r' can never fire; correct the thresholds or remove one of the conditions",
            ]
        )
    }

    @Test func aRuleTestNamingAnUnknownRuleIsAnError() throws {
        let marked = MarkedText(
            """
            tests:
              - name: a typo
                profile: { level: team, scores: { control: 4 } }
                recommend: [1️⃣rr]
            """
        )
        let report = Linter.lint(
            sources: RuleFixtures.sources([
                ("x.yaml", "rules:\n" + Self.rule("r", when: "control >= 2")), ("tests/x.yaml", marked.text),
            ]))
        let finding = try #require(report.diagnostics.first { $0.code == "unknown-rule" })
        #expect(finding.message == "test 'a typo' names unknown rule 'rr'; did you mean 'r'?")
        #expect(finding.location == marked.location(file: "Rules/tests/x.yaml"))
    }

    @Test func aRuleWithoutActionsIsALoadError() {
        let report = Self.lint(Self.rule("r", when: "control is high").replacing("[A first step.]", with: "[]"))
        #expect(report.diagnostics.map(\.message) == ["'actions' needs at least one action"])
        #expect(report.fails(strict: false))
    }
}
