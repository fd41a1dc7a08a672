import Testing

@testable import CoachEngine

/// Advice templates: `{{name}}` fills in scores with one or two decimals (`4.0`, `3.25`) and
/// rater counts as whole numbers, `n/a` when missing; the profile's id and attributes print as
/// given.
@Suite struct TemplateTests {
    static func summary(_ template: String, for profile: Profile) throws -> String {
        let book = try RuleFixtures.load(RuleFixtures.file(RuleSpec("r", when: "raters.peers >= 0", summary: template)))
        let advice = try book.advise(profile)
        return try #require(advice.recommendations.first).summary
    }

    @Test(arguments: [
        (4.456, "4.46"),
        (4.5, "4.5"),
        (4.0, "4.0"),
        (3.333333, "3.33"),
        (2.999, "3.0"),
        (1.0, "1.0"),
        (1.25, "1.25"),
    ])
    func scoresPrintWithOneOrTwoDecimals(_ score: Double, _ printed: String) throws {
        #expect(
            try Self.summary("Control {{control}}.", for: Profile(scores: ["control": score])) == "Control \(printed).")
    }

    @Test func missingValuesPrintAsNotAvailable() throws {
        let text = try Self.summary(
            "{{control}} / {{commitment}} / {{self.control}} / {{balance}} / {{level}} / {{role}}",
            for: Profile(scores: ["control": 4])
        )
        #expect(text == "4.0 / n/a / n/a / n/a / n/a / n/a")
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
                + "combined control {{ control }}.",
            for: profile
        )
        #expect(
            text
                == "p-17 at team (manager): self balance -1.25, others 3.0 from 4, peers 4, reports 0, combined control 3.2."
        )
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
