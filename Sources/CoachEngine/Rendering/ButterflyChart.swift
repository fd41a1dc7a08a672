/// The eight pairs as a butterfly chart: for each pair, the management dimension as a bar
/// growing to the left and the leadership dimension as a bar growing to the right, both from the
/// bottom of the scale at the centre, over shading for the instrument's bands, with scale ticks.
/// With a 360 (a self-rating and others' ratings) the bars show others' ratings and a diamond
/// marks the self-rating; otherwise the bars show the combined scores.
///
/// Every bar is a `rect` with `data-dimension`, `data-side` and `data-value`, every self marker a
/// `path` with `data-dimension`, `data-value` and `data-x` (its centre), so that tests and tools
/// can read the chart back.
public struct ButterflyChart: Sendable {
    /// One side of one pair, as drawn.
    public struct Bar: Sendable, Hashable {
        /// The dimension's index in the instrument.
        public var dimension: Int
        /// The length-giving value (others' rating, or the combined score); `nil` when missing.
        public var value: Double?
        /// The self-rating marked over the bar, with a 360.
        public var selfRating: Double?
        /// The band the value falls in, if any.
        public var band: String?
    }

    /// One pair: its management and leadership bars.
    public struct Row: Sendable, Hashable {
        /// The management side.
        public var management: Bar
        /// The leadership side.
        public var leadership: Bar
    }

    /// The scores drawn.
    public let sheet: ScoreSheet

    /// Width of the drawing in SVG units.
    static let width = 720.0
    /// Length of the full scale on each side.
    static let half = 310.0
    /// Space between the two axes at the centre.
    static let gap = 14.0
    /// Height of one pair's row (labels and bar), and of the header above the rows.
    static let rowHeight = 46.0
    static let headerHeight = 40.0
    static let barHeight = 16.0

    /// A chart of `sheet`.
    public init(sheet: ScoreSheet) {
        self.sheet = sheet
    }

    /// Whether the bars show others' ratings with self-rating markers (a 360), rather than
    /// the combined scores.
    public var comparesSelfAndOthers: Bool { sheet.selfRating != nil && sheet.others != nil }

    /// The rows, in the instrument's pair order.
    public var rows: [Row] {
        let instrument = sheet.instrument
        let values = comparesSelfAndOthers ? (sheet.others ?? sheet.combined) : sheet.combined
        func bar(_ dimension: Int) -> Bar {
            let value = values[dimension]
            return Bar(
                dimension: dimension,
                value: value,
                selfRating: comparesSelfAndOthers ? sheet.selfRating?[dimension] ?? nil : nil,
                band: value.flatMap { value in instrument.bands.first { $0.contains(value) }?.name }
            )
        }
        return instrument.pairs.map { Row(management: bar($0.management), leadership: bar($0.leadership)) }
    }

    /// The centre line's x on the management (left) side.
    static var leftAxis: Double { width / 2 - gap / 2 }
    /// The centre line's x on the leadership (right) side.
    static var rightAxis: Double { width / 2 + gap / 2 }

    /// The length of a bar for `value`: 0 at the bottom of the scale, `half` at the top.
    func length(_ value: Double) -> Double {
        let instrument = sheet.instrument
        let fraction = (value - instrument.scaleMin) / (instrument.scaleMax - instrument.scaleMin)
        return min(max(fraction, 0), 1) * Self.half
    }

    /// The x of `value` on a side.
    func x(_ value: Double, side: Instrument.Side) -> Double {
        side == .management ? Self.leftAxis - length(value) : Self.rightAxis + length(value)
    }

