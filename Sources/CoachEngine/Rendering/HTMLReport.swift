/// The advice as one self-contained HTML page a coach hands over: who and what the scores rest
/// on, the strengths to build on, a butterfly chart of the pairs with each rater group marked, the
/// 360 by rater group with where groups disagree, a gap chart of self versus others, the top
/// recommendations (each with how it was chosen, folded on screen and unfolded in print), what
/// else fits, and how to read the page. Inline CSS and SVG, no scripts, no network; reads on a
/// phone and prints on A4 with a running header and page numbers.
///
/// Every number on the page is the sheet's headline view (others' view for a 360, the combined
/// scores otherwise) with two decimals, or says whose it is. Every string from a profile, a
/// rule file or the instrument is escaped.
///
/// ```swift
/// let advice = try book.advise(profile, options: AdviceOptions(explain: true))
/// let page = HTMLReport(date: "2026-11-30").render(
///     advice, scores: try book.scoreSheet(profile), alsoFired: try book.alsoFired(advice, for: profile))
/// ```
public struct HTMLReport: Sendable {
    /// The date printed in the header (`2026-11-30`), if any.
    public var date: String?

    /// Creates a renderer that prints `date` in the header.
    public init(date: String? = nil) {
        self.date = date
    }

    /// The page. Give advice made with `explain: true` for the conditions under "how this was
    /// chosen", and `alsoFired` (`RuleBook.alsoFired`) to show the rules that fired but were
    /// not recommended by title and summary rather than by id.
    public func render(_ advice: Advice, scores: ScoreSheet, alsoFired: [Recommendation] = []) -> String {
        let instrument = scores.instrument
        let who = advice.id ?? "this profile"
        var html = HTMLWriter()
        html.raw("<main>\n")
        header(advice, scores: scores, into: &html)
        strengths(scores, into: &html)
        balance(scores, into: &html)
        raterGroups(scores, into: &html)
        gaps(scores, into: &html)
        recommendations(advice, scores: scores, alsoFired: alsoFired, into: &html)
        howToRead(scores, into: &html)
        html.raw("<footer>")
        html.text(
            "Made by coach from the rule set \(advice.ruleSetVersion) (\(instrument.title)). "
                + "\(advice.fired.count) rule\(advice.fired.count == 1 ? "" : "s") fired; "
                + "\(advice.recommendations.count) recommended.")
        html.raw("</footer>\n</main>\n")
        let running = [who, date].compactMap { $0 }.joined(separator: " · ")
        return HTMLPage.document(
            title: "Coaching report: \(who)", body: html.output,
            runningHeader: "\(instrument.title) · \(running)")
    }

    // MARK: Header

    private func header(_ advice: Advice, scores: ScoreSheet, into html: inout HTMLWriter) {
        let instrument = scores.instrument
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
        html.element("dt", text: "Numbers")
        html.element(
            "dd",
            text: (scores.leadsWithOthers
                ? "Others' view (\(scores.othersCount) rater\(scores.othersCount == 1 ? "" : "s")), unless a number "
                    + "says whose it is"
                : "The combined scores")
                + "; two decimals on the \(NumberFormatting.short(instrument.scaleMin))–"
                + "\(NumberFormatting.short(instrument.scaleMax)) scale.")
        html.raw("\n</dl>\n</header>\n")
    }

    // MARK: Strengths

    private func strengths(_ scores: ScoreSheet, into html: inout HTMLWriter) {
        let findings = ReportFindings(scores)
        let instrument = scores.instrument
        html.raw("<section id=\"strengths\">\n")
        html.element("h2", text: "Strengths to build on")
        guard !findings.highest.isEmpty else {
            html.element(
                "p", ["class": "note"],
                text: "There are no scores to show: " + Self.emptyReason(scores))
            html.raw("</section>\n")
            return
        }
        html.raw("<ul class=\"strengths\">\n")
        if findings.matchedPairs.isEmpty {
            html.element(
                "li",
                text: "No pair has both blades in the \(findings.strongBand?.name ?? "top") band yet. "
                    + "Strength on one side needs the other to cut: a matched set is what to grow towards.")
        } else {
            html.open("li")
            html.element(
                "strong",
                text: "A matched set: "
                    + (findings.matchedPairs.count == instrument.pairs.count
                        ? "every pair has both blades strong."
                        : "both blades strong in \(findings.matchedPairs.count) "
                            + "pair\(findings.matchedPairs.count == 1 ? "" : "s")."))
            html.text(" ")
            html.text(
                findings.matchedPairs.map { pair in
                    let p = instrument.pairs[pair.pair]
                    return "\(findings.named(p.management, pair.management)) with "
                        + "\(findings.named(p.leadership, pair.leadership).lowercasedFirst)"
                }.joined(separator: "; ") + ".")
            html.close("li")
            html.newline()
        }
        html.element("li", text: findings.highestSentence)
        if let hidden = findings.hiddenStrengthSentence { html.element("li", text: hidden) }
        html.raw("</ul>\n</section>\n")
    }

