/// `coach stats` as one self-contained HTML page for the analysts who tune the rules: headline
/// figures, recommendations per profile (coverage), the fire and recommendation rate of every
/// rule as numbers and bars, grouped by rule file so that a hundred rules scan in about one
/// screen, with the expected range where a rule declares one, a co-firing heat map of the most
/// frequent rules, and a histogram of the balance score with a count axis. Each chart has a
/// title and description and a table with its numbers; rule ids are escaped. On a narrow screen
/// the wide charts scroll sideways at full size rather than shrink their text.
public struct StatsDashboard: Sendable {
    /// How many of the most frequently firing rules the heat map shows.
    public var heatMapRules: Int
    /// The date printed in the header, if any.
    public var date: String?
    /// The file each rule comes from, by rule id, to group the fire rates by file; empty for
    /// one list.
    public var ruleFiles: [String: String]

    /// Creates a dashboard renderer; with `book`, rules are grouped by the file they come from.
    public init(heatMapRules: Int = 12, date: String? = nil, book: RuleBook? = nil) {
        self.heatMapRules = max(2, heatMapRules)
        self.date = date
        var files: [String: String] = [:]
        for rule in book?.rules ?? [] { files[rule.id] = rule.location.file }
        self.ruleFiles = files
    }

    static let width = 720.0

    /// The page.
    public func render(_ stats: PopulationStats, title: String = "Rule set over a population") -> String {
        var html = HTMLWriter()
        html.raw("<main class=\"dashboard-page\">\n<header class=\"page\">\n")
        html.element("p", ["class": "eyebrow"], text: "coach stats · dashboard")
        html.element("h1", text: title)
        html.raw("<dl class=\"facts\">\n")
        html.element("dt", text: "Rule set")
        html.element("dd", text: "\(stats.ruleSetVersion) (\(stats.rules.count) rules)")
        if let date {
            html.element("dt", text: "Date")
            html.element("dd", text: date)
        }
        html.raw("</dl>\n<div class=\"tiles\">")
        tile("Profiles evaluated", Self.count(stats.profiles), into: &html)
        tile("Rejected records", Self.count(stats.rejected), into: &html)
        tile("Get a recommendation", Self.percent(stats.rate(stats.profiles - stats.uncovered)), into: &html)
        tile("Rules that never fired", "\(stats.neverFired.count) of \(stats.rules.count)", into: &html)
        if stats.expected.contains(where: { $0 != nil }) {
            tile("Outside expected rate", Self.count(stats.outsideExpected.count), into: &html)
        }
        html.raw("</div>\n</header>\n")
        coverage(stats, into: &html)
        fireRates(stats, into: &html)
        heatMap(stats, into: &html)
        histogram(stats, into: &html)
        html.raw("<footer>")
        html.text("Made by coach stats. Rates are shares of the \(Self.count(stats.profiles)) profiles evaluated.")
        html.raw("</footer>\n</main>\n")
        return HTMLPage.document(
            title: "coach stats: \(title)", body: html.output,
            runningHeader: (["coach stats", title] + (date.map { [$0] } ?? [])).joined(separator: " · "))
    }

    private func tile(_ label: String, _ figure: String, into html: inout HTMLWriter) {
        html.raw("<div class=\"tile\">")
        html.element("span", ["class": "figure"], text: figure)
        html.element("span", ["class": "label"], text: label)
        html.raw("</div>")
    }

    // MARK: Coverage

