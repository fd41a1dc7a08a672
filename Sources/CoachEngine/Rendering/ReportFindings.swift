/// What a report says in words about a score sheet, shared by the HTML and Markdown reports:
/// the strengths to build on (pairs where both blades are strong, and the highest-rated
/// dimensions in the headline view) and where rater groups other than self disagree by a
/// significant gap.
struct ReportFindings {
    /// A pair whose two dimensions are both in the top band.
    struct MatchedPair {
        var pair: Int
        var management: Double
        var leadership: Double
    }

    /// Two rater groups that see a dimension at least `threshold` apart.
    struct Disagreement {
        var dimension: Int
        var high: ButterflyChart.GroupValue
        var low: ButterflyChart.GroupValue
        var difference: Double { high.value - low.value }
    }

    /// The sheet read.
    let sheet: ScoreSheet
    /// The top band (`high`), if the instrument has bands.
    let strongBand: Instrument.Band?
    /// Pairs with both blades in the top band, in pair order.
    let matchedPairs: [MatchedPair]
    /// Up to three of the highest-scored dimensions in the headline view, highest first.
    let highest: [(dimension: Int, value: Double)]
    /// Whether every scored dimension has the same score (nothing stands out).
    let allEqual: Bool
    /// Where groups other than self differ by at least `threshold`, largest first.
    let disagreements: [Disagreement]
    /// The difference that counts as significant: a quarter of the scale (1 point on 1–5).
    let threshold: Double

    init(_ sheet: ScoreSheet) {
        self.sheet = sheet
        let instrument = sheet.instrument
        threshold = (instrument.scaleMax - instrument.scaleMin) / 4
        let top = instrument.bands.last { $0.upper == nil } ?? instrument.bands.last
        strongBand = top
        let values = sheet.headline
        let strong = { (value: Double?) -> Bool in
            guard let value, let top else { return false }
            return top.contains(value)
        }
        matchedPairs = instrument.pairs.indices.compactMap { index in
            let pair = instrument.pairs[index]
            guard strong(values[pair.management]), strong(values[pair.leadership]),
                let management = values[pair.management], let leadership = values[pair.leadership]
            else { return nil }
            return MatchedPair(pair: index, management: management, leadership: leadership)
        }
        let scored = values.indices.compactMap { index in values[index].map { (dimension: index, value: $0) } }
        allEqual = scored.count > 1 && scored.allSatisfy { abs($0.value - scored[0].value) < 1e-9 }
        highest = Array(
            scored.sorted { $0.value != $1.value ? $0.value > $1.value : $0.dimension < $1.dimension }.prefix(3))
        var found: [Disagreement] = []
        let groups = sheet.otherGroups
        for dimension in instrument.dimensions.indices {
            let rated = groups.compactMap { group in
                group.scores[dimension].map { ButterflyChart.GroupValue(group: group.name, value: $0) }
            }
            guard let high = rated.max(by: { $0.value < $1.value }), let low = rated.min(by: { $0.value < $1.value })
            else { continue }
            if Tolerance.atLeast(high.value - low.value, threshold, inclusive: true) {
                found.append(Disagreement(dimension: dimension, high: high, low: low))
            }
        }
        disagreements = found.sorted {
            $0.difference != $1.difference ? $0.difference > $1.difference : $0.dimension < $1.dimension
        }
    }

    /// Whether the highest scores reach the top band.
    var highestAreStrong: Bool {
        guard let band = strongBand, let top = highest.first else { return false }
        return band.contains(top.value)
    }

    /// "Control 4.50" for a dimension and a value.
    func named(_ dimension: Int, _ value: Double) -> String {
        "\(sheet.instrument.dimensions[dimension].title) \(NumberFormatting.score(value))"
    }

    /// The sentence on the highest-scored dimensions.
    var highestSentence: String {
        guard let top = highest.first else { return "There are no scores to find strengths in." }
        let whose = sheet.leadsWithOthers ? "Rated highest by others" : "Highest scores"
        if allEqual {
            return "Every dimension scores \(NumberFormatting.score(top.value)): no single score stands out."
        }
        let list = highest.map { named($0.dimension, $0.value) }.joined(separator: ", ")
        if highestAreStrong || strongBand == nil { return "\(whose): \(list)." }
        return "Nothing reaches the \(strongBand?.name ?? "top") band (\(strongBand?.bounds ?? "")) yet; "
            + "\(whose.prefix(1).lowercased() + whose.dropFirst()): \(list)."
    }

    /// The sentence on hidden strengths (others rate a dimension at least a quarter of the scale
    /// higher than self does), if there are any.
    var hiddenStrengthSentence: String? {
        let chart = GapChart(sheet: sheet)
        guard chart.isAvailable else { return nil }
        let items = chart.rows.filter { $0.kind == .hiddenStrength }.compactMap { row -> String? in
            guard let others = sheet.others?[row.dimension], let own = sheet.selfRating?[row.dimension] else {
                return nil
            }
            return "\(sheet.instrument.dimensions[row.dimension].title) (\(NumberFormatting.score(others)); "
                + "you \(NumberFormatting.score(own)))"
        }
        guard !items.isEmpty else { return nil }
        return "Others see more than you do in: " + items.joined(separator: ", ") + "."
    }

    /// The sentence on one disagreement: "Your reports see control at 4.60, your peers at 3.10."
    func sentence(_ item: Disagreement) -> String {
        let title = sheet.instrument.dimensions[item.dimension].title
        let high = RaterMarker.phrase(item.high.group)
        let verb = item.high.group == "manager" || high.hasPrefix("the ") ? "sees" : "see"
        return "\(high.prefix(1).uppercased() + high.dropFirst()) \(verb) \(title.lowercased()) at "
            + "\(NumberFormatting.score(item.high.value)), \(RaterMarker.phrase(item.low.group)) at "
            + "\(NumberFormatting.score(item.low.value)) (\(NumberFormatting.score(item.difference)) apart)."
    }

    /// At most this many disagreements are told in sentences; the rest are counted.
    static let toldDisagreements = 4

    /// The disagreements told in sentences, largest first, and a sentence counting the rest
    /// (which the table marks), if any.
    var disagreementSentences: [String] {
        var sentences = disagreements.prefix(Self.toldDisagreements).map(sentence)
        let rest = disagreements.count - Self.toldDisagreements
        if rest > 0 {
            sentences.append(
                "Groups also differ by \(NumberFormatting.score(threshold)) or more on \(rest) more "
                    + "dimension\(rest == 1 ? "" : "s"), marked in the table.")
        }
        return sentences
    }

    /// The sentence when no groups differ significantly, or why there is nothing to compare.
    var agreementSentence: String {
        let groups = sheet.otherGroups
        if groups.count < 2 {
            return groups.isEmpty
                ? "No rater group besides self reached its anonymity minimum, so there is no agreement to show."
                : "Only one group besides you (\(groups[0].name)) rated, so there is no agreement between groups to show."
        }
        let names = groups.map(\.name)
        let list = names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
        return "Your \(list) agree within \(NumberFormatting.score(threshold)) point"
            + "\(threshold == 1 ? "" : "s") on every dimension."
    }
}
