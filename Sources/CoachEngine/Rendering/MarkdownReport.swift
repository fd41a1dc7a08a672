/// The advice as Markdown: the same content as the text report, for notes, tickets and wikis.
/// Text from profiles and rule files is escaped so that it cannot turn into markup.
public struct MarkdownReport: Sendable {
    /// Creates a Markdown renderer.
    public init() {}

    /// The report, ending with a newline.
    public func render(_ advice: Advice, explained: Bool = false) -> String {
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