    private func coverage(_ stats: PopulationStats, into html: inout HTMLWriter) {
        let counts = stats.recommendationsPerProfile
        html.raw("<section id=\"coverage\">\n")
        html.element("h2", text: "Recommendations per profile")
        html.element(
            "p", ["class": "lede"],
            text: "\(Self.percent(stats.rate(stats.profiles - stats.uncovered))) of profiles get at least one "
                + "recommendation; \(Self.count(stats.uncovered)) get none.")
        let rowHeight = 26.0
        let labelWidth = 150.0
        let plot = 460.0
        let height = Double(counts.count) * rowHeight + 8
        var svg = HTMLWriter()
        svg.open(
            "svg",
            [
                "xmlns": "http://www.w3.org/2000/svg", "class": "chart dashboard coverage",
                "viewBox": "0 0 \(SVGNumber.format(Self.width)) \(SVGNumber.format(height))", "role": "img",
                "aria-labelledby": "coverage-title coverage-desc",
            ])
        svg.element("title", ["id": "coverage-title"], text: "Profiles by number of recommendations")
        svg.element(
            "desc", ["id": "coverage-desc"],
            text: counts.enumerated().map { "\($0.offset): \(Self.percent(stats.rate($0.element)))" }
                .joined(separator: ", "))
        for (number, profiles) in counts.enumerated() {
            let y = Double(number) * rowHeight + 4
            let length = stats.rate(profiles) * plot
            svg.element(
                "text",
                [
                    "class": "rule-label", "x": SVGNumber.format(labelWidth - 8), "y": SVGNumber.format(y + 14),
                    "text-anchor": "end",
                ], text: number == 1 ? "1 recommendation" : "\(number) recommendations")
            svg.empty(
                "rect",
                [
                    "class": number == 0 ? "bar gap-small" : "bar", "data-recommendations": String(number),
                    "data-profiles": String(profiles), "x": SVGNumber.format(labelWidth),
                    "y": SVGNumber.format(y + 2), "width": SVGNumber.format(length), "height": "16",
                ])
            svg.element(
                "text",
                [
                    "class": "value", "x": SVGNumber.format(labelWidth + length + 6), "y": SVGNumber.format(y + 14),
                ], text: "\(Self.percent(stats.rate(profiles)))  (\(Self.count(profiles)))")
        }
        svg.close("svg")
        html.raw("<div class=\"scroll-x\">" + svg.output + "</div>")
        html.raw("\n<details class=\"numbers\"><summary>The numbers behind this chart</summary>\n")
        table(
            caption: "Profiles by number of recommendations", headers: ["Recommendations", "Profiles", "Share"],
            rows: counts.enumerated().map {
                [String($0.offset), Self.count($0.element), Self.percent(stats.rate($0.element))]
            },
            into: &html)
        html.raw("</details>\n</section>\n")
    }

    // MARK: Fire rates

    /// The rules in display groups: by rule file when `ruleFiles` names them (in the order the
    /// files first appear), most frequent first within each; one group otherwise.
    func ruleGroups(_ stats: PopulationStats) -> [(name: String?, rules: [Int])] {
        let byRate = { (a: Int, b: Int) -> Bool in
            stats.fired[a] != stats.fired[b] ? stats.fired[a] > stats.fired[b] : a < b
        }
        guard !ruleFiles.isEmpty else { return [(nil, stats.rules.indices.sorted(by: byRate))] }
        var order: [String] = []
        var members: [String: [Int]] = [:]
        for index in stats.rules.indices {
            let file = ruleFiles[stats.rules[index]] ?? "other rules"
            if members[file] == nil { order.append(file) }
            members[file, default: []].append(index)
        }
        let prefix = Self.commonDirectory(order.filter { $0 != "other rules" })
        return order.map { file in
            (
                String(file.dropFirst(file.hasPrefix(prefix) ? prefix.count : 0)),
                (members[file] ?? []).sorted(by: byRate)
            )
        }
    }

    /// The directory every path starts with (`Rules/`), or the empty string.
    static func commonDirectory(_ paths: [String]) -> String {
        guard let first = paths.first else { return "" }
        var prefix = first.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        for path in paths.dropFirst() {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            var common = 0
            while common < min(prefix.count, parts.count),
                prefix[prefix.startIndex + common] == parts[parts.startIndex + common]
            {
                common += 1
            }
            prefix = prefix.prefix(common)
        }
        return prefix.isEmpty ? "" : prefix.joined(separator: "/") + "/"
    }

