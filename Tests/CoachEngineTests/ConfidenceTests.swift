import Testing

@testable import CoachEngine

/// Each recommendation's confidence: lower with few raters other than self, lower when rater
/// groups disagree on what the rule reads; a note that reads no scores is certain.
@Suite struct ConfidenceTests {
    static let book = Result { () throws(RuleSetError) -> RuleBook in
        try RuleFixtures.load(
            RuleFixtures.file(
                RuleSpec("reads-control", when: "control >= 1"),
                RuleSpec("reads-counts", when: "raters.self >= 0")
            )
        )
    }

    static func confidence(_ raters: [String: Profile.RaterScores], rule: String = "reads-control") throws -> Double {
        let advice = try book.get().advise(Profile(raters: raters), options: AdviceOptions(limit: 10))
        return try #require(advice.recommendations.first { $0.rule == rule }).confidence
    }

    static let me = Profile.RaterScores(count: 1, scores: ["control": 4])

    static func group(_ count: Int, control: Double) -> Profile.RaterScores {
        Profile.RaterScores(count: count, scores: ["control": control])
    }

    @Test func selfOnlyIsLessCertainThanTenOthers() throws {
        let selfOnly = try Self.confidence(["self": Self.me])
        let threeOthers = try Self.confidence(["self": Self.me, "peers": Self.group(3, control: 4)])
        let tenOthers = try Self.confidence(["self": Self.me, "peers": Self.group(10, control: 4)])
        #expect(selfOnly < threeOthers)
        #expect(threeOthers < tenOthers)
        #expect(0 < selfOnly && tenOthers <= 1)
    }

    @Test func disagreementBetweenGroupsLowersConfidence() throws {
        let agree = try Self.confidence([
            "self": Self.me, "peers": Self.group(10, control: 3), "reports": Self.group(10, control: 3),
        ])
        let disagree = try Self.confidence([
            "self": Self.me, "peers": Self.group(10, control: 2), "reports": Self.group(10, control: 4),
        ])
        let wider = try Self.confidence([
            "self": Self.me, "peers": Self.group(10, control: 1.5), "reports": Self.group(10, control: 4.5),
        ])
        #expect(disagree < agree)
        #expect(wider <= disagree)
    }

    @Test func aGroupBelowItsMinimumDoesNotCountAsRaters() throws {
        let hidden = try Self.confidence(["self": Self.me, "peers": Self.group(2, control: 4)])
        let selfOnly = try Self.confidence(["self": Self.me])
        #expect(hidden == selfOnly)
    }

    @Test func aRuleThatReadsNoScoresIsCertain() throws {
        #expect(try Self.confidence(["self": Self.me], rule: "reads-counts") == 1)
    }

    @Test func plainScoresHaveAFixedConfidence() throws {
        let advice = try Self.book.get().advise(Profile(scores: ["control": 4]))
        let confidence = try #require(advice.recommendations.first { $0.rule == "reads-control" }?.confidence)
        #expect(confidence == Confidence.scoresOnly)
    }

    @Test func confidencePrintsWithTwoDecimalsAtMost() throws {
        let confidence = try Self.confidence(["self": Self.me, "peers": Self.group(7, control: 4)])
        #expect(confidence == (confidence * 100).rounded() / 100)
    }
}
