import Foundation
import Testing

@testable import CoachEngine

/// The population dashboard (`coach stats --format html`) and the balance histogram behind it.
@Suite struct StatsDashboardTests {
    static let rules = """
        rules:
          - id: strong-control
            title: Strong control
            when: control >= 4
            priority: 20
            advice: { summary: s, why: w, actions: [a] }
            expect: { rate: [0.1, 0.3] }
          - id: strong-commitment
            title: Strong commitment
            when: commitment >= 4
            priority: 10
            advice: { summary: s, why: w, actions: [a] }
          - id: never
            title: Never
            when: control > 5 - 1 and control < 1.5
            priority: 5
            advice: { summary: s, why: w, actions: [a] }
        """

    /// A profile with every management dimension at `management` and every leadership one at
    /// `leadership`: its balance is `leadership - management`.
    static func profile(_ id: String, management: Double, leadership: Double, book: RuleBook) -> Profile {
        var scores: [String: Double] = [:]
        for dimension in book.instrument.dimensions {
            scores[dimension.id] = dimension.side == .management ? management : leadership
        }
        return Profile(id: id, level: "team", scores: scores)
    }

    /// Four profiles: control (management) ≥ 4 for two, commitment ≥ 4 for one; balances −2,
    /// −1.5, +2 and 0.
    static func stats() throws -> (RuleBook, PopulationStats) {
        let book = try RuleFixtures.load(rules)
        let profiles = [
            profile("a", management: 4, leadership: 2, book: book),
            profile("b", management: 4.5, leadership: 3, book: book),
            profile("c", management: 2, leadership: 4, book: book),
            profile("d", management: 3, leadership: 3, book: book),
        ]
        let prepared = try profiles.map { try book.prepare($0) }
        return (book, PopulationStats(prepared, evaluator: BatchEvaluator(book)))
    }