    private func fireRates(_ stats: PopulationStats, into html: inout HTMLWriter) {
        let order = stats.rules.indices.sorted {
            stats.fired[$0] != stats.fired[$1] ? stats.fired[$0] > stats.fired[$1] : $0 < $1
        }
        let largest =
            order.map { index in
                max(stats.rate(stats.fired[index]), stats.expected[index]?.upperBound ?? 0)
            }.max() ?? 0
        // The bars end at the next 5 % above the largest rate (at least 5 %, at most 100 %).
        let top = min(1, max(0.05, (largest * 20 - 1e-9).rounded(.up) / 20))
        func percentOfTrack(_ rate: Double) -> String { SVGNumber.format(min(rate / top, 1) * 100) }
        let hasExpected = stats.expected.contains { $0 != nil }
        let outside = stats.outsideExpected.map(\.rule)

        html.raw("<section id=\"fire-rates\">\n")
        html.element("h2", text: "How often each rule fires")
        html.element(
            "p", ["class": "lede"],
            text: "A rule fires when its condition holds; it is recommended when it also survives groups, "
                + "suppression and the limit. "
                + (ruleFiles.isEmpty ? "Most frequent first. " : "By rule file, most frequent first in each. ")
                + "Bars run to \(Self.percent(top, decimals: 0)) of profiles."
                + (hasExpected ? " A bracket marks the fire rate the rule's file expects." : ""))
        html.raw(
            "<div class=\"legend\" aria-hidden=\"true\"><span><span class=\"swatch fired\"></span>Fired</span>"
                + "<span><span class=\"swatch recommended\"></span>Recommended</span>"
                + (hasExpected ? "<span><span class=\"swatch expected\"></span>Expected fire rate</span>" : "")
                + "</div>\n")
        html.raw("<div class=\"rule-groups\">\n")
        for group in ruleGroups(stats) {
            html.raw("<section class=\"rule-group\">")
            if let name = group.name {
                html.open("h3")
                html.text(name)
                html.element(
                    "span", ["class": "count"], text: " · \(group.rules.count) rule\(group.rules.count == 1 ? "" : "s")"
                )
                html.close("h3")
            }
            html.raw("<table class=\"rates\"><thead><tr>")
            html.element("th", ["scope": "col"], text: "Rule")
            html.element("th", ["scope": "col", "class": "track-head"], text: "Rate")
            html.element("th", ["scope": "col", "class": "num"], text: "Fired")
            html.element("th", ["scope": "col", "class": "num"], text: "Rec.")
            html.raw("</tr></thead><tbody>\n")
            for index in group.rules {
                let rule = stats.rules[index]
                let fired = stats.rate(stats.fired[index])
                let recommended = stats.rate(stats.recommended[index])
                let isOutside = outside.contains(rule)
                html.raw("<tr>")
                html.open("th", ["scope": "row", "title": rule])
                html.element("code", text: rule)
                html.close("th")
                html.raw("<td class=\"track-cell\"><span class=\"track\">")
                html.open(
                    "span",
                    [
                        "class": "rate-fired", "data-rule": rule, "data-rate": Self.fraction(fired),
                        "style": "width: \(percentOfTrack(fired))%",
                    ])
                html.close("span")
                html.open(
                    "span",
                    [
                        "class": "rate-recommended", "data-rule": rule, "data-rate": Self.fraction(recommended),
                        "style": "width: \(percentOfTrack(recommended))%",
                    ])
                html.close("span")
                // The bracket over the bars, so that they never hide it.
                if let range = stats.expected[index] {
                    let lower = min(range.lowerBound / top, 1) * 100
                    let upper = min(range.upperBound / top, 1) * 100
                    html.open(
                        "span",
                        [
                            "class": "expected", "data-rule": rule,
                            "data-lower": NumberFormatting.short(range.lowerBound * 100),
                            "data-upper": NumberFormatting.short(range.upperBound * 100),
                            "style":
                                "left: \(SVGNumber.format(lower))%; width: \(SVGNumber.format(max(upper - lower, 1)))%",
                        ])
                    html.close("span")
                }
                html.raw("</span></td>")
                if isOutside, let range = stats.expected[index] {
                    html.element(
                        "td",
                        [
                            "class": "num outside",
                            "title":
                                "outside the expected \(Self.percent(range.lowerBound))–\(Self.percent(range.upperBound))",
                        ], text: Self.percent(fired) + " out")
                } else {
                    html.element("td", ["class": "num"], text: Self.percent(fired))
                }
                html.element("td", ["class": "num"], text: Self.percent(recommended))
                html.raw("</tr>\n")
            }
            html.raw("</tbody></table></section>\n")
        }
        html.raw("</div>\n")
        html.raw("\n<details class=\"numbers\"><summary>Every rule in one table</summary>\n")
        table(
            caption: "Per rule, most frequent first",
            headers: ["Rule", "Fired", "Fire rate", "Recommended", "Recommended rate"]
                + (hasExpected ? ["Expected fire rate"] : []),
            rows: order.map { index in
                [
                    stats.rules[index], Self.count(stats.fired[index]), Self.percent(stats.rate(stats.fired[index])),
                    Self.count(stats.recommended[index]), Self.percent(stats.rate(stats.recommended[index])),
                ]
                    + (hasExpected
                        ? [
                            stats.expected[index].map {
                                "\(Self.percent($0.lowerBound))–\(Self.percent($0.upperBound))"
                                    + (outside.contains(stats.rules[index]) ? " (outside)" : "")
                            } ?? "—"
                        ] : [])
            },
            into: &html)
        html.raw("</details>\n")
        if !stats.neverFired.isEmpty {
            html.raw("<p class=\"note\">")
            html.text("Never fired: ")
            for (index, rule) in stats.neverFired.enumerated() {
                if index > 0 { html.text(", ") }
                html.element("code", text: rule)
            }
            html.raw("</p>\n")
        }
        html.raw("</section>\n")
    }