    /// The chart as an SVG element; `id` prefixes its title and description ids.
    public func svg(id: String) -> String {
        let instrument = sheet.instrument
        let rows = self.rows
        let top = Self.headerHeight
        let bottom = top + Double(rows.count) * Self.rowHeight
        let height = bottom + 26
        var svg = HTMLWriter()
        svg.open(
            "svg",
            [
                "xmlns": "http://www.w3.org/2000/svg", "class": "chart butterfly",
                "viewBox": "0 0 \(SVGNumber.format(Self.width)) \(SVGNumber.format(height))", "role": "img",
                "aria-labelledby": "\(id)-title \(id)-desc",
            ])
        svg.element("title", ["id": "\(id)-title"], text: title)
        svg.element("desc", ["id": "\(id)-desc"], text: description)
        svg.newline()

        // Band shading and band names, mirrored on both sides.
        for (index, band) in instrument.bands.enumerated() {
            let lower = max(band.lower ?? instrument.scaleMin, instrument.scaleMin)
            let upper = min(band.upper ?? instrument.scaleMax, instrument.scaleMax)
            guard upper > lower else { continue }
            for side in Instrument.Side.allCases {
                let a = x(lower, side: side)
                let b = x(upper, side: side)
                svg.empty(
                    "rect",
                    [
                        "class": "band band-\(index % 3)", "data-band": band.name,
                        "x": SVGNumber.format(min(a, b)), "y": SVGNumber.format(top - 6),
                        "width": SVGNumber.format(abs(b - a)), "height": SVGNumber.format(bottom - top + 6),
                    ])
                svg.element(
                    "text",
                    [
                        "class": "band-label", "x": SVGNumber.format((a + b) / 2), "y": SVGNumber.format(top - 11),
                        "text-anchor": "middle",
                    ], text: band.name)
            }
        }
        // Side titles.
        svg.element(
            "text", ["class": "side-title", "x": SVGNumber.format(Self.leftAxis), "y": "13", "text-anchor": "end"],
            text: "← " + (instrument.sideTitles[.management] ?? "Management"))
        svg.element(
            "text", ["class": "side-title", "x": SVGNumber.format(Self.rightAxis), "y": "13", "text-anchor": "start"],
            text: (instrument.sideTitles[.leadership] ?? "Leadership") + " →")
        svg.newline()

        // Ticks: whole numbers of the scale (or a coarser step on a wide scale).
        for tick in ticks {
            for side in Instrument.Side.allCases {
                let tx = SVGNumber.format(x(tick, side: side))
                svg.empty(
                    "line",
                    [
                        "class": "tick", "x1": tx, "x2": tx, "y1": SVGNumber.format(top - 6),
                        "y2": SVGNumber.format(bottom + 3),
                    ])
                // The bottom of the scale is the centre: one label there, not two.
                let atCentre = abs(tick - instrument.scaleMin) < 1e-9
                if atCentre, side == .leadership { continue }
                svg.element(
                    "text",
                    [
                        "class": "tick-label", "x": atCentre ? SVGNumber.format(Self.width / 2) : tx,
                        "y": SVGNumber.format(bottom + 16), "text-anchor": "middle",
                    ], text: NumberFormatting.short(tick))
            }
        }
        svg.newline()

        for (index, row) in rows.enumerated() {
            let rowTop = top + Double(index) * Self.rowHeight
            draw(row.management, side: .management, rowTop: rowTop, into: &svg)
            draw(row.leadership, side: .leadership, rowTop: rowTop, into: &svg)
            svg.newline()
        }
        svg.empty(
            "line",
            [
                "class": "axis", "x1": SVGNumber.format(Self.leftAxis), "x2": SVGNumber.format(Self.leftAxis),
                "y1": SVGNumber.format(top - 6), "y2": SVGNumber.format(bottom + 3),
            ])
        svg.empty(
            "line",
            [
                "class": "axis", "x1": SVGNumber.format(Self.rightAxis), "x2": SVGNumber.format(Self.rightAxis),
                "y1": SVGNumber.format(top - 6), "y2": SVGNumber.format(bottom + 3),
            ])
        svg.close("svg")
        return svg.output
    }

    private func draw(_ bar: Bar, side: Instrument.Side, rowTop: Double, into svg: inout HTMLWriter) {
        let dimension = sheet.instrument.dimensions[bar.dimension]
        let left = side == .management
        let axis = left ? Self.leftAxis : Self.rightAxis
        let anchor = left ? "end" : "start"
        let labelX = left ? axis - 2 : axis + 2
        svg.element(
            "text",
            [
                "class": "dimension-label", "x": SVGNumber.format(labelX), "y": SVGNumber.format(rowTop + 12),
                "text-anchor": anchor,
            ], text: dimension.title)
        let barY = rowTop + 18
        guard let value = bar.value else {
            svg.element(
                "text",
                [
                    "class": "missing", "x": SVGNumber.format(left ? axis - 6 : axis + 6),
                    "y": SVGNumber.format(barY + 12), "text-anchor": anchor,
                ], text: "no score")
            return
        }
        let length = length(value)
        svg.empty(
            "rect",
            [
                "class": "bar bar-\(side.rawValue)", "data-dimension": dimension.id, "data-side": side.rawValue,
                "data-value": NumberFormatting.short(value), "x": SVGNumber.format(left ? axis - length : axis),
                "y": SVGNumber.format(barY), "width": SVGNumber.format(length),
                "height": SVGNumber.format(Self.barHeight),
            ])
        // The value sits inside the bar at the centre end, clear of the self marker at the far
        // end; a bar too short for it has the value just outside.
        let inside = length >= 34
        let valueX = inside ? (left ? axis - 5 : axis + 5) : (left ? axis - length - 4 : axis + length + 4)
        svg.element(
            "text",
            [
                "class": inside ? "value value-inside" : "value", "x": SVGNumber.format(valueX),
                "y": SVGNumber.format(barY + 12), "text-anchor": anchor,
            ], text: NumberFormatting.score(value))
        if let own = bar.selfRating {
            let cx = x(own, side: side)
            let cy = barY + Self.barHeight / 2
            let r = 6.5
            svg.empty(
                "path",
                [
                    "class": "self-marker", "data-dimension": dimension.id, "data-value": NumberFormatting.short(own),
                    "data-x": SVGNumber.format(cx),
                    "d": "M\(SVGNumber.format(cx)) \(SVGNumber.format(cy - r))l\(SVGNumber.format(r)) "
                        + "\(SVGNumber.format(r))l-\(SVGNumber.format(r)) \(SVGNumber.format(r))"
                        + "l-\(SVGNumber.format(r)) -\(SVGNumber.format(r))z",
                ])
        }
    }

