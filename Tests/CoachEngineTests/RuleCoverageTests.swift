import Testing

@testable import CoachEngine

/// `coach test --coverage`: which rules some case recommends and some does not, which leaf
/// conditions were seen true, false and unknown; failing cases explain the rules involved.
@Suite struct RuleCoverageTests {
    static let rules = RuleFixtures.file(
        RuleSpec("a", when: "control is high and commitment is low"),
        RuleSpec("b", when: "commitment >= 4")
    )

    static func run(_ tests: String) throws -> (RuleTestSuite, [RuleTestSuite.Result], RuleBook) {
        let sources = RuleFixtures.sources([("x.yaml", rules), ("tests/x.yaml", tests)])
        let book = try RuleBook.load(sources: sources)
        let suite = try RuleTestSuite.load(sources: sources)
        return (suite, suite.run(book), book)
    }

    static let twoCases = """
        tests:
          - name: control high, commitment low
            profile: { level: team, scores: { control: 4.5, commitment: 2 } }
            recommend: [a]
          - name: commitment missing
            profile: { level: team, scores: { control: 3 } }
            not_recommend: [a, b]
        """

    @Test func countsRulesAndLeafOutcomes() throws {
        let (suite, results, book) = try Self.run(Self.twoCases)
        #expect(results.allSatisfy { $0.passed })
        let coverage = RuleCoverage(suite: suite, results: results, book: book)
        #expect(coverage.rules.map(\.covered) == [true, false])
        #expect(coverage.rules.map(\.recommendedBy) == [1, 0])
        let a = coverage.leaves.filter { $0.rule == "a" }
        #expect(a.map(\.seenTrue) == [1, 1])
        #expect(a.map(\.seenFalse) == [1, 0])
        #expect(a.map(\.seenUnknown) == [0, 1])
        #expect(coverage.rulePercent == 50)
        #expect(isClose(coverage.conditionPercent, 200.0 / 3))
        #expect(
            coverage.report == """
                rule coverage: 1/2 rules (50 %) recommended by some case and not by another
                condition coverage: 4/6 leaf outcomes (66.7 %) seen true and false; 2 of 3 leaves also seen unknown
                  Rules/x.yaml:9:5: rule 'b': no case recommends it
                  Rules/x.yaml:4:31: 'commitment is low' in 'a': never seen false
                  Rules/x.yaml:11:11: 'commitment >= 4' in 'b': never seen true
                """ + "\n"
        )
    }

    @Test func theBuiltinRulesAreFullyCovered() throws {
        let book = try RuleBook.builtin()
        let suite = try RuleTestSuite.builtin()
        let results = suite.run(book)
        #expect(results.allSatisfy { $0.passed })
        let coverage = RuleCoverage(suite: suite, results: results, book: book)
        #expect(coverage.rulePercent == 100, "\(coverage.report)")
        #expect(coverage.conditionPercent == 100, "\(coverage.report)")
    }

    @Test func aFailingCaseExplainsTheRulesInvolved() throws {
        let (_, results, _) = try Self.run(
            """
            tests:
              - name: commitment not quite low
                profile: { level: team, scores: { control: 4.5, commitment: 2.75 } }
                recommend: [a]
            """
        )
        let result = try #require(results.first)
        #expect(result.failures == ["expected 'a' to be recommended; it did not fire"])
        let explanation = try #require(result.explanations.first)
        #expect(explanation.rule == "a")
        #expect(
            explanation.conditions.map { "\($0.detail): \($0.result.name)" } == [
                "control 4.50 is high (high: ≥ 3.75): true",
                "commitment 2.75 is low (low: ≤ 2.5): false",
            ]
        )
    }

    @Test func theExactOrderIsChecked() throws {
        let (_, results, _) = try Self.run(
            """
            tests:
              - name: only a fires
                profile: { level: team, scores: { control: 4.5, commitment: 2 } }
                order: [a]
              - name: nothing fires
                profile: { level: team, scores: { control: 3, commitment: 3 } }
                order: []
            """
        )
        #expect(results.map(\.failures) == [[], []])
        let (_, failing, _) = try Self.run(
            """
            tests:
              - name: the wrong rule
                profile: { level: team, scores: { control: 4.5, commitment: 2 } }
                order: [b]
            """
        )
        #expect(failing.first?.failures == ["expected the recommendations [b] in this order, got [a]"])
    }
}
