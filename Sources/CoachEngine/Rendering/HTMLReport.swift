/// The advice as one self-contained HTML page a coach opens with the person being coached:
/// who and what the scores rest on, a butterfly chart of the pairs, a gap chart of self versus
/// others, the top recommendations (with the conditions that made each fire, folded), and how
/// to read the page. Inline CSS and SVG, no scripts, no network; prints on A4.
///
/// Every string from a profile, a rule file or the instrument is escaped.
///
/// ```swift
/// let advice = try book.advise(profile, options: AdviceOptions(explain: true))
/// let page = HTMLReport(date: "2026-11-30").render(advice, scores: try book.scoreSheet(profile))
/// ```
public struct HTMLReport: Sendable {
    /// The date printed in the header (`2026-11-30`), if any.
    public var date: String?

    /// Creates a renderer that prints `date` in the header.
    public init(date: String? = nil) {
        self.date = date
    }

    /// The page. Give advice made with `explain: true` for the folded conditions.
    public func render(_ advice: Advice, scores: ScoreSheet) -> String {
        let instrument = scores.instrument
        let who = advice.id ?? "this profile"
        var html = HTMLWriter()
        html.raw("<main>\n")
        header(advice, instrument: instrument, into: &html)
        balance(scores, into: &html)
        gaps(scores, into: &html)
        recommendations(advice, into: &html)
        howToRead(scores, into: &html)
        html.raw("<footer>")
        html.text(
            "Made by coach from the rule set \(advice.ruleSetVersion) (\(instrument.title)). "
                + "\(advice.fired.count) rule\(advice.fired.count == 1 ? "" : "s") fired; "
                + "\(advice.recommendations.count) recommended.")
        html.raw("</footer>\n</main>\n")
        return HTMLPage.document(title: "Coaching report: \(who)", body: html.output)
    }

    private func header(_ advice: Advice, instrument: Instrument, into html: inout HTMLWriter) {
        html.raw("<header class=\"page\">\n")
        html.element("p", ["class": "eyebrow"], text: "\(instrument.title) · coaching report")
        html.element("h1", text: advice.id ?? "This profile")
        html.raw("<dl class=\"facts\">\n")
        if let level = advice.level {
            html.element("dt", text: "Level")
            html.element("dd", text: level)
        }
        if let date {
            html.element("dt", text: "Date")
            html.element("dd", text: date)
        }
        html.element("dt", text: "Raters")
        html.open("dd")
        if advice.raters.isEmpty {
            html.text("combined scores only (no rater groups)")
        } else {
            html.raw("<ul class=\"raters\">")
            for rater in advice.raters {
                if rater.used {
                    html.element("li", text: "\(rater.group) \(rater.count)")
                } else {
                    html.element(
                        "li", ["class": "withheld"],
                        text: "\(rater.group) \(rater.count): not shown, fewer than \(rater.minimum) raters")
                }
            }
            html.raw("</ul>")
        }
        html.close("dd")
        html.raw("\n</dl>\n</header>\n")
    }

    private func balance(_ scores: ScoreSheet, into html: inout HTMLWriter) {
        let chart = ButterflyChart(sheet: scores)
        let instrument = scores.instrument
        html.raw("<section id=\"balance\">\n")
        html.element("h2", text: "The balance of the \(instrument.pairs.count) pairs")
        html.element(
            "p", ["class": "lede"],
            text: "\(instrument.sideTitles[.management] ?? "Management") to the left, "
                + "\((instrument.sideTitles[.leadership] ?? "leadership").lowercased()) to the right. "
                + "Longer bars are higher scores; the bars show \(chart.barsShow).")
        html.raw("<div class=\"legend\" aria-hidden=\"true\">")
        html.raw("<span><span class=\"swatch bar\"></span>")
        html.text(chart.comparesSelfAndOthers ? "Others' rating" : "Score")
        html.raw("</span>")
        if chart.comparesSelfAndOthers {
            html.raw("<span><span class=\"swatch self\"></span>Self-rating</span>")
        }
        html.raw("<span>Shading: ")
        html.text(instrument.bands.map { "\($0.name) \($0.bounds)" }.joined(separator: " · "))
        html.raw("</span></div>\n")
        html.raw(chart.svg(id: "balance-chart"))
        html.newline()
        if !scores.derived.isEmpty {
            html.raw("<p class=\"derived\">")
            if chart.comparesSelfAndOthers { html.text("Every rater together: ") }
            for (index, item) in scores.derived.enumerated() {
                if index > 0 { html.text(" · ") }
                html.text(ReportText.derivedLabel(item.name) + " ")
                html.element("strong", text: ReportText.derivedValue(item.name, item.value))
            }
            if let balance = scores.derived("balance") {
                let leaning =
                    abs(balance) < 0.25
                    ? "about even"
                    : balance < 0
                        ? "leaning towards \((instrument.sideTitles[.management] ?? "management").lowercased())"
                        : "leaning towards \((instrument.sideTitles[.leadership] ?? "leadership").lowercased())"
                html.text(" (\(leaning))")
            }
            html.raw("</p>\n")
        }
        html.raw("<details class=\"numbers\"><summary>The numbers behind this chart</summary>\n")
        html.raw(chart.table(caption: "Scores by pair side and dimension"))
        html.raw("</details>\n</section>\n")
    }

