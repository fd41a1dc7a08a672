/// Self minus others for every dimension, as bars growing from a zero line: to the right where
/// the self-rating is higher (a possible blind spot), to the left where others rate higher (a
/// hidden strength). Gaps of at least `threshold` are drawn in two distinct colour-blind-safe
/// colours (Okabe–Ito vermillion and blue) and labelled in words, so colour is never the only
/// cue; smaller gaps are grey.
///
/// Every bar is a `rect` with `data-dimension`, `data-gap` and `data-kind` (`blind-spot`,
/// `hidden-strength` or `small`).
public struct GapChart: Sendable {
    /// How a gap reads.
    public enum Kind: String, Sendable, Hashable {
        /// Self at least `threshold` above others.
        case blindSpot = "blind-spot"
        /// Others at least `threshold` above self.
        case hiddenStrength = "hidden-strength"
        /// Within `threshold` either way.
        case small

        /// The words shown beside the bar.
        public var label: String {
            switch self {
            case .blindSpot: "blind spot"
            case .hiddenStrength: "hidden strength"
            case .small: ""
            }
        }
    }

    /// One dimension's gap.
    public struct Row: Sendable, Hashable {
        /// The dimension's index in the instrument.
        public var dimension: Int
        /// Self minus others; `nil` when either is missing.
        public var gap: Double?
        /// How the gap reads.
        public var kind: Kind
    }

    /// The scores drawn.
    public let sheet: ScoreSheet
    /// The gap that counts as significant: a quarter of the scale (1 point on a 1–5 scale, as
    /// published 360 practice has it).
    public let threshold: Double

    static let width = 720.0
    static let labelWidth = 272.0
    static let plotWidth = 264.0
    static let rowHeight = 24.0
    static let headerHeight = 30.0

    /// A chart of `sheet`.
    public init(sheet: ScoreSheet) {
        self.sheet = sheet
        self.threshold = (sheet.instrument.scaleMax - sheet.instrument.scaleMin) / 4
    }

    /// Whether there is anything to draw: a self-rating and others' ratings.
    public var isAvailable: Bool { sheet.selfRating != nil && sheet.others != nil }

    /// The rows, one per dimension in the instrument's order.
    public var rows: [Row] {
        sheet.instrument.dimensions.indices.map { dimension in
            let gap = sheet.gap(dimension)
            return Row(dimension: dimension, gap: gap, kind: gap.map(kind) ?? .small)
        }
    }

    /// How a gap reads.
    public func kind(_ gap: Double) -> Kind {
        if Tolerance.atLeast(gap, threshold, inclusive: true) { return .blindSpot }
        if Tolerance.atMost(gap, -threshold, inclusive: true) { return .hiddenStrength }
        return .small
    }

    /// The largest gap the axis shows either way: twice the threshold, or more when a gap is
    /// larger, in whole steps of the threshold.
    public var extent: Double {
        let largest = rows.compactMap(\.gap).map(abs).max() ?? 0
        let steps = max(2, (largest / threshold - 1e-9).rounded(.up))
        return steps * threshold
    }

    /// The distance between ticks: half the threshold on a narrow axis, the threshold on a wider
    /// one, and whole multiples of it beyond, so that an axis carries at most four ticks a side
    /// and its labels never collide.
    var tickStep: Double {
        let steps = extent / threshold
        if steps <= 2 + 1e-9 { return threshold / 2 }
        return threshold * max(1, (steps / 4 - 1e-9).rounded(.up))
    }

    /// The x of the zero line.
    static var zero: Double { labelWidth + 8 + plotWidth / 2 }

    /// The x of a gap.
    func x(_ gap: Double) -> Double {
        Self.zero + min(max(gap / extent, -1), 1) * Self.plotWidth / 2
    }