    /// The scale's tick values.
    var ticks: [Double] {
        let instrument = sheet.instrument
        let span = instrument.scaleMax - instrument.scaleMin
        let step = span <= 10 ? 1.0 : (span / 5).rounded(.up)
        var ticks: [Double] = []
        var tick = instrument.scaleMin.rounded(.up)
        while tick <= instrument.scaleMax + 1e-9 {
            ticks.append(tick)
            tick += step
        }
        return ticks
    }

    /// What the bars show, in words.
    public var barsShow: String {
        comparesSelfAndOthers
            ? "others' ratings (\(sheet.othersCount) rater\(sheet.othersCount == 1 ? "" : "s"))"
            : "the combined scores"
    }

    /// The chart's title.
    public var title: String {
        "The \(sheet.instrument.pairs.count) pairs: "
            + "\(sheet.instrument.sideTitles[.management] ?? "management") and "
            + "\(sheet.instrument.sideTitles[.leadership] ?? "leadership")".lowercased()
    }

    /// A one-paragraph description of the chart for screen readers.
    public var description: String {
        let instrument = sheet.instrument
        var parts: [String] = [
            "Butterfly chart. Each row is a pair: the management dimension as a bar to the left, the "
                + "leadership dimension to the right, on the \(NumberFormatting.short(instrument.scaleMin))–"
                + "\(NumberFormatting.short(instrument.scaleMax)) scale; bars show \(barsShow)"
                + (comparesSelfAndOthers ? " and a diamond marks the self-rating." : ".")
        ]
        for row in rows {
            parts.append("\(phrase(row.management)) versus \(phrase(row.leadership)).")
        }
        return parts.joined(separator: " ")
    }

    private func phrase(_ bar: Bar) -> String {
        let title = sheet.instrument.dimensions[bar.dimension].title
        guard let value = bar.value else { return "\(title) no score" }
        var text = "\(title) \(NumberFormatting.score(value))"
        if let band = bar.band { text += " (\(band))" }
        if let own = bar.selfRating { text += ", self \(NumberFormatting.score(own))" }
        return text
    }

    /// The chart's numbers as an HTML table (its text alternative).
    public func table(caption: String) -> String {
        let instrument = sheet.instrument
        var html = HTMLWriter()
        html.open("table", ["class": "numbers"])
        html.element("caption", text: caption)
        html.raw("<thead><tr>")
        let headers =
            ["Pair side", "Dimension", comparesSelfAndOthers ? "Others" : "Score", "Band"]
            + (comparesSelfAndOthers ? ["Self", "Self − others"] : [])
        for header in headers { html.element("th", ["scope": "col"], text: header) }
        html.raw("</tr></thead><tbody>")
        for row in rows {
            for bar in [row.management, row.leadership] {
                let dimension = instrument.dimensions[bar.dimension]
                html.raw("<tr>")
                html.element("td", text: instrument.sideTitles[dimension.side] ?? dimension.side.rawValue)
                html.element("th", ["scope": "row"], text: dimension.title)
                html.element("td", ["class": "num"], text: bar.value.map(NumberFormatting.score) ?? "n/a")
                html.element("td", text: bar.band ?? "—")
                if comparesSelfAndOthers {
                    html.element("td", ["class": "num"], text: bar.selfRating.map(NumberFormatting.score) ?? "n/a")
                    html.element("td", ["class": "num"], text: sheet.gap(bar.dimension).map(GapChart.signed) ?? "n/a")
                }
                html.raw("</tr>")
                html.newline()
            }
        }
        html.raw("</tbody></table>")
        return html.output
    }
}