    // MARK: Co-firing

    /// The rules the heat map shows: the most frequently firing, at most `heatMapRules`.
    func heatMapIndices(_ stats: PopulationStats) -> [Int] {
        let firing = stats.rules.indices.filter { stats.fired[$0] > 0 }
        let sorted = firing.sorted { stats.fired[$0] != stats.fired[$1] ? stats.fired[$0] > stats.fired[$1] : $0 < $1 }
        return Array(sorted.prefix(heatMapRules))
    }

    private func heatMap(_ stats: PopulationStats, into html: inout HTMLWriter) {
        let rules = heatMapIndices(stats)
        html.raw("<section id=\"co-firing\">\n")
        html.element("h2", text: "Which rules fire together")
        guard rules.count >= 2 else {
            html.element("p", ["class": "note"], text: "Fewer than two rules fired: there is no co-firing to show.")
            html.raw("</section>\n")
            return
        }
        func both(_ a: Int, _ b: Int) -> Int { stats.coFiring[stats.pairIndex(min(a, b), max(a, b))] }
        let largest = max(
            1,
            rules.flatMap { a in rules.filter { $0 != a }.map { both(a, $0) } }.max() ?? 1)
        html.element(
            "p", ["class": "lede"],
            text: "The \(rules.count) most frequently firing rules. A cell is the share of all profiles for which "
                + "both rules fire; the darker, the more often. Rules that nearly always fire together may be one "
                + "rule, or one may suppress the other.")
        let cell = 30.0
        let labelWidth = 330.0
        let header = 22.0
        let height = header + Double(rules.count) * cell + 4
        var svg = HTMLWriter()
        svg.open(
            "svg",
            [
                "xmlns": "http://www.w3.org/2000/svg", "class": "chart dashboard heat-map",
                "viewBox": "0 0 \(SVGNumber.format(Self.width)) \(SVGNumber.format(height))", "role": "img",
                "aria-labelledby": "co-firing-title co-firing-desc",
            ])
        svg.element("title", ["id": "co-firing-title"], text: "Co-firing of the most frequent rules")
        let pairs = stats.topPairs(3).map { "\($0.a) with \($0.b) \(Self.percent(stats.rate($0.count)))" }
        svg.element(
            "desc", ["id": "co-firing-desc"],
            text: "Heat map of \(rules.count) rules, numbered as in the row labels. Most frequent pairs: "
                + pairs.joined(separator: "; ") + ".")
        for (column, _) in rules.enumerated() {
            svg.element(
                "text",
                [
                    "class": "tick-label", "x": SVGNumber.format(labelWidth + (Double(column) + 0.5) * cell),
                    "y": "14", "text-anchor": "middle",
                ], text: String(column + 1))
        }
        for (row, a) in rules.enumerated() {
            let y = header + Double(row) * cell
            svg.element(
                "text",
                [
                    "class": "rule-label", "x": SVGNumber.format(labelWidth - 8),
                    "y": SVGNumber.format(y + cell / 2 + 4), "text-anchor": "end",
                ], text: "\(stats.rules[a])  \(row + 1)")
            for (column, b) in rules.enumerated() {
                let x = labelWidth + Double(column) * cell
                guard a != b else {
                    svg.empty(
                        "rect",
                        [
                            "class": "cell-empty", "x": SVGNumber.format(x + 1), "y": SVGNumber.format(y + 1),
                            "width": SVGNumber.format(cell - 2), "height": SVGNumber.format(cell - 2),
                        ])
                    continue
                }
                let count = both(a, b)
                let strength = Double(count) / Double(largest)
                svg.empty(
                    "rect",
                    [
                        "class": "cell", "data-rules": "\(stats.rules[a]) \(stats.rules[b])",
                        "data-count": String(count), "fill": Self.blue(strength), "x": SVGNumber.format(x + 1),
                        "y": SVGNumber.format(y + 1), "width": SVGNumber.format(cell - 2),
                        "height": SVGNumber.format(cell - 2),
                    ])
                if count > 0 {
                    svg.element(
                        "text",
                        [
                            "class": strength > 0.55 ? "cell-label cell-label-dark" : "cell-label",
                            "x": SVGNumber.format(x + cell / 2), "y": SVGNumber.format(y + cell / 2 + 3.5),
                            "text-anchor": "middle",
                        ], text: stats.rate(count) < 0.005 ? "<1%" : Self.percent(stats.rate(count), decimals: 0))
                }
            }
        }
        svg.close("svg")
        html.raw("<div class=\"scroll-x\">" + svg.output + "</div>")
        html.raw("\n<details class=\"numbers\"><summary>The numbers behind this chart</summary>\n")
        var rows: [[String]] = []
        for (i, a) in rules.enumerated() {
            for b in rules[(i + 1)...] {
                let count = both(a, b)
                rows.append([stats.rules[a], stats.rules[b], Self.count(count), Self.percent(stats.rate(count))])
            }
        }
        table(
            caption: "Profiles for which both rules fire", headers: ["Rule", "With rule", "Profiles", "Share"],
            rows: rows, into: &html)
        html.raw("</details>\n</section>\n")
    }

