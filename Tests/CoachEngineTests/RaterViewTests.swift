import Testing

@testable import CoachEngine

/// Rater views of a 360: `others` is the count-weighted mean of the usable groups other than
/// self, a group below its anonymity minimum is missing, the combined view is computed from the
/// groups when `scores` is absent, and derived scores exist in every view.
@Suite struct RaterViewTests {
    /// self 1, manager 1, peers 4 and reports 2 (below their minimum of 3); no combined scores.
    static let threeSixty = Profile(
        id: "p",
        raters: [
            "self": .init(count: 1, scores: ["control": 5, "commitment": 4, "serving": 4]),
            "manager": .init(count: 1, scores: ["control": 2, "commitment": 3, "serving": 4]),
            "peers": .init(count: 4, scores: ["control": 3, "commitment": 2]),
            "reports": .init(count: 2, scores: ["control": 1, "commitment": 1, "serving": 1]),
        ]
    )

    struct Case: Sendable, CustomTestStringConvertible {
        var expression: String
        var value: Double?
        var testDescription: String { expression }
    }

    static let cases: [Case] = [
        // Each usable group as given.
        Case(expression: "self.control", value: 5),
        Case(expression: "manager.control", value: 2),
        Case(expression: "peers.control", value: 3),
        // Reports are below their minimum: missing, though their count is known.
        Case(expression: "reports.control", value: nil),
        Case(expression: "raters.reports", value: 2),
        // Others: manager and peers weighted by count; neither self nor the hidden reports.
        Case(expression: "others.control", value: (2 * 1 + 3 * 4) / 5),
        Case(expression: "others.commitment", value: (3 * 1 + 2 * 4) / 5),
        // A group without the dimension does not weigh in.
        Case(expression: "others.serving", value: 4),
        Case(expression: "raters.others", value: 5),
        Case(expression: "raters.self", value: 1),
        Case(expression: "raters.manager", value: 1),
        Case(expression: "raters.peers", value: 4),
        // Combined, computed from every usable group, self included, by count.
        Case(expression: "control", value: (5 * 1 + 2 * 1 + 3 * 4) / 6),
        Case(expression: "commitment", value: (4 * 1 + 3 * 1 + 2 * 4) / 6),
        Case(expression: "serving", value: 4),
    ]

    @Test("views of a 360", arguments: cases)
    func views(_ test: Case) throws {
        let value = try Evaluate.value(test.expression, Self.threeSixty)
        #expect(isClose(value, test.value), "\(test.expression) = \(value.map { "\($0)" } ?? "unknown")")
    }

    @Test func aGroupBelowItsMinimumIsUnknownInConditions() throws {
        #expect(try Evaluate.truth("reports.control >= 1", Self.threeSixty) == .unknown)
        #expect(try Evaluate.truth("raters.reports >= 1 and raters.reports < 3", Self.threeSixty) == .true)
    }

    @Test func groupsBelowTheirMinimumAreReportedAsNotUsed() throws {
        let book = try RuleFixtures.load([])
        let advice = try book.advise(Self.threeSixty)
        #expect(
            advice.raters == [
                RaterSummary(group: "self", count: 1, minimum: 1, used: true),
                RaterSummary(group: "manager", count: 1, minimum: 1, used: true),
                RaterSummary(group: "peers", count: 4, minimum: 3, used: true),
                RaterSummary(group: "reports", count: 2, minimum: 3, used: false),
            ]
        )
    }

    @Test func explicitOthersAreUsedAsGiven() throws {
        let profile = Profile(
            scores: ["control": 3.5],
            raters: [
                "self": .init(count: 1, scores: ["control": 5]),
                "peers": .init(count: 3, scores: ["control": 1]),
                "others": .init(count: 7, scores: ["control": 3]),
            ]
        )
        #expect(isClose(try Evaluate.value("others.control", profile), 3))
        #expect(isClose(try Evaluate.value("raters.others", profile), 7))
        #expect(isClose(try Evaluate.value("control", profile), 3.5))
        #expect(isClose(try Evaluate.value("peers.control", profile), 1))
    }

    /// With `self` and `others` given outright and no `scores`, the combined view weighs both by
    /// their counts.
    @Test func combinedViewWithExplicitOthersIncludesThem() throws {
        let profile = Profile(
            raters: [
                "self": .init(count: 1, scores: ["control": 5]),
                "others": .init(count: 7, scores: ["control": 3]),
            ]
        )
        #expect(isClose(try Evaluate.value("others.control", profile), 3))
        let combined = try Evaluate.value("control", profile)
        #expect(isClose(combined, (5 * 1 + 3 * 7) / 8), "control = \(combined.map { "\($0)" } ?? "unknown")")
    }

    @Test func combinedViewFromExplicitOthersAlone() throws {
        let profile = Profile(raters: ["others": .init(count: 7, scores: ["control": 3])])
        #expect(isClose(try Evaluate.value("control", profile), 3))
        #expect(isClose(try Evaluate.value("raters.others", profile), 7))
        #expect(try Evaluate.value("self.control", profile) == nil)
    }

    @Test func derivedScoresInEveryView() throws {
        let profile = Profile(
            raters: [
                "self": .init(count: 1, scores: Profiles.sides(management: 4, leadership: 2)),
                "peers": .init(count: 3, scores: Profiles.sides(management: 3, leadership: 3.5)),
            ]
        )
        #expect(isClose(try Evaluate.value("self.management", profile), 4))
        #expect(isClose(try Evaluate.value("self.leadership", profile), 2))
        #expect(isClose(try Evaluate.value("self.balance", profile), -2))
        #expect(isClose(try Evaluate.value("peers.balance", profile), 0.5))
        #expect(isClose(try Evaluate.value("others.balance", profile), 0.5))
        // Combined: self 1 and peers 3 by count, per dimension; balance from those.
        #expect(isClose(try Evaluate.value("management", profile), (4 + 3 * 3) / 4))
        #expect(isClose(try Evaluate.value("balance", profile), (2 + 3.5 * 3) / 4 - (4 + 3 * 3) / 4))
        #expect(try Evaluate.truth("self.balance <= -1 and others.balance >= 0", profile) == .true)
        #expect(try Evaluate.truth("self.management is high", profile) == .true)
        // A hidden or absent group's derived scores are unknown too.
        #expect(try Evaluate.value("reports.balance", profile) == nil)
    }

    @Test func selfOnlyHasNoOthers() throws {
        let profile = Profile(raters: ["self": .init(count: 1, scores: ["control": 4])])
        #expect(try Evaluate.value("others.control", profile) == nil)
        #expect(isClose(try Evaluate.value("raters.others", profile), 0))
        #expect(isClose(try Evaluate.value("control", profile), 4))
        #expect(try Evaluate.truth("self.control - others.control >= 1", profile) == .unknown)
    }

    /// `others` given outright is a group too: below the largest minimum of the groups it
    /// stands for (3) it is missing, while its count is still known.
    @Test func explicitOthersBelowTheMinimumAreMissing() throws {
        let few = Profile(raters: [
            "self": .init(count: 1, scores: ["serving": 5]), "others": .init(count: 1, scores: ["serving": 2]),
        ])
        #expect(try Evaluate.value("others.serving", few) == nil)
        #expect(isClose(try Evaluate.value("raters.others", few), 1))
        let enough = Profile(raters: [
            "self": .init(count: 1, scores: ["serving": 5]), "others": .init(count: 3, scores: ["serving": 2]),
        ])
        #expect(isClose(try Evaluate.value("others.serving", enough), 2))
    }
}