    /// Why a sheet has no scores in its headline view.
    static func emptyReason(_ scores: ScoreSheet) -> String {
        scores.groups.isEmpty && scores.othersCount == 0
            ? "every rater group is below its anonymity minimum or gave no scores."
            : "the profile has no scores on this instrument's dimensions."
    }

    // MARK: The butterfly

    private func balance(_ scores: ScoreSheet, into html: inout HTMLWriter) {
        let chart = ButterflyChart(sheet: scores)
        let instrument = scores.instrument
        html.raw("<section id=\"balance\">\n")
        html.element("h2", text: "The balance of the \(instrument.pairs.count) pairs")
        if chart.isEmpty {
            html.element("p", ["class": "note"], text: "No chart: " + Self.emptyReason(scores))
            html.raw("</section>\n")
            return
        }
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
            html.raw("<span>\(RaterMarker(group: "self", index: 0).key)Self-rating</span>")
            for group in scores.otherGroups {
                html.raw("<span>")
                html.raw(chart.marker(group.name).key)
                html.text("\(RaterMarker.label(group.name)) (\(group.count))")
                html.raw("</span>")
            }
            if scores.otherGroups.count >= 2 {
                html.raw("<span><span class=\"swatch spread\"></span>Range between groups</span>")
            }
        }
        html.raw("<span>Shading: ")
        for (index, band) in instrument.bands.enumerated() {
            if index > 0 { html.text(" · ") }
            html.raw("<span class=\"swatch band-\(index % 3)\"></span>")
            html.text("\(band.name) \(band.bounds)")
        }
        html.raw("</span></div>\n<div class=\"wide\">")
        html.raw(chart.svg(id: "balance-chart"))
        html.raw("</div>\n<div class=\"compact\">")
        html.raw(chart.compact())
        html.raw("</div>\n")
        if !scores.derived.isEmpty {
            html.raw("<p class=\"derived\">")
            html.text(scores.leadsWithOthers ? "Others' view: " : "Combined scores: ")
            for (index, item) in scores.derived.enumerated() {
                if index > 0 { html.text(" · ") }
                html.text(ReportText.derivedLabel(item.name) + " ")
                html.element("strong", text: ReportText.derivedValue(item.name, item.value))
            }
            if let balance = scores.derived("balance") {
                html.text(" (\(ReportText.leaning(balance, instrument: instrument)))")
            }
            html.raw("</p>\n")
        }
        html.raw("<details class=\"numbers\"><summary>The numbers behind this chart</summary>\n")
        html.raw(chart.table(caption: "Scores by pair side and dimension"))
        html.raw("</details>\n</section>\n")
    }

    // MARK: The 360 by rater group

    private func raterGroups(_ scores: ScoreSheet, into html: inout HTMLWriter) {
        guard scores.leadsWithOthers, !scores.groups.isEmpty else { return }
        let findings = ReportFindings(scores)
        let instrument = scores.instrument
        html.raw("<section id=\"rater-groups\">\n")
        html.element("h2", text: "The 360 by rater group")
        html.element(
            "p", ["class": "lede"],
            text: "Each group's rating of each dimension; \"others\" is every group but self, weighted by rater "
                + "count. Groups below their anonymity minimum are left out.")
        html.raw("<ul class=\"agreement\">\n")
        if findings.disagreements.isEmpty {
            html.element("li", text: findings.agreementSentence)
        } else {
            for sentence in findings.disagreementSentences { html.element("li", text: sentence) }
        }
        html.raw("</ul>\n<div class=\"table-scroll\"><table class=\"numbers groups\">")
        html.element(
            "caption",
            text: "Ratings by group. Spread: the highest minus the lowest group other than self; "
                + "\(NumberFormatting.score(findings.threshold)) or more is marked.")
        html.raw("<thead><tr>")
        html.element("th", ["scope": "col"], text: "Dimension")
        for group in scores.groups {
            html.element(
                "th", ["scope": "col", "class": "num"], text: "\(RaterMarker.label(group.name)) (\(group.count))")
        }
        html.element("th", ["scope": "col", "class": "num"], text: "Others (\(scores.othersCount))")
        if scores.otherGroups.count >= 2 {
            html.element("th", ["scope": "col", "class": "num spread-col"], text: "Spread")
        }
        html.raw("</tr></thead><tbody>\n")
        for pair in instrument.pairs {
            for dimension in [pair.management, pair.leadership] {
                html.raw(dimension == pair.management ? "<tr class=\"pair-start\">" : "<tr>")
                html.element("th", ["scope": "row"], text: instrument.dimensions[dimension].title)
                for group in scores.groups {
                    html.element(
                        "td", ["class": "num"], text: group.scores[dimension].map(NumberFormatting.score) ?? "—")
                }
                html.element(
                    "td", ["class": "num others"],
                    text: scores.others?[dimension].map(NumberFormatting.score) ?? "—")
                if scores.otherGroups.count >= 2 {
                    if let spread = scores.spread(dimension) {
                        let wide = Tolerance.atLeast(
                            spread.upperBound - spread.lowerBound, findings.threshold, inclusive: true)
                        html.element(
                            "td", ["class": wide ? "num spread-col disagree" : "num spread-col"],
                            text: NumberFormatting.score(spread.upperBound - spread.lowerBound)
                                + (wide ? " differ" : ""))
                    } else {
                        html.element("td", ["class": "num spread-col"], text: "—")
                    }
                }
                html.raw("</tr>\n")
            }
        }
        html.raw("</tbody></table></div>\n</section>\n")
    }

    // MARK: Self and others

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
        let size = NumberFormatting.score(chart.threshold)
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
        html.raw("</span></div>\n<div class=\"wide\">")
        html.raw(chart.svg(id: "gap-chart"))
        html.raw("</div>\n<div class=\"compact\">")
        html.raw(chart.compact())
        html.raw("</div>\n<details class=\"numbers\"><summary>The numbers behind this chart</summary>\n")
        html.raw(chart.table(caption: "Self-rating, others' rating and the gap, by dimension"))
        html.raw("</details>\n</section>\n")
    }

    // MARK: Recommendations

    private func recommendations(
        _ advice: Advice, scores: ScoreSheet, alsoFired: [Recommendation], into html: inout HTMLWriter
    ) {
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
                html.raw("</h3>\n")
                html.element("p", ["class": "summary"], text: item.summary)
                html.raw("<p><strong>Why it matters.</strong> ")
                html.text(item.why)
                html.raw("</p>\n<h4>Next steps</h4>\n<ul class=\"actions\">")
                for action in item.actions { html.element("li", text: action) }
                html.raw("</ul>\n")
                var body = HTMLWriter()
                howChosen(item, scores: scores, into: &body)
                Self.folded(summary: "How this was chosen", body: body.output, kind: "because", into: &html)
                html.raw("</li>\n")
            }
            html.raw("</ol>\n")
        }
        let recommended = Set(advice.recommendations.map(\.rule))
        let others = advice.fired.filter { !recommended.contains($0) }
        if !others.isEmpty {
            html.raw("<section class=\"also\">\n")
            html.element(
                "h3",
                text: advice.recommendations.isEmpty
                    ? "Also fits" : "Also fits, not in the top \(advice.recommendations.count)")
            html.element(
                "p", ["class": "lede"],
                text: "These fit the profile too, but were left out to keep the list short: one per theme, and "
                    + "the best-ranked first.")
            html.raw("<ul class=\"also-fired\">\n")
            for id in others {
                html.open("li")
                if let item = alsoFired.first(where: { $0.rule == id }) {
                    var body = HTMLWriter()
                    body.element("p", text: item.summary)
                    body.raw("<p class=\"meta\">")
                    body.text("Rule ")
                    body.element("code", text: item.rule)
                    body.text(" · priority \(item.priority)")
                    body.raw("</p>")
                    Self.folded(summary: item.title, body: body.output, kind: "also-item", into: &html)
                } else {
                    html.element("code", text: id)
                }
                html.raw("</li>\n")
            }
            html.raw("</ul>\n</section>\n")
        }
        html.raw("</section>\n")
    }

    /// The folded part of a recommendation: the rule, its rank, the confidence in words and the
    /// conditions with the values read.
    private func howChosen(_ item: Recommendation, scores: ScoreSheet, into html: inout HTMLWriter) {
        let percent = SVGNumber.format((min(max(item.confidence, 0), 1) * 100).rounded())
        html.raw("<p class=\"confidence\">")
        html.element("strong", text: "Confidence: \(ReportText.confidenceLevel(item.confidence))")
        html.raw("<span class=\"meter\" aria-hidden=\"true\"><span style=\"width: \(percent)%\"></span></span>")
        html.text(
            " (\(ReportText.confidence(item.confidence)) of 1). " + ReportText.confidenceReason(item.confidence, scores)
        )
        html.raw("</p>\n<p class=\"meta\">")
        html.text("Rule ")
        html.element("code", text: item.rule)
        html.text(" · priority \(item.priority) (higher comes first)")
        if let group = item.group { html.text(" · one per theme: \(group)") }
        html.raw("</p>\n")
        guard !item.because.isEmpty else { return }
        html.element(
            "p", ["class": "meta"],
            text: scores.leadsWithOthers
                ? "The rule's conditions, with the values it read. A dimension without a group name is every rater "
                    + "together, self included, so it can differ from others' view above."
                : "The rule's conditions, with the values it read:")
        html.raw("<ul class=\"conditions\">")
        for condition in item.because {
            html.open("li")
            html.element("span", ["class": "truth", "aria-hidden": "true"], text: ReportText.mark(condition.result))
            html.element("span", ["class": "visually-hidden"], text: Self.truthWord(condition.result) + ": ")
            html.text(condition.detail)
            html.close("li")
        }
        html.raw("</ul>")
    }

    /// `body` folded under `summary` on screen, and unfolded in print: a `details` element for
    /// the screen and a copy of the body that only print shows.
    static func folded(summary: String, body: String, kind: String, into html: inout HTMLWriter) {
        html.raw("<details class=\"\(kind) screen-only\"><summary>")
        html.text(summary)
        html.raw("</summary>\n")
        html.raw(body)
        html.raw("</details>\n<div class=\"\(kind) print-only\">")
        html.element("h4", text: summary)
        html.raw(body)
        html.raw("</div>\n")
    }

    // MARK: How to read

    private func howToRead(_ scores: ScoreSheet, into html: inout HTMLWriter) {
        let instrument = scores.instrument
        let scale = "\(NumberFormatting.short(instrument.scaleMin))–\(NumberFormatting.short(instrument.scaleMax))"
        let threshold = NumberFormatting.score(GapChart(sheet: scores).threshold)
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
            text: "With ratings from others, every number is their view unless it says otherwise: the bars show it, "
                + "the diamond your own rating, and the markers under each bar each group's. In the gap chart, a gap "
                + "of \(threshold) or more to the right is a possible blind spot (you see more in yourself than "
                + "others do); to the left, a hidden strength (others see more than you do).")
        html.element(
            "li",
            text: "Rater groups below their anonymity minimum are not shown and not used, so that no one's "
                + "rating can be singled out.")
        html.element(
            "li",
            text: "Recommendations are few and ranked: notes on the data first, then serious gaps and blind "
                + "spots, then strengths to build on. Each says how sure it is; confidence falls with few raters "
                + "and with rater groups who disagree. Start with one.")
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

extension String {
    /// The string with its first letter in lower case, unless the first word is an acronym.
    var lowercasedFirst: String {
        guard let first, !(count > 1 && self[index(after: startIndex)].isUppercase) else { return self }
        return first.lowercased() + dropFirst()
    }
}
