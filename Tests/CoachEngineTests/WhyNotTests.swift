import Testing

@testable import CoachEngine

/// `coach advise --why-not RULE`: the failed conditions with the values read, the smallest
/// change of one score that makes the rule fire (exact for linear conditions), and what keeps a
/// rule that fired from being recommended.
@Suite struct WhyNotTests {
    static func profile(_ scores: [String: Double], level: String = "team") -> Profile {
        Profile(id: "p1", level: level, scores: scores)
    }

    @Test func theBuiltinControlRuleNamesTheSmallestChange() throws {
        let book = try RuleBook.builtin()
        let answer = try #require(
            try book.whyNot(Self.profile(["control": 4.0, "commitment": 2.75]), rule: "control-without-commitment"))
        #expect(
            answer.text == """
                'control-without-commitment' did not fire for 'p1': its condition is false
                  ✓ control 4.00 is high (high: ≥ 3.75): true
                  ✗ commitment 2.75 is low (low: ≤ 2.5): false
                  ✗ control - commitment 1.25 ≥ 1.5: false
                smallest change of one score that makes it fire (holding the others):
                  commitment would have to fall from 2.75 to 2.50 or below
                  or control would have to rise from 4.00 to 4.25 or above
                """ + "\n"
        )
    }

    @Test func aLinearConditionIsSolvedExactly() throws {
        let book = try RuleFixtures.load(RuleFixtures.file(RuleSpec("r", when: "control - commitment >= 1.5")))
        let answer = try #require(try book.whyNot(Self.profile(["control": 3.2, "commitment": 2.0]), rule: "r"))
        #expect(
            answer.changes.map(\.sentence) == [
                "commitment would have to fall from 2.00 to 1.70 or below",
                "control would have to rise from 3.20 to 3.50 or above",
            ]
        )
        #expect(isClose(answer.changes.first?.to, 1.7))
    }

    @Test func minAndMaxAreSolvedPieceByPiece() throws {
        let book = try RuleFixtures.load(RuleFixtures.file(RuleSpec("r", when: "min(control, commitment) >= 3")))
        let answer = try #require(try book.whyNot(Self.profile(["control": 4.0, "commitment": 2.5]), rule: "r"))
        #expect(answer.changes.map(\.sentence) == ["commitment would have to rise from 2.50 to 3.00 or above"])
    }

    @Test func aStrictBoundIsNamedAsSuch() throws {
        let book = try RuleFixtures.load(RuleFixtures.file(RuleSpec("r", when: "mean(control, being) > 3")))
        let answer = try #require(try book.whyNot(Self.profile(["control": 2.5, "being": 2.5]), rule: "r"))
        #expect(
            answer.changes.map(\.sentence) == [
                "being would have to rise from 2.50 to above 3.50",
                "control would have to rise from 2.50 to above 3.50",
            ]
        )
    }

    @Test func aRuleAtAnotherLevelIsUnreachable() throws {
        let book = try RuleBook.builtin()
        let answer = try #require(
            try book.whyNot(
                Self.profile(["control": 4.5, "commitment": 2.0]), rule: "control-without-commitment-organization"))
        #expect(
            answer.lines == [
                "'control-without-commitment-organization' cannot fire for 'p1': it applies at organization and the profile is at level 'team'"
            ]
        )
    }

    @Test func aRuleThatLostItsGroupNamesTheWinner() throws {
        let book = try RuleFixtures.load(
            RuleFixtures.file(
                RuleSpec("a", when: "control >= 3", priority: 80, group: "g"),
                RuleSpec("b", when: "commitment >= 3", priority: 60, group: "g"),
                RuleSpec("c", when: "being <= 2", priority: 40, group: "h")
            ))
        let profile = Self.profile(["control": 4, "commitment": 4, "being": 3])
        let lost = try #require(try book.whyNot(profile, rule: "b"))
        #expect(lost.lines == ["'b' fired for 'p1' but is not recommended: 'a' (priority 80) ranks first in group 'g'"])
        let won = try #require(try book.whyNot(profile, rule: "a"))
        #expect(won.lines == ["'a' fired and is recommended for 'p1' (number 1)"])
        let notFired = try #require(
            try book.whyNot(Self.profile(["control": 4, "commitment": 2, "being": 3]), rule: "b"))
        #expect(
            notFired.lines.last
                == "even then, 'a' (priority 80) is recommended in group 'g' and would still win it")
    }

    @Test func aSuppressedRuleNamesTheSuppressor() throws {
        let book = try RuleFixtures.load(
            RuleFixtures.file(
                RuleSpec("a", when: "control >= 3", suppresses: ["b"]),
                RuleSpec("b", when: "commitment >= 3")
            ))
        let answer = try #require(try book.whyNot(Self.profile(["control": 4, "commitment": 4]), rule: "b"))
        #expect(answer.lines == ["'b' fired for 'p1' but is not recommended: 'a' fired too and suppresses it"])
    }

    @Test func anUnknownRuleIsNil() throws {
        let book = try RuleBook.builtin()
        #expect(try book.whyNot(Self.profile([:]), rule: "control-witout-commitment") == nil)
        #expect(
            book.unknownRuleMessage("control-witout-commitment")
                == "unknown rule 'control-witout-commitment'; did you mean 'control-without-commitment'?")
    }
}
