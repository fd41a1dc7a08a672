/// The pairs as a butterfly chart: for each pair, the management dimension as a bar growing to
/// the left and the leadership dimension as a bar growing to the right, both from the bottom of
/// the scale at the centre, over shading for the instrument's bands, with scale ticks. The bars
/// show the sheet's headline view: others' ratings for a 360, the combined scores otherwise.
/// With a 360, a diamond on the bar marks the self-rating, and a lane under the bar shows each
/// other rater group's rating as a marker of its own shape and colour on a line that spans the
/// range between the groups. Each score's value is printed beside its dimension's name near
/// the centre, never on the bar, so no marker can hide it.
///
/// Every bar is a `rect` with `data-dimension`, `data-side` and `data-value`, every marker a
/// `path` with `data-dimension`, `data-group`, `data-value` and `data-x` (its centre), so that
/// tests and tools can read the chart back. `svg(id:)` is the chart for a page at least 600 px
/// wide and for print; `compact()` is the same chart for a phone, one pair per row with HTML
/// labels that never shrink.
public struct ButterflyChart: Sendable {
    /// A rater group's rating of one dimension, as marked on the chart.
    public struct GroupValue: Sendable, Hashable {
        /// The group's name (`manager`, `peers`, …).
        public var group: String
        /// Its rating.
        public var value: Double
    }

    /// One side of one pair, as drawn.
    public struct Bar: Sendable, Hashable {
        /// The dimension's index in the instrument.
        public var dimension: Int
        /// The length-giving value (the headline view); `nil` when missing.
        public var value: Double?
        /// The self-rating marked over the bar, with a 360.
        public var selfRating: Double?
        /// The band the value falls in, if any.
        public var band: String?
        /// Each rater group other than self that rated the dimension, with a 360.
        public var groups: [GroupValue]
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
    /// Height of the header above the rows, of a bar, and of a row with and without the lane of
    /// group markers.
    static let headerHeight = 40.0
    static let barHeight = 16.0
    static let rowHeightWithLane = 56.0
    static let rowHeightPlain = 42.0
    /// Where a row's bar starts below the row's top.
    static let barOffset = 18.0

    /// A chart of `sheet`.
    public init(sheet: ScoreSheet) {
        self.sheet = sheet
    }

    /// Whether the bars show others' ratings with self-rating markers (a 360), rather than
    /// the combined scores.
    public var comparesSelfAndOthers: Bool { sheet.leadsWithOthers }

    /// Whether rows carry a lane of group markers: a 360 with at least one group besides self.
    var hasLane: Bool { comparesSelfAndOthers && !sheet.otherGroups.isEmpty }

    /// Height of one pair's row.
    var rowHeight: Double { hasLane ? Self.rowHeightWithLane : Self.rowHeightPlain }

    /// Whether the headline view has no score at all to draw.
    public var isEmpty: Bool { !sheet.headline.contains { $0 != nil } }

    /// The rows, in the instrument's pair order.
    public var rows: [Row] {
        let instrument = sheet.instrument
        let values = sheet.headline
        func bar(_ dimension: Int) -> Bar {
            let value = values[dimension]
            return Bar(
                dimension: dimension,
                value: value,
                selfRating: comparesSelfAndOthers ? sheet.selfRating?[dimension] ?? nil : nil,
                band: value.flatMap { value in instrument.bands.first { $0.contains(value) }?.name },
                groups: comparesSelfAndOthers
                    ? sheet.otherGroups.compactMap { group in
                        group.scores[dimension].map { GroupValue(group: group.name, value: $0) }
                    } : []
            )
        }
        return instrument.pairs.map { Row(management: bar($0.management), leadership: bar($0.leadership)) }
    }

    /// The centre line's x on the management (left) side.
    static var leftAxis: Double { width / 2 - gap / 2 }
    /// The centre line's x on the leadership (right) side.
    static var rightAxis: Double { width / 2 + gap / 2 }

    /// The length of a bar for `value`: 0 at the bottom of the scale, `half` at the top.
    func length(_ value: Double, half: Double = Self.half) -> Double {
        let instrument = sheet.instrument
        let fraction = (value - instrument.scaleMin) / (instrument.scaleMax - instrument.scaleMin)
        return min(max(fraction, 0), 1) * half
    }

    /// The x of `value` on a side.
    func x(_ value: Double, side: Instrument.Side) -> Double {
        side == .management ? Self.leftAxis - length(value) : Self.rightAxis + length(value)
    }

    /// The marker of each rater group, by name, in the instrument's order.
    var markers: [(group: String, marker: RaterMarker)] {
        sheet.instrument.raterGroups.enumerated().map {
            ($0.element.name, RaterMarker(group: $0.element.name, index: $0.offset))
        }
    }

    func marker(_ group: String) -> RaterMarker {
        markers.first { $0.group == group }?.marker ?? RaterMarker(group: group, index: 0)
    }