    @Test func rateBarsHaveTheirLengthsAndExpectedRanges() throws {
        let (_, stats) = try Self.stats()
        let page = StatsDashboard(date: "2026-11-30").render(stats, title: "four profiles")
        let fired = SVGReader.elements("span", in: page).filter { $0.hasClass("rate-fired") }
        // Most frequent first; the bars end at the largest of the rates and expected bounds
        // (50 %), so 50 % is the whole track and 25 % half of it.
        #expect(fired.map { $0["data-rule"] } == ["strong-control", "strong-commitment", "never"])
        #expect(fired.map { $0["data-rate"] } == ["0.5", "0.25", "0"])
        #expect(fired.map { $0["style"] } == ["width: 100%", "width: 50%", "width: 0%"])
        let expected = try #require(
            SVGReader.elements("span", in: page).first { $0.hasClass("expected") && $0["data-rule"] != nil })
        #expect(expected["data-rule"] == "strong-control")
        #expect(expected["data-lower"] == "10")
        #expect(expected["data-upper"] == "30")
        #expect(expected["style"] == "left: 20%; width: 40%")
        // The fire rate and the recommendation rate, both as numbers.
        #expect(
            page.contains(
                "<td class=\"num outside\" title=\"outside the expected 10.0%–30.0%\">50.0% out</td><td class=\"num\">50.0%</td>"
            ))
        #expect(page.contains("Never fired: <code>never</code>"))
        #expect(page.contains("<span class=\"figure\">4</span><span class=\"label\">Profiles evaluated</span>"))
        #expect(page.contains("Outside expected rate"))
        #expect(page.contains("Expected fire rate"))
    }

    @Test func withoutExpectedRatesThereIsNoExpectedLegendOrTile() throws {
        let book = try RuleFixtures.load(
            Self.rules.replacingOccurrences(of: "    expect: { rate: [0.1, 0.3] }\n", with: ""))
        let prepared = try [Self.profile("a", management: 4, leadership: 2, book: book)].map { try book.prepare($0) }
        let page = StatsDashboard().render(PopulationStats(prepared, evaluator: BatchEvaluator(book)))
        let body = try #require(page.components(separatedBy: "</style>").last)
        #expect(!body.contains("xpected"))
        #expect(!body.contains("outside"))
    }

    @Test func theHeatMapCountsRulesFiringTogether() throws {
        let (_, stats) = try Self.stats()
        let page = StatsDashboard().render(stats)
        let cells = SVGReader.elements("rect", in: page).filter { $0.hasClass("cell") }
        // Two rules fired, so a 2 × 2 map with two off-diagonal cells: a and b have control ≥ 4,
        // c has commitment ≥ 4, no profile both.
        #expect(cells.count == 2)
        #expect(cells.allSatisfy { $0["data-count"] == "0" })
        #expect(page.contains("<title id=\"co-firing-title\">"))
    }

    @Test func theHistogramBinsTheBalanceScore() throws {
        let (_, stats) = try Self.stats()
        let histogram = try #require(stats.histogram)
        #expect(histogram.score == "balance")
        #expect(histogram.lower == -4 && histogram.upper == 4)
        #expect(histogram.counts.count == 32)
        #expect(histogram.total == 4)
        // −2 → bin 8, −1.5 → bin 10, 0 → bin 16, +2 → bin 24 (bins of 0.25 from −4).
        var expected = [Int](repeating: 0, count: 32)
        for bin in [8, 10, 16, 24] { expected[bin] = 1 }
        #expect(histogram.counts == expected)
        let page = StatsDashboard().render(stats)
        let bars = SVGReader.elements("rect", in: page).filter { $0.hasClass("histogram-bar") }
        #expect(bars.count == 32)
        #expect(bars.filter { $0["data-count"] == "1" }.map { $0["data-bin"] } == ["8", "10", "16", "24"])
        // Full height (180) for the tallest bin; 20 units a bin over 640.
        let tallest = try #require(bars.first { $0["data-bin"] == "8" })
        #expect(tallest.number("height") == 180)
        #expect(tallest.number("x") == 200.5)  // 40 + 8 · 20 + 0.5
        // A count axis: 0 and 1 profile.
        let counts = SVGReader.elements("text", in: page).filter { $0.hasClass("count-label") }
        #expect(counts.count == 2)
        #expect(page.contains("profiles per bin of 0.25"))
        #expect(page.contains("50.0% below 0, leaning to the management side"))
    }

    @Test func histogramEdgesAndMissingValues() {
        var histogram = ScoreHistogram(score: "balance", range: -4...4, bins: 32)
        let values: [Double] = [-4, 4, 3.99, 0.25, .nan]
        for value in values { histogram.add(value) }
        #expect(histogram.counts[0] == 1)
        #expect(histogram.counts[31] == 2)
        #expect(histogram.counts[17] == 1)
        #expect(histogram.missing == 1)
    }

    @Test func theHistogramSurvivesJSONAndMerging() throws {
        let (_, stats) = try Self.stats()
        let read = try PopulationStats(json: Array(stats.json().utf8))
        #expect(read.histogram == stats.histogram)
        var merged = read
        try merged.add(read)
        #expect(merged.histogram?.total == 8)
        // A shard without a histogram (an older coach) leaves the merged one unknown.
        var old = read
        old.histogram = nil
        try merged.add(old)
        #expect(merged.histogram == nil)
    }

    @Test func theTitleIsEscaped() throws {
        let (_, stats) = try Self.stats()
        let page = StatsDashboard().render(stats, title: "<script>x</script>.csv")
        #expect(!page.contains("<script"))
        #expect(page.contains("<h1>&lt;script&gt;x&lt;/script&gt;.csv</h1>"))
        // In the print header too, as a CSS string.
        #expect(page.contains("@top-left { content: \"coach stats · \\3c script\\3e x\\3c /script\\3e .csv\";"))
    }

    @Test func aPopulationDashboardMatchesTheStatsOfTheSamePopulation() throws {
        let book = try RuleBook.builtin()
        let population = SyntheticPopulation(instrument: book.instrument, seed: 5, count: 500)
        let stats = try PopulationTests.withInput(population.bytes(.csv)) {
            try Population.stats(book, input: $0, options: Population.Options(format: .csv, jobs: 2))
        }
        let histogram = try #require(stats.histogram)
        #expect(histogram.total + histogram.missing == stats.profiles)
        let page = StatsDashboard(book: book).render(stats)
        let fired = SVGReader.elements("span", in: page).filter { $0.hasClass("rate-fired") }
        #expect(fired.count == book.rules.count)
        // Grouped by rule file, in the order the files come, most frequent first in each.
        let files = book.rules.map(\.location.file).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        #expect(page.components(separatedBy: "<section class=\"rule-group\">").count == files.count + 1)
        #expect(page.contains("<h3>pairs/control-commitment.yaml<span class=\"count\"> · 8 rules</span></h3>"))
        var index = 0
        for file in files {
            let count = book.rules.filter { $0.location.file == file }.count
            let rates = fired[index..<(index + count)].map { $0.number("data-rate") }
            #expect(rates == rates.sorted(by: >), "\(file)")
            #expect(
                Set(fired[index..<(index + count)].compactMap { $0["data-rule"] })
                    == Set(book.rules.filter { $0.location.file == file }.map(\.id)))
            index += count
        }
        #expect(SVGReader.elements("rect", in: page).filter { $0.hasClass("cell") }.count == 12 * 11)
    }
}
