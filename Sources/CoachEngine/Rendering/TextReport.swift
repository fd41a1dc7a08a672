/// The advice as a short report a person reads in a terminal: who, level, raters, then each
/// recommendation with why and next steps, and (explained) the conditions that made it fire.
public struct TextReport: Sendable {
    /// Lines wrap at this width.
    public var width: Int
    /// Whether to mark up titles and notes with ANSI styles (bold, dim) for a terminal.
    public var color: Bool

    /// Creates a report renderer that wraps at `width` columns, with ANSI styles if `color`.
    public init(width: Int = 80, color: Bool = false) {
        self.width = max(40, width)
        self.color = color
    }

    /// Whether a terminal report may use colour: only when writing to a terminal, and never
    /// when `NO_COLOR` is set to anything but the empty string (https://no-color.org), nor for
    /// `TERM=dumb`.
    public static func colorAllowed(environment: [String: String], isTerminal: Bool) -> Bool {
        guard isTerminal else { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }

    /// `text` in an ANSI style (`1` bold, `2` dim, `32` green, `31` red) when colour is on.
    private func styled(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// The report, ending with a newline.
    public func render(_ advice: Advice, explained: Bool = false) -> String {
        var out: [String] = []
        let who = advice.id.map { "'\(ReportText.plain($0))'" } ?? "this profile"
        let level = advice.level.map { " at \(ReportText.plain($0)) level" } ?? ""
        out.append(styled("Advice for \(who)\(level)", "1"))
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
            out.append(styled("\(number + 1). \(ReportText.plain(item.title))", "1"))
            out.append(
                styled(
                    "   priority \(item.priority) · confidence \(ReportText.confidence(item.confidence)) · \(ReportText.plain(item.rule))",
                    "2"))
            out += wrap(item.summary, indent: "   ")
            out += wrap("Why: " + item.why, indent: "   ")
            out.append(styled("   Next steps:", "1"))
            for action in item.actions { out += wrap(action, indent: "     ", first: "   - ") }
            if explained {
                out.append("   Conditions (✓ held, ✗ did not, ? unknown):")
                for condition in item.because {
                    let mark = ReportText.mark(condition.result)
                    let code = condition.result == .true ? "32" : condition.result == .false ? "31" : "33"
                    out += wrap(condition.detail, indent: "       ", first: "   \(mark) ").enumerated().map {
                        index, line in
                        index == 0 ? "   " + styled(mark, code) + line.dropFirst(3 + mark.count) : line
                    }
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
        for word in ReportText.plain(text).split(separator: " ", omittingEmptySubsequences: true) {
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

    /// `text` safe to print on a terminal: control characters (an escape sequence hidden in a
    /// profile id, say) become U+FFFD, line breaks and tabs spaces.
    static func plain(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: out.unicodeScalars.append(" ")
            case 0x00...0x1F, 0x7F...0x9F: out.unicodeScalars.append("\u{FFFD}")
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A derived score's name as a label: `Balance`.
    static func derivedLabel(_ name: String) -> String {
        name.prefix(1).uppercased() + name.dropFirst()
    }

    /// A derived score's value: the balance signed (`+1.18`, `−1.55`), others as scores.
    static func derivedValue(_ name: String, _ value: Double?) -> String {
        value.map { name == "balance" ? GapChart.signed($0) : NumberFormatting.score($0) } ?? "n/a"
    }

    static func confidence(_ value: Double) -> String {
        NumberFormatting.score(value)
    }

    /// How sure a recommendation is, in a word or two: `high`, `fairly high`, `moderate`, `low`.
    static func confidenceLevel(_ value: Double) -> String {
        value >= 0.85 ? "high" : value >= 0.7 ? "fairly high" : value >= 0.55 ? "moderate" : "low"
    }

    /// What a recommendation's confidence rests on, in a sentence.
    static func confidenceReason(_ value: Double, _ scores: ScoreSheet) -> String {
        if value >= 1 { return "It is about the data itself, not a score, so it is certain." }
        if scores.groups.isEmpty, scores.othersCount == 0 {
            return "The profile gives combined scores without saying who rated, so confidence stays at "
                + "\(NumberFormatting.score(Confidence.scoresOnly)) at most."
        }
        if scores.othersCount == 0 {
            return "It rests on the self-rating alone; ratings from others would make it firmer."
        }
        return "It rests on \(scores.othersCount) rater\(scores.othersCount == 1 ? "" : "s") besides you; "
            + "it is lower with fewer raters and where rater groups disagree on the scores the rule reads."
    }

    /// Which way a balance score leans, in words: `about even`, `leaning towards manage things`.
    static func leaning(_ balance: Double, instrument: Instrument) -> String {
        abs(balance) < 0.25
            ? "about even"
            : balance < 0
                ? "leaning towards \((instrument.sideTitles[.management] ?? "management").lowercased())"
                : "leaning towards \((instrument.sideTitles[.leadership] ?? "leadership").lowercased())"
    }

    static func mark(_ truth: Truth) -> String {
        switch truth {
        case .true: "✓"
        case .false: "✗"
        case .unknown: "?"
        }
    }
}