    private func gaps(_ scores: ScoreSheet, into html: inout HTMLWriter) {
        let chart = GapChart(sheet: scores)
        html.raw("<section id=\"gaps\">\n")
        html.element("h2", text: "How you see yourself and how others see you")
        guard chart.isAvailable else {
            html.element(
                "p", ["class": "note"],
                text: scores.selfRating == nil
                    ? "There is no self-rating to compare with others' ratings, so this page shows no gaps."
                    : "No other rater group reached its anonymity minimum, so there is nothing to compare the "
                        + "self-rating with, and this page shows no gaps.")
            html.raw("</section>\n")
            return
        }
        let size = NumberFormatting.short(chart.threshold)
        html.element(
            "p", ["class": "lede"],
            text: "Your self-rating minus the rating of \(scores.othersCount) "
                + "other\(scores.othersCount == 1 ? "" : "s"), dimension by dimension. "
                + "A gap of \(size) point\(chart.threshold == 1 ? "" : "s") or more is worth a conversation.")
        html.raw("<div class=\"legend\" aria-hidden=\"true\">")
        html.raw("<span><span class=\"swatch blind\"></span>")
        html.text("Blind spot: you rate yourself \(size) or more higher")
        html.raw("</span><span><span class=\"swatch hidden\"></span>")
        html.text("Hidden strength: others rate you \(size) or more higher")
        html.raw("</span></div>\n")
        html.raw(chart.svg(id: "gap-chart"))
        html.raw("\n<details class=\"numbers\"><summary>The numbers behind this chart</summary>\n")
        html.raw(chart.table(caption: "Self-rating, others' rating and the gap, by dimension"))
        html.raw("</details>\n</section>\n")
    }

    private func recommendations(_ advice: Advice, into html: inout HTMLWriter) {
        html.raw("<section id=\"recommendations\">\n")
        html.element("h2", text: "What to work on")
        if advice.recommendations.isEmpty {
            html.element(
                "p", ["class": "note"], text: "No recommendations: no rule's condition held for this profile.")
        } else {
            html.raw("<ol class=\"recommendations\">\n")
            for (number, item) in advice.recommendations.enumerated() {
                html.open("li", ["id": "recommendation-\(number + 1)"])
                html.raw("<h3><span class=\"rank\">\(number + 1).</span>")
                html.text(item.title)
                html.raw("</h3>\n<p class=\"meta\">")
                html.text("Confidence \(ReportText.confidence(item.confidence))")
                let percent = SVGNumber.format((min(max(item.confidence, 0), 1) * 100).rounded())
                html.raw("<span class=\"meter\" aria-hidden=\"true\"><span style=\"width: \(percent)%\"></span></span>")
                html.text(" · priority \(item.priority) · rule ")
                html.element("code", text: item.rule)
                html.raw("</p>\n")
                html.element("p", ["class": "summary"], text: item.summary)
                html.raw("<p><strong>Why it matters.</strong> ")
                html.text(item.why)
                html.raw("</p>\n<h4>Next steps</h4>\n<ul class=\"actions\">")
                for action in item.actions { html.element("li", text: action) }
                html.raw("</ul>\n")
                if !item.because.isEmpty {
                    html.raw("<details class=\"because\"><summary>What made this fire</summary>\n")
                    html.raw("<ul class=\"conditions\">")
                    for condition in item.because {
                        html.open("li")
                        html.element(
                            "span", ["class": "truth", "aria-hidden": "true"], text: ReportText.mark(condition.result))
                        html.element(
                            "span", ["class": "visually-hidden"], text: Self.truthWord(condition.result) + ": ")
                        html.text(condition.detail)
                        html.close("li")
                    }
                    html.raw("</ul></details>\n")
                }
                html.raw("</li>\n")
            }
            html.raw("</ol>\n")
        }
        let others = advice.fired.filter { id in !advice.recommendations.contains { $0.rule == id } }
        if !others.isEmpty {
            html.raw("<p class=\"also\">")
            html.text("Also fired, not recommended (group, suppression or limit): ")
            for (index, id) in others.enumerated() {
                if index > 0 { html.text(", ") }
                html.element("code", text: id)
            }
            html.raw("</p>\n")
        }
        html.raw("</section>\n")
    }

    private func howToRead(_ scores: ScoreSheet, into html: inout HTMLWriter) {
        let instrument = scores.instrument
        let scale = "\(NumberFormatting.short(instrument.scaleMin))–\(NumberFormatting.short(instrument.scaleMax))"
        let threshold = NumberFormatting.short(GapChart(sheet: scores).threshold)
        html.raw("<section id=\"how-to-read\" class=\"howto\">\n")
        html.element("h2", text: "How to read this page")
        html.raw("<ul>\n")
        html.element(
            "li",
            text: "Each row of the first chart is a pair that belongs together, like the two blades of a pair of "
                + "scissors: \((instrument.sideTitles[.management] ?? "management").lowercased()) on the left, "
                + "\((instrument.sideTitles[.leadership] ?? "leadership").lowercased()) on the right. Scores run "
                + "\(scale) from the centre outwards; a long bar on one side and a short one on the other is a "
                + "lopsided pair.")
        html.element(
            "li",
            text: "The shading marks the bands the rules use: "
                + instrument.bands.map { "\($0.name) (\($0.bounds))" }.joined(separator: ", ") + ".")
        html.element(
            "li",
            text: "With ratings from others, the bars show their view and the diamond your own. In the second "
                + "chart, a gap of \(threshold) or more to the right is a possible blind spot (you see more in "
                + "yourself than others do); to the left, a hidden strength (others see more than you do).")
        html.element(
            "li",
            text: "Rater groups below their anonymity minimum are not shown and not used, so that no one's "
                + "rating can be singled out.")
        html.element(
            "li",
            text: "Recommendations are few and ranked: notes on the data first, then serious gaps and blind "
                + "spots, then strengths to build on. Confidence runs from 0 to 1 and falls with few raters and "
                + "with raters who disagree. Start with one.")
        html.raw("</ul>\n</section>\n")
    }

    private static func truthWord(_ truth: Truth) -> String {
        switch truth {
        case .true: "held"
        case .false: "did not hold"
        case .unknown: "unknown"
        }
    }
}