    /// The chart as an SVG element; `id` prefixes its title and description ids.
    public func svg(id: String) -> String {
        let rows = self.rows
        let top = Self.headerHeight
        let bottom = top + Double(rows.count) * Self.rowHeight
        let height = bottom + 24
        var svg = HTMLWriter()
        svg.open(
            "svg",
            [
                "xmlns": "http://www.w3.org/2000/svg", "class": "chart gaps",
                "viewBox": "0 0 \(SVGNumber.format(Self.width)) \(SVGNumber.format(height))", "role": "img",
                "aria-labelledby": "\(id)-title \(id)-desc",
            ])
        svg.element("title", ["id": "\(id)-title"], text: title)
        svg.element("desc", ["id": "\(id)-desc"], text: description)
        svg.newline()
        let right = x(extent)
        // The side titles meet at the zero line, so that they never run into each other.
        svg.element(
            "text", ["class": "side-title", "x": SVGNumber.format(Self.zero - 8), "y": "13", "text-anchor": "end"],
            text: "← others rate higher")
        svg.element(
            "text", ["class": "side-title", "x": SVGNumber.format(Self.zero + 8), "y": "13", "text-anchor": "start"],
            text: "you rate higher →")
        // Significance: shaded beyond ± threshold.
        zones(x, y: top - 4, height: bottom - top + 4, into: &svg)
        let step = tickStep
        var tick = -extent
        while tick <= extent + 1e-9 {
            let tx = SVGNumber.format(x(tick))
            svg.empty(
                "line",
                [
                    "class": abs(tick) < 1e-9 ? "axis" : "tick", "x1": tx, "x2": tx,
                    "y1": SVGNumber.format(top - 4), "y2": SVGNumber.format(bottom + 3),
                ])
            svg.element(
                "text",
                ["class": "tick-label", "x": tx, "y": SVGNumber.format(bottom + 16), "text-anchor": "middle"],
                text: abs(tick) < 1e-9 ? "0" : (tick > 0 ? "+" : "−") + NumberFormatting.short(abs(tick)))
            tick += step
        }
        svg.newline()
        for (index, row) in rows.enumerated() {
            let rowTop = top + Double(index) * Self.rowHeight
            let dimension = sheet.instrument.dimensions[row.dimension]
            if index > 0, dimension.pair != sheet.instrument.dimensions[rows[index - 1].dimension].pair {
                svg.empty(
                    "line",
                    [
                        "class": "pair-rule", "x1": "0", "x2": SVGNumber.format(Self.width),
                        "y1": SVGNumber.format(rowTop), "y2": SVGNumber.format(rowTop),
                    ])
            }
            let baseline = SVGNumber.format(rowTop + 16)
            svg.element(
                "text",
                [
                    "class": "dimension-label", "x": SVGNumber.format(Self.labelWidth), "y": baseline,
                    "text-anchor": "end",
                ], text: dimension.title)
            guard let gap = row.gap else {
                svg.element(
                    "text",
                    [
                        "class": "missing", "x": SVGNumber.format(Self.zero + 6), "y": baseline,
                        "text-anchor": "start",
                    ], text: "no gap: a rating is missing")
                continue
            }
            let end = x(gap)
            svg.empty(
                "rect",
                [
                    "class": "gap gap-\(row.kind.rawValue)", "data-dimension": dimension.id,
                    "data-gap": NumberFormatting.short(gap), "data-kind": row.kind.rawValue,
                    "x": SVGNumber.format(min(end, Self.zero)), "y": SVGNumber.format(rowTop + 5),
                    "width": SVGNumber.format(abs(end - Self.zero)), "height": "14",
                ])
            let label = Self.signed(gap) + (row.kind == .small ? "" : "  " + row.kind.label)
            svg.element(
                "text",
                [
                    "class": "value value-\(row.kind.rawValue)", "x": SVGNumber.format(right + 8), "y": baseline,
                    "text-anchor": "start",
                ], text: label)
        }
        svg.close("svg")
        return svg.output
    }

    /// The shading beyond ± `threshold` on both sides of the zero line, for an axis `x`.
    private func zones(_ x: (Double) -> Double, y: Double, height: Double, into svg: inout HTMLWriter) {
        for sign in [-1.0, 1.0] {
            let inner = x(sign * threshold)
            let outer = x(sign * extent)
            svg.empty(
                "rect",
                [
                    "class": sign > 0 ? "zone zone-blind-spot" : "zone zone-hidden-strength",
                    "x": SVGNumber.format(min(inner, outer)), "y": SVGNumber.format(y),
                    "width": SVGNumber.format(abs(outer - inner)), "height": SVGNumber.format(height),
                ])
        }
    }

    /// The chart's title.
    public var title: String { "Self-rating minus others' ratings, by dimension" }

