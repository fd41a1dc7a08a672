import CoachEngine
import Foundation
import Testing

/// The HTML report: the charts draw the right bars at the right lengths and places, every
/// outside string is escaped, groups below their minimum are labelled, and the page is
/// self-contained.
@Suite struct HTMLReportTests {
    static func example(_ name: String) throws -> Profile {
        try Profile(json: Data(contentsOf: PackagePaths.examples.appendingPathComponent("\(name).json")))
    }

    static func page(_ profile: Profile, book: RuleBook? = nil) throws -> String {
        let book = try book ?? RuleBook.builtin()
        let advice = try book.advise(profile, options: AdviceOptions(explain: true))
        return HTMLReport(date: "2026-11-30").render(
            advice, scores: try book.scoreSheet(profile), alsoFired: try book.alsoFired(advice, for: profile))
    }

    /// Others' view of `dimension` worked out by hand from the file: the count-weighted mean of
    /// every group but self (all of them reach their minimum in this example).
    static func others(_ profile: Profile, _ dimension: String) -> Double {
        var sum = 0.0
        var weight = 0.0
        for (group, view) in profile.raters where group != "self" {
            guard let value = view.scores[dimension] else { continue }
            sum += value * Double(view.count)
            weight += Double(view.count)
        }
        return sum / weight
    }

    @Test func butterflyBarsHaveTheLengthsAndPlacesOfOthersRatings() throws {
        let profile = try Self.example("controlling-manager")
        let page = try Self.page(profile)
        let bars = SVGReader.elements("rect", in: page).filter { $0.hasClass("bar") && $0["data-side"] != nil }
        #expect(bars.count == 16)

        // Hand-checked: control, others (4.3·1 + 4.4·4 + 4.6·6) / 11 = 4.5 on the left, 3.5 of
        // the 4 scale points of 310 units = 271.25 long, ending at the centre (x 353);
        // commitment (2.8 + 2.6·4 + 2.2·6) / 11 = 2.4 on the right, 108.5 long from x 367.
        let control = try #require(bars.first { $0["data-dimension"] == "control" })
        #expect(control["data-side"] == "management")
        #expect(control["data-value"] == "4.5")
        #expect(control.number("width") == 271.25)
        #expect(control.number("x") == 81.75)
        let commitment = try #require(bars.first { $0["data-dimension"] == "commitment" })
        #expect(commitment["data-side"] == "leadership")
        #expect(commitment["data-value"] == "2.4")
        #expect(commitment.number("x") == 367)
        #expect(commitment.number("width") == 108.5)
        // Same row (pair 3 of 8, rows of 56 with the lane of group markers), below its labels:
        // y = 40 + 2 · 56 + 18.
        #expect(control.number("y") == 170)
        #expect(commitment.number("y") == 170)

        // Every bar: the length of others' rating, grown from the centre outwards, row by pair.
        let book = try RuleBook.builtin()
        for bar in bars {
            let name = try #require(bar["data-dimension"])
            let dimension = try #require(book.instrument.dimensions.first { $0.id == name })
            let expected = (Self.others(profile, name) - 1) / 4 * 310
            #expect(abs(bar.number("width") - expected) <= 0.006, "\(name)")
            if dimension.side == .management {
                #expect(abs(bar.number("x") + bar.number("width") - 353) <= 0.011, "\(name) ends at the centre")
            } else {
                #expect(bar.number("x") == 367, "\(name) starts at the centre")
            }
            #expect(bar.number("y") == 40 + Double(dimension.pair) * 56 + 18, "\(name)")
        }
    }

