/// The advice as Markdown: the content of the HTML report for notes, tickets and wikis. Text
/// from profiles and rule files is escaped so that it cannot turn into markup.
///
/// Every number is the sheet's headline view (others' view for a 360, the combined scores
/// otherwise) with two decimals, or says whose it is (`self 4.00`).
public struct MarkdownReport: Sendable {
    /// Creates a Markdown renderer.
    public init() {}

    /// The report, ending with a newline. With `scores`, it leads with the strengths and carries
    /// the charts of the HTML report as compact tables: the pairs side by side with text bars,
    /// the 360 by rater group, and self versus others. `alsoFired` (`RuleBook.alsoFired`) names
    /// the rules that fired but were not recommended by title and summary.
    public func render(
        _ advice: Advice, scores: ScoreSheet? = nil, explained: Bool = false, alsoFired: [Recommendation] = []
    ) -> String {
        var out: [String] = []
        out.append("# Coaching advice for \(advice.id.map(Self.escape) ?? "this profile")")
        out.append("")
        var facts: [String] = []
        if let level = advice.level { facts.append("**Level:** \(Self.escape(level))") }
        if !advice.raters.isEmpty { facts.append("**Raters:** \(Self.escape(ReportText.raters(advice.raters)))") }
        facts.append(
            "**Rules:** \(advice.fired.count) fired, \(advice.recommendations.count) recommended "
                + "(rule set `\(advice.ruleSetVersion)`)")
        if let scores {
            facts.append(
                "**Numbers:** "
                    + (scores.leadsWithOthers
                        ? "others' view (\(scores.othersCount) rater\(scores.othersCount == 1 ? "" : "s")) unless "
                            + "labelled" : "the combined scores")
                    + ", two decimals")
        }
        out.append(facts.joined(separator: " · "))
        if let scores { out += strengths(scores) + charts(scores) }
        out += ["", "## What to work on"]
        if advice.recommendations.isEmpty {
            out.append("")
            out.append("No recommendations: no rule's condition held for this profile.")
        }
        for (number, item) in advice.recommendations.enumerated() {
            out.append("")
            out.append("### \(number + 1). \(Self.escape(item.title))")
            out.append("")
            out.append(Self.escape(item.summary))
            out.append("")
            out.append("**Why it matters.** \(Self.escape(item.why))")
            out.append("")
            out.append("**Next steps**")
            out.append("")
            for action in item.actions { out.append("- \(Self.escape(action))") }
            out.append("")
            var chosen =
                "*How this was chosen:* confidence \(ReportText.confidenceLevel(item.confidence)) "
                + "(\(ReportText.confidence(item.confidence)) of 1)"
            if let scores { chosen += ". " + Self.escape(ReportText.confidenceReason(item.confidence, scores)) }
            chosen += " Rule `\(item.rule)`, priority \(item.priority)."
            out.append(chosen)
            if explained, !item.because.isEmpty {
                out.append("")
                out.append(
                    "Conditions (✓ held, ✗ did not, ? unknown)"
                        + (scores?.leadsWithOthers == true
                            ? "; a dimension without a group name is every rater together, self included:" : ":"))
                out.append("")
                for condition in item.because {
                    out.append("- \(ReportText.mark(condition.result)) \(Self.escape(condition.detail))")
                }
            }
        }
        let recommended = Set(advice.recommendations.map(\.rule))
        let others = advice.fired.filter { !recommended.contains($0) }
        if !others.isEmpty {
            out.append("")
            out.append(
                advice.recommendations.isEmpty
                    ? "## Also fits" : "## Also fits, not in the top \(advice.recommendations.count)")
            out.append("")
            for id in others {
                if let item = alsoFired.first(where: { $0.rule == id }) {
                    out.append("- **\(Self.escape(item.title)).** \(Self.escape(item.summary)) (rule `\(item.rule)`)")
                } else {
                    out.append("- `\(id)`")
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The strengths: pairs with both blades strong, and the highest scores.
    func strengths(_ scores: ScoreSheet) -> [String] {
        let findings = ReportFindings(scores)
        let instrument = scores.instrument
        var out = ["", "## Strengths to build on", ""]
        guard !findings.highest.isEmpty else {
            out.append("There are no scores to show: " + HTMLReport.emptyReason(scores))
            return out
        }
        if findings.matchedPairs.isEmpty {
            out.append(
                "- No pair has both blades in the \(Self.escape(findings.strongBand?.name ?? "top")) band yet: a "
                    + "matched set is what to grow towards.")
        } else {
            let pairs = findings.matchedPairs.map { pair in
                let p = instrument.pairs[pair.pair]
                return "\(findings.named(p.management, pair.management)) with "
                    + findings.named(p.leadership, pair.leadership).lowercasedFirst
            }
            out.append("- **A matched set:** " + Self.escape(pairs.joined(separator: "; ")) + ".")
        }
        out.append("- " + Self.escape(findings.highestSentence))
        if let hidden = findings.hiddenStrengthSentence { out.append("- " + Self.escape(hidden)) }
        return out
    }

    /// The butterfly chart as a table with text bars, the 360 by group, and the gaps between
    /// self and others.
    func charts(_ scores: ScoreSheet) -> [String] {
        let instrument = scores.instrument
        let butterfly = ButterflyChart(sheet: scores)
        let management = Self.escape(instrument.sideTitles[.management] ?? "Management")
        let leadership = Self.escape(instrument.sideTitles[.leadership] ?? "Leadership")
        var out: [String] = ["", "## The balance of the \(instrument.pairs.count) pairs", ""]
        if butterfly.isEmpty {
            out.append("No chart: " + HTMLReport.emptyReason(scores))
            return out
        }
        let step = (instrument.scaleMax - instrument.scaleMin) / Double(Self.cells * 2)
        out.append(
            "Bars grow from the centre; they show \(butterfly.barsShow)"
                + (butterfly.comparesSelfAndOthers ? ", with the self-rating after \"self\"" : "")
                + ". A full block is \(NumberFormatting.short(step * 2)) point, a half block half that. Bands: "
                + Self.escape(instrument.bands.map { "\($0.name) \($0.bounds)" }.joined(separator: ", ")) + ".")
        out.append("")
        out.append("| \(management) | score | | score | \(leadership) |")
        out.append("|---:|---:|:---:|:---|:---|")
        func score(_ bar: ButterflyChart.Bar) -> String {
            guard let value = bar.value else { return "n/a" }
            var text = NumberFormatting.score(value)
            if let band = bar.band { text += " \(Self.escape(band))" }
            if let own = bar.selfRating { text += " · self \(NumberFormatting.score(own))" }
            return text
        }
        for row in butterfly.rows {
            let bars =
                Self.bar(row.management.value, instrument, side: .management) + "│"
                + Self.bar(row.leadership.value, instrument, side: .leadership)
            out.append(
                "| \(Self.escape(instrument.dimensions[row.management.dimension].title)) | \(score(row.management)) "
                    + "| `\(bars)` | \(score(row.leadership)) "
                    + "| \(Self.escape(instrument.dimensions[row.leadership.dimension].title)) |")
        }
        if !scores.derived.isEmpty {
            let values = scores.derived.map { item in
                "\(Self.escape(ReportText.derivedLabel(item.name))) **\(ReportText.derivedValue(item.name, item.value))**"
            }
            out.append("")
            out.append(
                (scores.leadsWithOthers ? "Others' view: " : "Combined scores: ") + values.joined(separator: " · "))
        }
        out += groups(scores)
        let gaps = GapChart(sheet: scores)
        guard gaps.isAvailable else { return out }
        let size = NumberFormatting.score(gaps.threshold)
        out += ["", "## How you see yourself and how others see you", ""]
        out.append(
            "Self-rating minus the rating of \(scores.othersCount) other\(scores.othersCount == 1 ? "" : "s"); "
                + "a gap of \(size) or more reads as a blind spot (you rate higher) or a hidden strength "
                + "(others rate higher).")
        out.append("")
        out.append("| dimension | self | others | gap | reading |")
        out.append("|:---|---:|---:|---:|:---|")
        for row in gaps.rows {
            let own = scores.selfRating?[row.dimension] ?? nil
            let others = scores.others?[row.dimension] ?? nil
            let reading = row.gap == nil ? "missing" : row.kind == .small ? "" : "**\(row.kind.label)**"
            out.append(
                "| \(Self.escape(instrument.dimensions[row.dimension].title)) "
                    + "| \(own.map(NumberFormatting.score) ?? "n/a") | \(others.map(NumberFormatting.score) ?? "n/a") "
                    + "| \(row.gap.map(GapChart.signed) ?? "n/a") | \(reading) |")
        }
        return out
    }

    /// The 360 by rater group: where groups disagree, and every dimension by group.
    func groups(_ scores: ScoreSheet) -> [String] {
        guard scores.leadsWithOthers, !scores.groups.isEmpty else { return [] }
        let findings = ReportFindings(scores)
        let instrument = scores.instrument
        var out = ["", "## The 360 by rater group", ""]
        if findings.disagreements.isEmpty {
            out.append(Self.escape(findings.agreementSentence))
        } else {
            for sentence in findings.disagreementSentences { out.append("- " + Self.escape(sentence)) }
        }
        out.append("")
        let spread = scores.otherGroups.count >= 2
        let headers =
            ["dimension"] + scores.groups.map { "\(Self.escape($0.name)) (\($0.count))" }
            + ["others (\(scores.othersCount))"] + (spread ? ["spread"] : [])
        out.append("| " + headers.joined(separator: " | ") + " |")
        out.append("|:---|" + String(repeating: "---:|", count: headers.count - 1))
        for dimension in instrument.pairs.flatMap({ [$0.management, $0.leadership] }) {
            var cells = [Self.escape(instrument.dimensions[dimension].title)]
            cells += scores.groups.map { $0.scores[dimension].map(NumberFormatting.score) ?? "—" }
            cells.append(scores.others?[dimension].map { "**\(NumberFormatting.score($0))**" } ?? "—")
            if spread {
                if let range = scores.spread(dimension) {
                    let width = range.upperBound - range.lowerBound
                    let wide = Tolerance.atLeast(width, findings.threshold, inclusive: true)
                    cells.append(wide ? "**\(NumberFormatting.score(width)) differ**" : NumberFormatting.score(width))
                } else {
                    cells.append("—")
                }
            }
            out.append("| " + cells.joined(separator: " | ") + " |")
        }
        return out
    }

    /// Cells of a text bar on each side: 16, each a quarter point on a 1–5 scale, with a half
    /// block for the eighth in between.
    static let cells = 16

    /// A text bar for `value` growing away from the centre: full blocks, a half block where the
    /// value ends between two, and dots for the rest of the scale.
    static func bar(_ value: Double?, _ instrument: Instrument, side: Instrument.Side) -> String {
        let halves: Int
        if let value {
            let fraction = (value - instrument.scaleMin) / (instrument.scaleMax - instrument.scaleMin)
            halves = Int((min(max(fraction, 0), 1) * Double(cells * 2)).rounded())
        } else {
            halves = 0
        }
        let full = halves / 2
        let half = halves % 2 == 1
        let empty = cells - full - (half ? 1 : 0)
        let dots = String(repeating: "·", count: empty)
        let blocks = String(repeating: "█", count: full)
        // A half block sits against the full ones: the right half on the left side, the left
        // half on the right side.
        return side == .management
            ? dots + (half ? "▐" : "") + blocks
            : blocks + (half ? "▌" : "") + dots
    }

    /// Escapes the characters that Markdown (and inline HTML) would interpret, `&` included so
    /// that a literal `&amp;` in a rule stays as written.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "#", "|", "<", ">", "~", "&":
                out.append("\\")
                out.append(character)
            case "\n":
                out.append(" ")
            default:
                out.append(character)
            }
        }
        return out
    }
}