    /// The same chart for a narrow screen: an HTML list, one dimension per item, with its name,
    /// gap and reading as HTML text (which keeps its size at any width) beside a small drawing of
    /// the bar that carries no text of its own.
    public func compact() -> String {
        let width = 340.0
        let zero = width / 2
        func x(_ gap: Double) -> Double { zero + min(max(gap / extent, -1), 1) * (zero - 2) }
        var html = HTMLWriter()
        html.raw("<ol class=\"gaps-compact\">\n")
        for row in rows {
            html.raw("<li>")
            html.element("span", ["class": "name"], text: sheet.instrument.dimensions[row.dimension].title)
            guard let gap = row.gap else {
                html.element("span", ["class": "reading missing"], text: "no gap: a rating is missing")
                html.raw("</li>\n")
                continue
            }
            html.element(
                "span", ["class": "reading value-\(row.kind.rawValue)"],
                text: Self.signed(gap) + (row.kind == .small ? "" : " " + row.kind.label))
            var svg = HTMLWriter()
            svg.open(
                "svg",
                [
                    "xmlns": "http://www.w3.org/2000/svg", "class": "mini", "aria-hidden": "true",
                    "viewBox": "0 0 \(SVGNumber.format(width)) 14",
                ])
            zones(x, y: 0, height: 14, into: &svg)
            let end = x(gap)
            svg.empty(
                "rect",
                [
                    "class": "gap-\(row.kind.rawValue)", "x": SVGNumber.format(min(end, zero)), "y": "2",
                    "width": SVGNumber.format(abs(end - zero)), "height": "10",
                ])
            svg.empty(
                "line",
                ["class": "axis", "x1": SVGNumber.format(zero), "x2": SVGNumber.format(zero), "y1": "0", "y2": "14"])
            svg.close("svg")
            html.raw(svg.output)
            html.raw("</li>\n")
        }
        html.raw("</ol>")
        return html.output
    }

    /// A description of the chart for screen readers: the significant gaps in words.
    public var description: String {
        let titles = sheet.instrument.dimensions.map(\.title)
        let rows = self.rows
        let blind = rows.filter { $0.kind == .blindSpot }.map { "\(titles[$0.dimension]) \(Self.signed($0.gap ?? 0))" }
        let hidden = rows.filter { $0.kind == .hiddenStrength }.map {
            "\(titles[$0.dimension]) \(Self.signed($0.gap ?? 0))"
        }
        let size = NumberFormatting.short(threshold)
        return "Bars grow right where you rate yourself higher than others do, left where others rate you "
            + "higher; a gap of \(size) or more is significant. "
            + (blind.isEmpty ? "No blind spots. " : "Possible blind spots: \(blind.joined(separator: ", ")). ")
            + (hidden.isEmpty ? "No hidden strengths." : "Hidden strengths: \(hidden.joined(separator: ", ")).")
    }

    /// The chart's numbers as an HTML table (its text alternative).
    public func table(caption: String) -> String {
        let instrument = sheet.instrument
        var html = HTMLWriter()
        html.open("table", ["class": "numbers"])
        html.element("caption", text: caption)
        html.raw("<thead><tr>")
        for header in ["Dimension", "Self", "Others", "Self − others", "Reading"] {
            html.element("th", ["scope": "col"], text: header)
        }
        html.raw("</tr></thead><tbody>")
        for row in rows {
            html.raw("<tr>")
            html.element("th", ["scope": "row"], text: instrument.dimensions[row.dimension].title)
            let own = sheet.selfRating?[row.dimension] ?? nil
            let others = sheet.others?[row.dimension] ?? nil
            html.element("td", ["class": "num"], text: own.map(NumberFormatting.score) ?? "n/a")
            html.element("td", ["class": "num"], text: others.map(NumberFormatting.score) ?? "n/a")
            html.element("td", ["class": "num"], text: row.gap.map(Self.signed) ?? "n/a")
            html.element("td", text: row.gap == nil ? "missing" : row.kind == .small ? "—" : row.kind.label)
            html.raw("</tr>")
            html.newline()
        }
        html.raw("</tbody></table>")
        return html.output
    }

    /// A gap with its sign: `+1.75`, `−0.50` (a true minus sign), `0.00`.
    static func signed(_ value: Double) -> String {
        NumberFormatting.signed(value)
    }
}