    // MARK: Histogram

    private func histogram(_ stats: PopulationStats, into html: inout HTMLWriter) {
        html.raw("<section id=\"balance-histogram\">\n")
        guard let histogram = stats.histogram, histogram.total > 0 else {
            html.element("h2", text: "The balance score")
            html.element(
                "p", ["class": "note"],
                text: stats.histogram == nil
                    ? "These statistics carry no balance histogram (the instrument has no balance score, or a "
                        + "merged shard did not count it)."
                    : "No profile had a balance score.")
            html.raw("</section>\n")
            return
        }
        html.element("h2", text: "The \(histogram.score) score")
        let left = 40.0
        let plot = 640.0
        let plotHeight = 180.0
        let top = 26.0
        let height = top + plotHeight + 44
        let largest = max(1, histogram.counts.max() ?? 1)
        let binWidth = plot / Double(histogram.counts.count)
        func x(_ value: Double) -> Double {
            left + (value - histogram.lower) / (histogram.upper - histogram.lower) * plot
        }
        let share = { (count: Int) in Double(count) / Double(histogram.total) }
        let below = histogram.counts.indices.filter { histogram.lower + Double($0 + 1) * histogram.binWidth <= 1e-9 }
            .map { histogram.counts[$0] }.reduce(0, +)
        let above = histogram.counts.indices.filter { histogram.lower + Double($0) * histogram.binWidth >= -1e-9 }
            .map { histogram.counts[$0] }.reduce(0, +)
        html.element(
            "p", ["class": "lede"],
            text: "The \(histogram.score) score of each profile (the combined view): "
                + "\(Self.percent(share(below))) below 0, leaning to the management side; \(Self.percent(share(above))) "
                + "at 0 or above, leaning to the leadership side"
                + (histogram.missing > 0 ? "; \(Self.count(histogram.missing)) profiles have no balance score." : "."))
        var svg = HTMLWriter()
        svg.open(
            "svg",
            [
                "xmlns": "http://www.w3.org/2000/svg", "class": "chart dashboard histogram",
                "viewBox": "0 0 \(SVGNumber.format(Self.width)) \(SVGNumber.format(height))", "role": "img",
                "aria-labelledby": "histogram-title histogram-desc",
            ])
        svg.element("title", ["id": "histogram-title"], text: "Histogram of the \(histogram.score) score")
        svg.element(
            "desc", ["id": "histogram-desc"],
            text: "\(Self.count(histogram.total)) profiles in \(histogram.counts.count) bins of "
                + "\(NumberFormatting.short(histogram.binWidth)) from \(NumberFormatting.short(histogram.lower)) to "
                + "\(NumberFormatting.short(histogram.upper)); \(Self.percent(share(below))) below 0.")
        let bottom = top + plotHeight
        // The count axis: gridlines at a round step, at most five above zero.
        let countStep = Self.niceStep(Double(largest) / 4)
        var count = 0.0
        while count <= Double(largest) + 1e-9 {
            let y = SVGNumber.format(bottom - count / Double(largest) * plotHeight)
            svg.empty(
                "line",
                [
                    "class": count == 0 ? "axis" : "tick", "x1": SVGNumber.format(left - 4),
                    "x2": SVGNumber.format(left + plot), "y1": y, "y2": y,
                ])
            svg.element(
                "text",
                [
                    "class": "tick-label count-label", "x": SVGNumber.format(left - 6), "y": y, "dy": "4",
                    "text-anchor": "end",
                ], text: Self.count(Int(count)))
            count += countStep
        }
        svg.element(
            "text", ["class": "tick-label", "x": SVGNumber.format(left - 6), "y": "12", "text-anchor": "start"],
            text: "profiles per bin of \(NumberFormatting.short(histogram.binWidth))")
        var tick = histogram.lower.rounded(.up)
        while tick <= histogram.upper + 1e-9 {
            let tx = SVGNumber.format(x(tick))
            svg.empty(
                "line",
                [
                    "class": abs(tick) < 1e-9 ? "axis" : "tick", "x1": tx, "x2": tx, "y1": SVGNumber.format(top),
                    "y2": SVGNumber.format(bottom + 4),
                ])
            svg.element(
                "text",
                ["class": "tick-label", "x": tx, "y": SVGNumber.format(bottom + 16), "text-anchor": "middle"],
                text: tick == 0 ? "0" : (tick > 0 ? "+" : "−") + NumberFormatting.short(abs(tick)))
            tick += max(1, ((histogram.upper - histogram.lower) / 8).rounded(.down))
        }
        for (bin, count) in histogram.counts.enumerated() {
            let length = Double(count) / Double(largest) * plotHeight
            svg.empty(
                "rect",
                [
                    "class": "histogram-bar", "data-bin": String(bin), "data-count": String(count),
                    "x": SVGNumber.format(left + Double(bin) * binWidth + 0.5), "y": SVGNumber.format(bottom - length),
                    "width": SVGNumber.format(binWidth - 1), "height": SVGNumber.format(length),
                ])
        }
        svg.element(
            "text", ["class": "side-title", "x": SVGNumber.format(left), "y": SVGNumber.format(bottom + 36)],
            text: "← leans to management")
        svg.element(
            "text",
            [
                "class": "side-title", "x": SVGNumber.format(left + plot), "y": SVGNumber.format(bottom + 36),
                "text-anchor": "end",
            ], text: "leans to leadership →")
        svg.close("svg")
        html.raw("<div class=\"scroll-x\">" + svg.output + "</div>")
        html.raw("\n<details class=\"numbers\"><summary>The numbers behind this chart</summary>\n")
        table(
            caption: "Profiles per bin of the \(histogram.score) score",
            headers: ["From", "Below", "Profiles", "Share"],
            rows: histogram.counts.enumerated().map { bin, count in
                let from = histogram.lower + Double(bin) * histogram.binWidth
                return [
                    NumberFormatting.short(from), NumberFormatting.short(from + histogram.binWidth), Self.count(count),
                    Self.percent(share(count)),
                ]
            },
            into: &html)
        html.raw("</details>\n</section>\n")
    }

