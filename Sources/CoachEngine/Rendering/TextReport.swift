/// The advice as a short report a person reads in a terminal: who, level, raters, then each
/// recommendation with why and next steps, and (explained) the conditions that made it fire.
public struct TextReport: Sendable {
    /// Lines wrap at this width.
    public var width: Int

    /// Creates a report renderer that wraps at `width` columns.
    public init(width: Int = 80) {
        self.width = max(40, width)
    }

    /// The report, ending with a newline.
    public func render(_ advice: Advice, explained: Bool = false) -> String {
        var out: [String] = []
        let who = advice.id.map { "'\($0)'" } ?? "this profile"
        let level = advice.level.map { " at \($0) level" } ?? ""
        out.append("Advice for \(who)\(level)")
        if !advice.raters.isEmpty { out.append("Raters: " + ReportText.raters(advice.raters)) }
        out.append(
            "\(advice.fired.count) rule\(advice.fired.count == 1 ? "" : "s") fired, "
                + "\(advice.recommendations.count) recommended (rule set \(advice.ruleSetVersion))"
        )
        if advice.recommendations.isEmpty {
            out.append("")
            out.append("No recommendations: no rule's condition held for this profile.")
        }
        for (number, item) in advice.recommendations.enumerated() {
            out.append("")
            out.append("\(number + 1). \(item.title)")
            out.append(
                "   priority \(item.priority) · confidence \(ReportText.confidence(item.confidence)) · \(item.rule)")
            out += wrap(item.summary, indent: "   ")
            out += wrap("Why: " + item.why, indent: "   ")
            out.append("   Next steps:")
            for action in item.actions { out += wrap(action, indent: "     ", first: "   - ") }
            if explained {
                out.append("   Conditions (✓ held, ✗ did not, ? unknown):")
                for condition in item.because {
                    out += wrap(condition.detail, indent: "       ", first: "   \(ReportText.mark(condition.result)) ")
                }
            }
        }
        let others = advice.fired.filter { id in !advice.recommendations.contains { $0.rule == id } }
        if !others.isEmpty {
            out.append("")
            out += wrap(
                "Also fired (not recommended: group, suppression or limit): " + others.joined(separator: ", "),
                indent: "")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Word-wraps `text` to the width, the first line starting with `first` (default `indent`).
    func wrap(_ text: String, indent: String, first: String? = nil) -> [String] {
        var lines: [String] = []
        var line = first ?? indent
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if lineHasWord, line.count + 1 + word.count > width {
                lines.append(line)
                line = indent
                lineHasWord = false
            }
            line += (lineHasWord ? " " : "") + word
            lineHasWord = true
        }
        lines.append(line)
        return lines
    }
}

/// Phrases shared by the text and Markdown reports.
enum ReportText {
    static func raters(_ raters: [RaterSummary]) -> String {
        raters.map { summary in
            summary.used
                ? "\(summary.group) \(summary.count)"
                : "\(summary.group) \(summary.count) (not shown: fewer than \(summary.minimum) raters)"
        }.joined(separator: ", ")
    }

    static func confidence(_ value: Double) -> String {
        NumberFormatting.short(value)
    }

    static func mark(_ truth: Truth) -> String {
        switch truth {
        case .true: "✓"
        case .false: "✗"
        case .unknown: "?"
        }
    }
}
