/// The advice as Markdown: the same content as the text report, for notes, tickets and wikis.
/// Text from profiles and rule files is escaped so that it cannot turn into markup.
public struct MarkdownReport: Sendable {
    /// Creates a Markdown renderer.
    public init() {}

    /// The report, ending with a newline. With `scores`, it carries the charts of the HTML
    /// report as compact tables: the pairs side by side with text bars, and self versus others.
    public func render(_ advice: Advice, scores: ScoreSheet? = nil, explained: Bool = false) -> String {
        var out: [String] = []
        out.append("# Coaching advice for \(advice.id.map(Self.escape) ?? "this profile")")
        out.append("")
        var facts: [String] = []
        if let level = advice.level { facts.append("**Level:** \(Self.escape(level))") }
        if !advice.raters.isEmpty { facts.append("**Raters:** \(Self.escape(ReportText.raters(advice.raters)))") }
        facts.append(
            "**Rules:** \(advice.fired.count) fired, \(advice.recommendations.count) recommended "
                + "(rule set `\(advice.ruleSetVersion)`)"
        )
        out.append(facts.joined(separator: " · "))
        if let scores { out += charts(scores) }
        if advice.recommendations.isEmpty {
            out.append("")
            out.append("No recommendations: no rule's condition held for this profile.")
        }
        for (number, item) in advice.recommendations.enumerated() {
            out.append("")
            out.append("## \(number + 1). \(Self.escape(item.title))")
            out.append("")
            out.append(
                "*Priority \(item.priority) · confidence \(ReportText.confidence(item.confidence)) · "
                    + "rule `\(item.rule)`*"
            )
            out.append("")
            out.append(Self.escape(item.summary))
            out.append("")
            out.append("**Why it matters.** \(Self.escape(item.why))")
            out.append("")
            out.append("**Next steps**")
            out.append("")
            for action in item.actions { out.append("- \(Self.escape(action))") }
            if explained {
                out.append("")
                out.append("**Conditions** (✓ held, ✗ did not, ? unknown)")
                out.append("")
                for condition in item.because {
                    out.append("- \(ReportText.mark(condition.result)) \(Self.escape(condition.detail))")
                }
            }
        }
        let others = advice.fired.filter { id in !advice.recommendations.contains { $0.rule == id } }
        if !others.isEmpty {
            out.append("")
            out.append(
                "*Also fired, not recommended (group, suppression or limit):* "
                    + others.map { "`\($0)`" }.joined(separator: ", ")
            )
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The butterfly chart as a table with text bars, and the gaps between self and others.
    func charts(_ scores: ScoreSheet) -> [String] {
        let instrument = scores.instrument
        let butterfly = ButterflyChart(sheet: scores)
        let management = Self.escape(instrument.sideTitles[.management] ?? "Management")
        let leadership = Self.escape(instrument.sideTitles[.leadership] ?? "Leadership")
        var out: [String] = ["", "## The balance of the \(instrument.pairs.count) pairs", ""]
        out.append(
            "Bars grow from the centre, one block per eighth of the scale; they show \(butterfly.barsShow)"
                + (butterfly.comparesSelfAndOthers ? ", with the self-rating in brackets." : ".")
                + " Bands: "
                + Self.escape(instrument.bands.map { "\($0.name) \($0.bounds)" }.joined(separator: ", ")) + ".")
        out.append("")
        out.append("| \(management) | score | | score | \(leadership) |")
        out.append("|---:|---:|:---:|:---|:---|")
        let cells = 8
        func blocks(_ value: Double?) -> Int {
            guard let value else { return 0 }
            let fraction = (value - instrument.scaleMin) / (instrument.scaleMax - instrument.scaleMin)
            return Int((min(max(fraction, 0), 1) * Double(cells)).rounded())
        }
        func score(_ bar: ButterflyChart.Bar) -> String {
            guard let value = bar.value else { return "n/a" }
            var text = NumberFormatting.score(value)
            if let band = bar.band { text += " \(Self.escape(band))" }
            if let own = bar.selfRating { text += " (\(NumberFormatting.score(own)))" }
            return text
        }
        for row in butterfly.rows {
            let left = blocks(row.management.value)
            let right = blocks(row.leadership.value)
            let bars =
                String(repeating: "·", count: cells - left) + String(repeating: "█", count: left) + "│"
                + String(repeating: "█", count: right) + String(repeating: "·", count: cells - right)
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
                (butterfly.comparesSelfAndOthers ? "Every rater together: " : "") + values.joined(separator: " · "))
        }
        let gaps = GapChart(sheet: scores)
        guard gaps.isAvailable else { return out }
        let size = NumberFormatting.short(gaps.threshold)
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

    /// Escapes the characters that Markdown (and inline HTML) would interpret.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "#", "|", "<", ">", "~":
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