    // MARK: Helpers

    /// A round step (1, 2 or 5 times a power of ten, at least 1) no smaller than `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 1 else { return 1 }
        var power = 1.0
        while power * 10 <= raw { power *= 10 }
        for factor in [1.0, 2, 5, 10] where factor * power >= raw - 1e-9 { return factor * power }
        return 10 * power
    }

    private func table(caption: String, headers: [String], rows: [[String]], into html: inout HTMLWriter) {
        html.raw("<table class=\"numbers\">")
        html.element("caption", text: caption)
        html.raw("<thead><tr>")
        for header in headers { html.element("th", ["scope": "col"], text: header) }
        html.raw("</tr></thead><tbody>\n")
        for row in rows {
            html.raw("<tr>")
            for (index, value) in row.enumerated() {
                if index == 0 {
                    html.element("th", ["scope": "row"], text: value)
                } else {
                    html.element("td", ["class": "num"], text: value)
                }
            }
            html.raw("</tr>\n")
        }
        html.raw("</tbody></table>")
    }

    /// A whole number with thousands separators: `12,345`.
    static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// A rate as a percentage with one decimal (`12.3%`), or none.
    static func percent(_ rate: Double, decimals: Int = 1) -> String {
        let scaled = (rate * 100 * (decimals == 0 ? 1 : 10)).rounded()
        if decimals == 0 { return "\(Int(scaled))%" }
        let whole = Int(scaled) / 10
        let tenth = Int(scaled) % 10
        return "\(whole).\(tenth)%"
    }

    /// A rate for a data attribute: up to six decimals.
    static func fraction(_ rate: Double) -> String {
        let rounded = (rate * 1_000_000).rounded() / 1_000_000
        return rounded == 0 ? "0" : String(rounded)
    }

    /// A sequential blue from near white (0) to Okabe–Ito blue #0072B2 (1).
    static func blue(_ strength: Double) -> String {
        let t = min(max(strength, 0), 1)
        let start = (247.0, 249.0, 251.0)
        let end = (0.0, 114.0, 178.0)
        func channel(_ a: Double, _ b: Double) -> String {
            let value = Int((a + (b - a) * t).rounded())
            let hex = String(value, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }
        return "#" + channel(start.0, end.0) + channel(start.1, end.1) + channel(start.2, end.2)
    }
}