    @Test func selfRatingsAreMarkedOverTheBars() throws {
        let page = try Self.page(try Self.example("controlling-manager"))
        let markers = SVGReader.elements("path", in: page).filter { $0.hasClass("self-marker") }
        #expect(markers.count == 16)
        // Self rates control 4.0: 3 of 4 points left of the centre; commitment 3.9 to the right.
        let control = try #require(markers.first { $0["data-dimension"] == "control" })
        #expect(control["data-value"] == "4")
        #expect(control.number("data-x") == 353 - 232.5)
        let commitment = try #require(markers.first { $0["data-dimension"] == "commitment" })
        #expect(commitment.number("data-x") == 367 + 224.75)
        #expect(
            page.contains("<path class=\"marker marker-self\" d=\"M8 1.5L14.5 8L8 14.5L1.5 8Z\"/></svg>Self-rating"))
    }

    @Test func eachRaterGroupIsMarkedInItsOwnShapeWithTheRangeBetweenThem() throws {
        let page = try Self.page(try Self.example("controlling-manager"))
        let markers = SVGReader.elements("path", in: page).filter { $0["data-group"] != nil }
        // Self on the bar, and manager, peers and reports in the lane under it: 16 of each.
        for group in ["self", "manager", "peers", "reports"] {
            #expect(markers.filter { $0["data-group"] == group }.count == 16, "\(group)")
        }
        // Commitment: the manager 2.8, peers 2.6, reports 2.2, right of the centre (x 367).
        let commitment = markers.filter { $0["data-dimension"] == "commitment" }
        #expect(commitment.first { $0["data-group"] == "manager" }?.number("data-x") == 367 + 1.8 / 4 * 310)
        #expect(commitment.first { $0["data-group"] == "reports" }?.number("data-x") == 367 + 1.2 / 4 * 310)
        #expect(commitment.first { $0["data-group"] == "reports" }?.hasClass("marker-reports") == true)
        let spread = try #require(
            SVGReader.elements("path", in: page).first { $0.hasClass("spread") && $0["data-dimension"] == "commitment" }
        )
        #expect(spread["data-range"] == "2.2 2.8")
        // The legend keys every group with its count.
        for key in ["Manager (1)", "Peers (4)", "Reports (6)"] { #expect(page.contains("</svg>\(key)</span>")) }
        // Values sit beside the names, never on a bar: 4.50 for control, others' view.
        #expect(page.contains(">4.50</text>"))
    }

    @Test func everyNumberIsOthersViewOrSaysWhose() throws {
        let page = try Self.page(try Self.example("controlling-manager"))
        // The chart, the advice text and the derived scores quote others' serving, 2.35; the
        // combined 2.50 appears only in the conditions, which say they read every rater.
        #expect(page.contains(">2.35</text>"))
        #expect(page.contains("directing scores 4.42 while serving scores 2.35"))
        #expect(page.contains("Your control (4.50) far outweighs the commitment you build (2.40)."))
        #expect(page.contains("Others&#39; view: Management <strong>4.16</strong>"))
        #expect(page.contains("Others&#39; view (11 raters), unless a number says whose it is"))
        #expect(page.contains("A dimension without a group name is every rater together, self included"))
    }

    @Test func theGroupTableAndDisagreementsAreCalledOut() throws {
        let profile = Profile(
            id: "split", level: "team",
            raters: [
                "self": .init(count: 1, scores: ["control": 4.0, "commitment": 3.0]),
                "peers": .init(count: 3, scores: ["control": 3.1, "commitment": 3.0]),
                "reports": .init(count: 4, scores: ["control": 4.6, "commitment": 3.2]),
            ])
        let page = try Self.page(profile)
        #expect(page.contains("<h2>The 360 by rater group</h2>"))
        #expect(page.contains("<li>Your reports see control at 4.60, your peers at 3.10 (1.50 apart).</li>"))
        #expect(page.contains("<td class=\"num spread-col disagree\">1.50 differ</td>"))
        #expect(page.contains("<th scope=\"col\" class=\"num\">Reports (4)</th>"))
        // Commitment: 0.20 apart, not called out.
        #expect(!page.contains("see commitment"))
    }

    @Test func strengthsComeFirst() throws {
        let page = try Self.page(try Self.example("self-only"))
        let strengths = try #require(page.range(of: "<h2>Strengths to build on</h2>"))
        let balance = try #require(page.range(of: "<h2>The balance of the 8 pairs</h2>"))
        #expect(strengths.lowerBound < balance.lowerBound)
        #expect(page.contains("both blades strong in 1 pair.</strong> Directing 3.90 with serving 4.00."))
        #expect(page.contains("Highest scores: Responding and reacting 4.20, A way of doing 4.10, Control 4.00."))
    }

    @Test func itemsAreClientFacingWithHowTheyWereChosenFolded() throws {
        let page = try Self.page(try Self.example("controlling-manager"))
        // No rule id, priority or bare confidence in the headline of an item.
        #expect(
            page.contains(
                "<h3><span class=\"rank\">1.</span>You see more service in yourself than others do</h3>\n<p class=\"summary\">"
            ))
        // Folded on screen, and a copy that only print shows.
        #expect(
            page.components(
                separatedBy: "<details class=\"because screen-only\"><summary>How this was chosen</summary>"
            ).count == 4)
        #expect(
            page.components(separatedBy: "<div class=\"because print-only\"><h4>How this was chosen</h4>").count == 4)
        #expect(page.contains("<strong>Confidence: fairly high</strong>"))
        #expect(page.contains(" (0.77 of 1). It rests on 11 raters besides you;"))
        #expect(page.contains("Rule <code>serving-blind-spot</code> · priority 76"))
        // The rules that also fired, by title, each folded with its summary.
        #expect(page.contains("<summary>Others see less commitment than you believe you build</summary>"))
        #expect(page.contains("<p>You rate the commitment you build at 3.90; others rate it 2.40.</p>"))
    }

    @Test func printHasARunningHeaderPageNumbersAndEscapesTheHeader() throws {
        let page = try Self.page(Profile(id: "a\"b</style><x>\\", level: "team", scores: ["control": 4.0]))
        #expect(page.contains("content: \"page \" counter(page) \" of \" counter(pages)"))
        #expect(
            page.contains(
                "@top-left { content: \"Management–Leadership Balance · a\\22 b\\3c /style\\3e \\3c x\\3e \\5c  · 2026-11-30\";"
            ))
        #expect(page.components(separatedBy: "</style>").count == 2)
        #expect(!page.contains("<x>"))
    }

    @Test(
        "bad input renders with every empty chart explained",
        arguments: ["every-group-below-minimum", "one-dimension-missing", "all-ones", "all-fives", "sixteen-missing"])
    func badInputRendersAndExplainsEmptyCharts(_ name: String) throws {
        let profile = try Profile(
            json: Data(contentsOf: PackagePaths.examples.appendingPathComponent("edge-cases/\(name).json")))
        let page = try Self.page(profile)
        let bars = SVGReader.elements("rect", in: page).filter { $0.hasClass("bar") && $0["data-side"] != nil }
        switch name {
        case "every-group-below-minimum", "sixteen-missing":
            #expect(bars.isEmpty)
            #expect(page.contains("No chart: "))
            #expect(page.contains("There are no scores to show: "))
        case "one-dimension-missing":
            #expect(bars.count == 15)
            #expect(page.contains(">no score</text>"))
            #expect(page.contains("no gap: a rating is missing"))
            // Peers and reports differ on seven dimensions: four told, the rest counted.
            #expect(page.components(separatedBy: "<li>Your reports see ").count == 5)
            #expect(
                page.contains("<li>Groups also differ by 1.00 or more on 3 more dimensions, marked in the table.</li>"))
        default:
            #expect(bars.count == 16)
            // Groups that agree are stacked in the lane, not drawn on top of each other.
            let control = SVGReader.elements("path", in: page).filter {
                $0["data-dimension"] == "control" && $0["data-group"] != nil && $0["data-group"] != "self"
            }
            let rows = Set(control.compactMap { $0["d"]?.split(separator: "L").first })
            #expect(control.count == 3 && rows.count == 3)
        }
    }

    @Test func gapBarsShowSelfMinusOthersInTheirKind() throws {
        let profile = try Self.example("controlling-manager")
        let page = try Self.page(profile)
        let gaps = SVGReader.elements("rect", in: page).filter { $0.hasClass("gap") }
        #expect(gaps.count == 16)
        // Serving: self 4.1, others 25.9 / 11 = 2.3545…: a gap of +1.75, a blind spot, drawn
        // right of the zero line (x 412) on an axis of ±2 over 132 units.
        let serving = try #require(gaps.first { $0["data-dimension"] == "serving" })
        let gap = 4.1 - Self.others(profile, "serving")
        #expect(serving["data-kind"] == "blind-spot")
        #expect(serving["data-gap"] == "1.75")
        #expect(serving.number("x") == 412)
        #expect(abs(serving.number("width") - gap / 2 * 132) <= 0.006)
        // Control: self 4.0, others 4.5: −0.5, a small gap to the left.
        let control = try #require(gaps.first { $0["data-dimension"] == "control" })
        #expect(control["data-kind"] == "small")
        #expect(control.number("x") == 379)
        #expect(control.number("width") == 33)
        #expect(gaps.filter { $0["data-kind"] == "blind-spot" }.count == 3)
        #expect(page.contains("+1.75  blind spot"))
    }

    @Test func hiddenStrengthsAreTheOtherColourAndWord() throws {
        let profile = Profile(
            id: "quiet", level: "team",
            raters: [
                "self": .init(count: 1, scores: ["people": 2.0, "systems": 3.0]),
                "reports": .init(count: 4, scores: ["people": 3.5, "systems": 3.2]),
            ])
        let page = try Self.page(profile)
        let people = try #require(
            SVGReader.elements("rect", in: page).first { $0.hasClass("gap") && $0["data-dimension"] == "people" })
        #expect(people["data-kind"] == "hidden-strength")
        #expect(people.hasClass("gap-hidden-strength"))
        #expect(people.number("x") + people.number("width") == 412)
        #expect(page.contains("−1.50  hidden strength"))
        // Among the strengths too.
        #expect(page.contains("<li>Others see more than you do in: People, context and culture (3.50; you 2.00).</li>"))
        // Missing dimensions have no bar and say so.
        #expect(page.contains("no gap: a rating is missing"))
        #expect(page.contains(">no score<"))
    }

    @Test func groupsBelowTheirMinimumAreLabelledNotShown() throws {
        let profile = Profile(
            id: "small-team", level: "team",
            raters: [
                "self": .init(count: 1, scores: ["control": 4.0, "commitment": 3.0]),
                "manager": .init(count: 1, scores: ["control": 3.0, "commitment": 3.0]),
                "peers": .init(count: 2, scores: ["control": 1.0, "commitment": 1.0]),
            ])
        let page = try Self.page(profile)
        #expect(page.contains("<li class=\"withheld\">peers 2: not shown, fewer than 3 raters</li>"))
        #expect(page.contains("<li>manager 1</li>"))
        // Others are the manager alone: the peers' 1.0 is neither drawn nor averaged in.
        let control = try #require(
            SVGReader.elements("rect", in: page).first { $0.hasClass("bar") && $0["data-dimension"] == "control" })
        #expect(control["data-value"] == "3")
        #expect(page.contains("others&#39; ratings (1 rater)"))
    }

    @Test func aSelfOnlyProfileHasCombinedBarsAndNoGapChart() throws {
        let page = try Self.page(try Self.example("self-only"))
        #expect(SVGReader.elements("path", in: page).filter { $0.hasClass("self-marker") }.isEmpty)
        #expect(SVGReader.elements("rect", in: page).filter { $0.hasClass("gap") }.isEmpty)
        #expect(page.contains("No other rater group reached its anonymity minimum"))
        #expect(page.contains("the bars show the combined scores"))
    }

    @Test func everyStringFromAProfileOrARuleFileIsEscaped() throws {
        let rules = """
            rules:
              - id: marked-up
                title: Mind the <img src=x onerror=alert(1)> & "quotes"
                when: control >= 1
                priority: 10
                advice:
                  summary: "Control is {{control}} for {{id}} </li><script>alert(2)</script>"
                  why: Because <b>bold</b> isn't 'safe'.
                  actions:
                    - Do <u>this</u>.
            """
        let book = try RuleFixtures.load(rules)
        let profile = Profile(id: "<script>alert(3)</script>", level: "team", scores: ["control": 4.0])
        let page = try Self.page(profile, book: book)
        #expect(!page.contains("<script"))
        #expect(!page.contains("<img"))
        #expect(!page.contains("<b>"))
        #expect(!page.contains("<u>"))
        #expect(page.contains("<h1>&lt;script&gt;alert(3)&lt;/script&gt;</h1>"))
        #expect(page.contains("<title>Coaching report: &lt;script&gt;alert(3)&lt;/script&gt;</title>"))
        #expect(page.contains("Mind the &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;"))
        #expect(page.contains("isn&#39;t &#39;safe&#39;"))
        #expect(page.contains("for &lt;script&gt;alert(3)&lt;/script&gt; &lt;/li&gt;&lt;script&gt;alert(2)"))
    }

    @Test func instrumentTitlesAreEscapedInsideTheCharts() throws {
        let instrument = RuleFixtures.instrumentText
            .replacingOccurrences(of: "title: Control }", with: "title: \"Control <tspan>&</tspan>\" }")
            .replacingOccurrences(of: "management: Manage things", with: "management: \"Things <i>\"")
        let book = try RuleFixtures.load([("x.yaml", "rules: []\n")], instrument: instrument)
        let page = try Self.page(Profile(id: "p", level: "team", scores: ["control": 3.0]), book: book)
        #expect(page.contains(">Control &lt;tspan&gt;&amp;&lt;/tspan&gt;</text>"))
        #expect(page.contains("← Things &lt;i&gt;</text>"))
        #expect(!page.contains("<tspan"))
        #expect(!page.contains("<i>"))
    }

    @Test func thePageIsSelfContained() throws {
        let page = try Self.page(try Self.example("controlling-manager"))
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        for outside in ["<script", "<link", "src=", "href=", "@import", "url(", "http:", "https:"] {
            let allowed =
                outside == "http:"
                ? page.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "") : page
            #expect(!allowed.contains(outside), "\(outside)")
        }
        #expect(page.contains("@page { size: A4;"))
    }

    @Test func chartsHaveTitlesDescriptionsAndTables() throws {
        let page = try Self.page(try Self.example("controlling-manager"))
        let svgs = SVGReader.elements("svg", in: page).filter { $0["role"] == "img" }
        #expect(svgs.count == 2)
        // The other drawings (compact charts for a phone, legend keys) are hidden from screen
        // readers: the text beside them carries their content.
        #expect(SVGReader.elements("svg", in: page).allSatisfy { $0["role"] == "img" || $0["aria-hidden"] == "true" })
        for svg in svgs {
            #expect(svg["role"] == "img")
            let ids = try #require(svg["aria-labelledby"]).split(separator: " ")
            #expect(ids.count == 2)
            #expect(page.contains("<title id=\"\(ids[0])\">"))
            #expect(page.contains("<desc id=\"\(ids[1])\">"))
        }
        #expect(page.components(separatedBy: "<table class=\"numbers\">").count == 3)
        #expect(
            page.contains("Possible blind spots: People, context and culture +1.05, Commitment +1.50, Serving +1.75."))
        // The folded conditions of each recommendation.
        #expect(page.components(separatedBy: "<details class=\"because screen-only\">").count == 4)
        #expect(page.contains("How to read this page"))
    }

    @Test func aCustomInstrumentDrawsItsOwnPairsScaleAndBands() throws {
        let instrument = """
            instrument:
              id: mini
              title: Mini
              scale: { min: 0, max: 10 }
              bands:
                low: { max: 3 }
                high: { min: 7 }
              sides: { management: Structure, leadership: Spirit }
              pairs:
                - id: a-b
                  management: { id: order, title: Order }
                  leadership: { id: trust, title: Trust }
                - id: c-d
                  management: { id: rules, title: Rules }
                  leadership: { id: play, title: Play }
              derived:
                balance: mean(trust, play) - mean(order, rules)
              levels: [team]
              raters:
                self: { minimum: 1 }
                peers: { minimum: 2 }
              limit: 2
            """
        let book = try RuleFixtures.load([("x.yaml", "rules: []\n")], instrument: instrument)
        let page = try Self.page(Profile(id: "m", level: "team", scores: ["order": 10, "trust": 2.5]), book: book)
        let bars = SVGReader.elements("rect", in: page).filter { $0.hasClass("bar") && $0["data-side"] != nil }
        #expect(bars.map { $0["data-dimension"] } == ["order", "trust"])
        #expect(bars[0].number("width") == 310)
        #expect(bars[1].number("width") == 77.5)
        #expect(page.contains("← Structure</text>"))
        #expect(page.contains(">10</text>"))
        #expect(
            SVGReader.elements("rect", in: page).filter { $0.hasClass("band") && $0["data-band"] != nil }.count == 4)
        #expect(page.contains("The balance of the 2 pairs"))
    }
}
