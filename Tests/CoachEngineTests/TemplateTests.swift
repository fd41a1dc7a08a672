import Testing

@testable import CoachEngine

/// Advice templates: `{{name}}` fills in scores with two decimals (`4.00`, `3.25`) and rater
/// counts as whole numbers, `n/a` when missing; an unqualified score reads the headline view
/// (others' for a 360, combined otherwise); the profile's id and attributes print as given.
@Suite struct TemplateTests {
    static func summary(_ template: String, for profile: Profile) throws -> String {
        let book = try RuleFixtures.load(RuleFixtures.file(RuleSpec("r", when: "raters.peers >= 0", summary: template)))
        let advice = try book.advise(profile)
        return try #require(advice.recommendations.first).summary
    }

    @Test(arguments: [
        (4.456, "4.46"),
        (4.5, "4.50"),
        (4.0, "4.00"),
        (3.333333, "3.33"),
        (2.999, "3.00"),
        (1.0, "1.00"),
        (1.25, "1.25"),
        (1.05, "1.05"),
    ])
    func scoresPrintWithTwoDecimals(_ score: Double, _ printed: String) throws {
        #expect(
            try Self.summary("Control {{control}}.", for: Profile(scores: ["control": score])) == "Control \(printed).")
    }

    @Test func missingValuesPrintAsNotAvailable() throws {
        let text = try Self.summary(
            "{{control}} / {{commitment}} / {{self.control}} / {{balance}} / {{level}} / {{role}}",
            for: Profile(scores: ["control": 4])
        )
        #expect(text == "4.00 / n/a / n/a / n/a / n/a / n/a")
    }

    @Test func viewsCountsDerivedScoresAndAttributes() throws {
        let profile = Profile(
            id: "p-17",
            level: "team",
            attributes: ["role": "manager"],
            raters: [
                "self": .init(count: 1, scores: Profiles.sides(management: 4, leadership: 2.75)),
                "peers": .init(count: 4, scores: Profiles.sides(management: 3, leadership: 3)),
            ]
        )
        let text = try Self.summary(
            "{{id}} at {{level}} ({{role}}): self balance {{self.balance}}, others {{others.serving}} "
                + "from {{raters.others}}, peers {{raters.peers}}, reports {{raters.reports}}, "
                + "headline control {{ control }}.",
            for: profile
        )
        #expect(
            text
                == "p-17 at team (manager): self balance −1.25, others 3.00 from 4, peers 4, reports 0, "
                + "headline control 3.00."
        )
    }

    @Test func anUnqualifiedScoreIsOthersViewForA360AndTheCombinedViewOtherwise() throws {
        let template = "{{control}} / {{self.control}} / {{others.control}} / {{balance}}"
        // Self 4 and peers 3 (four raters): the rules' combined view is 3.2, others' is 3.
        let threeSixty = Profile(
            raters: [
                "self": .init(count: 1, scores: Profiles.sides(management: 4, leadership: 2.75)),
                "peers": .init(count: 4, scores: Profiles.sides(management: 3, leadership: 3)),
            ])
        #expect(try Self.summary(template, for: threeSixty) == "3.00 / 4.00 / 3.00 / 0.00")
        // Without a self-rating there is nothing to set others against: the combined view.
        let peersOnly = Profile(
            scores: Profiles.sides(management: 3.5, leadership: 3),
            raters: ["peers": .init(count: 4, scores: Profiles.sides(management: 3, leadership: 3))])
        #expect(try Self.summary(template, for: peersOnly) == "3.50 / n/a / 3.00 / −0.50")
        // Combined scores only.
        #expect(try Self.summary(template, for: Profile(scores: ["control": 2])) == "2.00 / n/a / n/a / n/a")
    }

    @Test func aProfileWithoutAnIDIsThisProfile() throws {
        #expect(
            try Self.summary("Advice for {{id}}.", for: Profile(scores: ["control": 4])) == "Advice for this profile.")
    }

    @Test func whyAndActionsAreFilledInToo() throws {
        let text = """
            rules:
              - id: r
                title: "Title {{control}}"
                when: control >= 1
                advice:
                  summary: Summary {{control}}.
                  why: Why {{commitment}}.
                  actions:
                    - Act on {{control}}.
                    - Then {{raters.peers}}.

            """
        let book = try RuleFixtures.load(text)
        let recommendation = try #require(try book.advise(Profile(scores: ["control": 2.345])).recommendations.first)
        #expect(recommendation.summary == "Summary 2.35.")
        #expect(recommendation.why == "Why n/a.")
        #expect(recommendation.actions == ["Act on 2.35.", "Then 0."])
        // Titles are not templates.
        #expect(recommendation.title == "Title {{control}}")
    }
}