    /// The chart as an SVG element; `id` prefixes its title and description ids.
    public func svg(id: String) -> String {
        let instrument = sheet.instrument
        let rows = self.rows
        let top = Self.headerHeight
        let bottom = top + Double(rows.count) * rowHeight
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
        bands({ x($0, side: $1) }, y: top - 6, height: bottom - top + 6, labelY: top - 11, into: &svg)
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
                        "y": SVGNumber.format(bottom + 17), "text-anchor": "middle",
                    ], text: NumberFormatting.short(tick))
            }
        }
        svg.newline()

        for (index, row) in rows.enumerated() {
            let rowTop = top + Double(index) * rowHeight
            draw(row.management, side: .management, rowTop: rowTop, into: &svg)
            draw(row.leadership, side: .leadership, rowTop: rowTop, into: &svg)
            svg.newline()
        }
        for axis in [Self.leftAxis, Self.rightAxis] {
            svg.empty(
                "line",
                [
                    "class": "axis", "x1": SVGNumber.format(axis), "x2": SVGNumber.format(axis),
                    "y1": SVGNumber.format(top - 6), "y2": SVGNumber.format(bottom + 3),
                ])
        }
        svg.close("svg")
        return svg.output
    }

    private func draw(_ bar: Bar, side: Instrument.Side, rowTop: Double, into svg: inout HTMLWriter) {
        let dimension = sheet.instrument.dimensions[bar.dimension]
        let left = side == .management
        let axis = left ? Self.leftAxis : Self.rightAxis
        let anchor = left ? "end" : "start"
        // The value sits next to the centre, in a column of its own; the name beyond it.
        let valueX = left ? axis - 3 : axis + 3
        let labelX = left ? axis - 40 : axis + 40
        svg.element(
            "text",
            [
                "class": "dimension-label", "x": SVGNumber.format(labelX), "y": SVGNumber.format(rowTop + 12),
                "text-anchor": anchor,
            ], text: dimension.title)
        svg.element(
            "text",
            [
                "class": bar.value == nil ? "value missing" : "value", "x": SVGNumber.format(valueX),
                "y": SVGNumber.format(rowTop + 12), "text-anchor": anchor,
            ], text: bar.value.map(NumberFormatting.score) ?? "—")
        let barY = rowTop + Self.barOffset
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
        if let own = bar.selfRating {
            let cx = x(own, side: side)
            svg.empty(
                "path",
                [
                    "class": "self-marker " + marker("self").cssClass, "data-dimension": dimension.id,
                    "data-group": "self", "data-value": NumberFormatting.short(own), "data-x": SVGNumber.format(cx),
                    "d": marker("self").path(x: cx, y: barY + Self.barHeight / 2, r: 6.5),
                ])
        }
        guard hasLane, !bar.groups.isEmpty else { return }
        let laneY = barY + Self.barHeight + 9
        let values = bar.groups.map(\.value)
        if let low = values.min(), let high = values.max(), high > low {
            let a = x(low, side: side)
            let b = x(high, side: side)
            svg.empty(
                "path",
                [
                    "class": "spread", "data-dimension": dimension.id,
                    "data-range": "\(NumberFormatting.short(low)) \(NumberFormatting.short(high))",
                    "d": "M\(SVGNumber.format(a)) \(SVGNumber.format(laneY - 4))v8M\(SVGNumber.format(a)) "
                        + "\(SVGNumber.format(laneY))H\(SVGNumber.format(b))M\(SVGNumber.format(b)) "
                        + "\(SVGNumber.format(laneY - 4))v8",
                ])
        }
        let xs = bar.groups.map { x($0.value, side: side) }
        for (group, (cx, row)) in zip(bar.groups, zip(xs, Self.dodge(xs, apart: 11))) {
            let marker = marker(group.group)
            svg.empty(
                "path",
                [
                    "class": marker.cssClass, "data-dimension": dimension.id, "data-group": group.group,
                    "data-value": NumberFormatting.short(group.value), "data-x": SVGNumber.format(cx),
                    "d": marker.path(x: cx, y: laneY + Double(row) * 8, r: row == 0 ? 6 : 4.5),
                ])
        }
    }

    /// The instrument's bands as shading on both sides for an axis `x`, with their names at
    /// `labelY` (and `data-band` for tools) when given.
    private func bands(
        _ x: (Double, Instrument.Side) -> Double, y: Double, height: Double, labelY: Double?,
        into svg: inout HTMLWriter
    ) {
        let instrument = sheet.instrument
        for (index, band) in instrument.bands.enumerated() {
            let lower = max(band.lower ?? instrument.scaleMin, instrument.scaleMin)
            let upper = min(band.upper ?? instrument.scaleMax, instrument.scaleMax)
            guard upper > lower else { continue }
            for side in Instrument.Side.allCases {
                let a = x(lower, side)
                let b = x(upper, side)
                let (left, top) = (SVGNumber.format(min(a, b)), SVGNumber.format(y))
                let (width, tall) = (SVGNumber.format(abs(b - a)), SVGNumber.format(height))
                guard let labelY else {
                    svg.empty(
                        "rect",
                        ["class": "band band-\(index % 3)", "x": left, "y": top, "width": width, "height": tall])
                    continue
                }
                svg.empty(
                    "rect",
                    [
                        "class": "band band-\(index % 3)", "data-band": band.name, "x": left, "y": top, "width": width,
                        "height": tall,
                    ])
                svg.element(
                    "text",
                    [
                        "class": "band-label", "x": SVGNumber.format((a + b) / 2), "y": SVGNumber.format(labelY),
                        "text-anchor": "middle",
                    ], text: band.name)
            }
        }
    }

    /// The lane offset of each marker at `xs`, in marker rows (0, then 1 below and -1 above):
    /// a marker closer than `apart` to one already placed moves to the next free row, so that
    /// groups that agree stay visible one above the other rather than one hiding the other.
    static func dodge(_ xs: [Double], apart: Double) -> [Int] {
        var placed: [Int: [Double]] = [:]
        return xs.map { x in
            let row = [0, 1, -1].first { row in !(placed[row] ?? []).contains { abs($0 - x) < apart } } ?? 0
            placed[row, default: []].append(x)
            return row
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
                + (comparesSelfAndOthers
                    ? ", a diamond marks the self-rating"
                        + (hasLane ? " and markers under each bar the rating of each other rater group." : ".")
                    : ".")
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
        for group in bar.groups { text += ", \(group.group) \(NumberFormatting.score(group.value))" }
        return text
    }

    /// The same chart for a narrow screen: an HTML list, one pair per item, with the names and
    /// values as HTML text (which keeps its size at any width) above a small drawing of the two
    /// bars and their markers that carries no text of its own.
    public func compact() -> String {
        let instrument = sheet.instrument
        let width = 340.0
        let centre = width / 2
        let half = centre - 6
        let laneY = Self.barHeight + 10
        let height = hasLane ? laneY + 14 : Self.barHeight + 2
        func x(_ value: Double, _ side: Instrument.Side) -> Double {
            side == .management ? centre - 2 - length(value, half: half) : centre + 2 + length(value, half: half)
        }
        var html = HTMLWriter()
        html.raw("<ol class=\"butterfly-compact\">\n")
        for row in rows {
            html.raw("<li>")
            for (bar, side) in [(row.management, Instrument.Side.management), (row.leadership, .leadership)] {
                html.open("span", ["class": "pair-label pair-label-\(side.rawValue)"])
                html.element("span", ["class": "name"], text: instrument.dimensions[bar.dimension].title)
                html.text(" ")
                html.element("strong", text: bar.value.map(NumberFormatting.score) ?? "no score")
                html.close("span")
            }
            var svg = HTMLWriter()
            svg.open(
                "svg",
                [
                    "xmlns": "http://www.w3.org/2000/svg", "class": "mini", "aria-hidden": "true",
                    "viewBox": "0 0 \(SVGNumber.format(width)) \(SVGNumber.format(height))",
                ])
            bands(x, y: 0, height: Self.barHeight + 2, labelY: nil, into: &svg)
            for (bar, side) in [(row.management, Instrument.Side.management), (row.leadership, .leadership)] {
                guard let value = bar.value else { continue }
                let end = x(value, side)
                let start = side == .management ? centre - 2 : centre + 2
                svg.empty(
                    "rect",
                    [
                        "class": "bar", "x": SVGNumber.format(min(start, end)), "y": "1",
                        "width": SVGNumber.format(abs(end - start)), "height": SVGNumber.format(Self.barHeight),
                    ])
                if let own = bar.selfRating {
                    svg.empty(
                        "path",
                        [
                            "class": marker("self").cssClass,
                            "d": marker("self").path(x: x(own, side), y: 1 + Self.barHeight / 2, r: 6.5),
                        ])
                }
                guard hasLane else { continue }
                let values = bar.groups.map(\.value)
                if let low = values.min(), let high = values.max(), high > low {
                    svg.empty(
                        "path",
                        [
                            "class": "spread",
                            "d": "M\(SVGNumber.format(x(low, side))) \(SVGNumber.format(laneY))"
                                + "H\(SVGNumber.format(x(high, side)))",
                        ])
                }
                let xs = bar.groups.map { x($0.value, side) }
                for (group, (cx, lane)) in zip(bar.groups, zip(xs, Self.dodge(xs, apart: 12))) {
                    svg.empty(
                        "path",
                        [
                            "class": marker(group.group).cssClass,
                            "d": marker(group.group).path(x: cx, y: laneY + Double(lane) * 8, r: lane == 0 ? 6.5 : 5),
                        ])
                }
            }
            svg.close("svg")
            html.raw(svg.output)
            html.raw("</li>\n")
        }
        html.raw("</ol>")
        return html.output
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
                    html.element(
                        "td", ["class": "num"], text: sheet.gap(bar.dimension).map(NumberFormatting.signed) ?? "n/a")
                }
                html.raw("</tr>")
                html.newline()
            }
        }
        html.raw("</tbody></table>")
        return html.output
    }
}
