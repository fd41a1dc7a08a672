/// Decodes `instrument.yaml` into an `Instrument`, checking names, bounds and derived formulas.
struct InstrumentDecoder {
    var reader: NodeReader
    let lines: [[Unicode.Scalar]]
    /// Bounds on each derived formula.
    let limits: Parser.Limits
    /// Each band's name and where it is declared, in file order.
    private var bandPlaces: [(String, SourceLocation)] = []

    init(lines: [[Unicode.Scalar]], limits: Parser.Limits = Parser.Limits()) {
        self.reader = NodeReader()
        self.lines = lines
        self.limits = limits
    }

    /// Names that rules use for other things and so cannot name a dimension or score.
    static let reservedNames: Set<String> = [
        "raters", "others", "level", "id", "and", "or", "not", "is", "in", "true", "false",
        "mean", "min", "max", "abs", "count",
    ]

    mutating func decode(_ root: YAMLNode) -> Instrument? {
        guard
            let top = reader.fields(of: root, "the instrument file", allowed: ["instrument"], required: ["instrument"]),
            let node = top["instrument"]
        else { return nil }
        let keys = [
            "id", "title", "scale", "bands", "sides", "pairs", "derived", "levels", "defaultLevel", "attributes",
            "raters", "limit",
        ]
        guard
            let fields = reader.fields(
                of: node,
                "the instrument",
                allowed: keys,
                required: ["id", "scale", "bands", "pairs", "levels", "raters"]
            )
        else { return nil }
        let errorsBefore = reader.diagnostics.count

        let id = fields["id"].flatMap { reader.nonEmptyString($0, "the instrument's id") } ?? ""
        let title = fields["title"].flatMap { reader.string($0, "the instrument's title") } ?? id
        var scale = 1.0...5.0
        if let node = fields["scale"], let bounds = self.scale(node) { scale = bounds }
        let bands = fields["bands"].map { self.bands($0, scale: scale) } ?? []
        var sideTitles: [Instrument.Side: String] = [.management: "Management", .leadership: "Leadership"]
        if let node = fields["sides"],
            let sides = reader.fields(of: node, "sides", allowed: ["management", "leadership"])
        {
            for (key, value) in sides {
                if let side = Instrument.Side(rawValue: key), let text = reader.string(value, "a side's title") {
                    sideTitles[side] = text
                }
            }
        }
        var (pairs, dimensions): ([Instrument.Pair], [Instrument.Dimension]) = ([], [])
        if let node = fields["pairs"] { (pairs, dimensions) = self.pairs(node) }
        let levels = fields["levels"].flatMap { uniqueNames($0, "levels", allowHyphens: true) } ?? []
        var attributes: [(name: String, values: [String])] = []
        if let node = fields["attributes"] {
            for (name, key, value) in reader.entries(of: node, "attributes") {
                if checkName(name, "an attribute", at: key),
                    let values = uniqueNames(value, "the values of '\(name)'", allowHyphens: true)
                {
                    attributes.append((name, values))
                }
            }
        }
        var groups: [Instrument.RaterGroup] = []
        if let node = fields["raters"] {
            for (name, key, value) in reader.entries(of: node, "raters") {
                guard checkName(name, "a rater group", at: key) else { continue }
                guard let settings = reader.fields(of: value, "rater group '\(name)'", allowed: ["minimum"]) else {
                    continue
                }
                var minimum = 1
                if let node = settings["minimum"], let value = reader.integer(node, "'minimum'") {
                    if value < 1 { reader.error("range", "'minimum' must be at least 1", at: node) }
                    minimum = value
                }
                groups.append(Instrument.RaterGroup(name: name, minimum: minimum))
            }
        }
        var limit = 3
        if let node = fields["limit"], let value = reader.integer(node, "'limit'") {
            if value < 1 { reader.error("range", "'limit' must be at least 1", at: node) }
            limit = value
        }

        var defaultLevel: String?
        if let node = fields["defaultLevel"], let level = reader.nonEmptyString(node, "'defaultLevel'") {
            if levels.contains(level) {
                defaultLevel = level
            } else {
                reader.error(
                    "unknown-level",
                    "'defaultLevel' is '\(level)', not one of the levels\(Suggestions.didYouMean(level, in: levels))",
                    at: node
                )
            }
        }
        var instrument = Instrument(
            id: id,
            title: title,
            scaleMin: scale.lowerBound,
            scaleMax: scale.upperBound,
            bands: bands,
            sideTitles: sideTitles,
            pairs: pairs,
            dimensions: dimensions,
            derived: [],
            levels: levels,
            attributes: attributes,
            raterGroups: groups,
            defaultLimit: limit,
            defaultLevel: defaultLevel
        )
        checkCollisions(instrument, fields: fields)
        for (name, location) in bandPlaces { instrument.declarations["band.\(name)"] = location }
        if let node = fields["derived"] {
            for (name, key, value) in reader.entries(of: node, "derived") {
                guard checkName(name, "a derived score", at: key) else { continue }
                if instrument.dimensionIndex(name) != nil || instrument.derived.contains(where: { $0.name == name }) {
                    reader.error("duplicate-name", "'\(name)' is already a dimension or derived score", at: key)
                    continue
                }
                guard let formula = reader.nonEmptyString(value, "the formula of '\(name)'") else { continue }
                let locator = ScalarLocator(node: value, value: formula, lines: lines)
                var checker = Checker(instrument: instrument, allowsViews: false, limits: limits)
                let checked = checker.numeric(text: formula, locate: locator.location)
                for diagnostic in checker.diagnostics { reader.append(diagnostic) }
                if let (expression, range) = checked {
                    instrument.declarations["derived.\(name)"] = key.location
                    instrument.derived.append(
                        Instrument.Derived(name: name, formula: formula, expression: expression, range: range)
                    )
                }
            }
        }
        return reader.diagnostics.count == errorsBefore ? instrument : nil
    }

    private mutating func scale(_ node: YAMLNode) -> ClosedRange<Double>? {
        guard let fields = reader.fields(of: node, "the scale", allowed: ["min", "max"], required: ["min", "max"]),
            let minNode = fields["min"], let maxNode = fields["max"],
            let low = reader.number(minNode, "the scale's min"), let high = reader.number(maxNode, "the scale's max")
        else { return nil }
        guard low < high else {
            reader.error("range", "the scale's min must be below its max", at: node)
            return nil
        }
        return low...high
    }

    private mutating func bands(_ node: YAMLNode, scale: ClosedRange<Double>) -> [Instrument.Band] {
        var bands: [Instrument.Band] = []
        for (name, key, value) in reader.entries(of: node, "bands") {
            guard checkName(name, "a band", at: key),
                let bounds = reader.fields(of: value, "band '\(name)'", allowed: ["min", "above", "max", "below"])
            else { continue }
            var band = Instrument.Band(name: name, lower: nil, lowerInclusive: true, upper: nil, upperInclusive: true)
            if bounds["min"] != nil, bounds["above"] != nil {
                reader.error("conflict", "band '\(name)' has both 'min' and 'above'; keep one", at: value)
            }
            if bounds["max"] != nil, bounds["below"] != nil {
                reader.error("conflict", "band '\(name)' has both 'max' and 'below'; keep one", at: value)
            }
            for (bound, inclusive, isLower) in [
                ("min", true, true), ("above", false, true), ("max", true, false), ("below", false, false),
            ] {
                guard let node = bounds[bound], let number = reader.number(node, "'\(bound)'") else { continue }
                if !scale.contains(number) {
                    reader.error(
                        "threshold-out-of-range",
                        "band bound \(NumberFormatting.short(number)) is outside the scale "
                            + "\(NumberFormatting.short(scale.lowerBound))–\(NumberFormatting.short(scale.upperBound))",
                        at: node
                    )
                }
                if isLower {
                    band.lower = number
                    band.lowerInclusive = inclusive
                } else {
                    band.upper = number
                    band.upperInclusive = inclusive
                }
            }
            if band.lower == nil, band.upper == nil {
                reader.error("empty-band", "band '\(name)' needs a bound: min, above, max or below", at: value)
            }
            if let lower = band.lower, let upper = band.upper, lower >= upper {
                reader.error(
                    "empty-band", "band '\(name)' is empty: its lower bound is not below its upper bound", at: value)
            }
            bands.append(band)
            bandPlaces.append((name, key.location))
        }
        return bands
    }

    private mutating func pairs(_ node: YAMLNode) -> ([Instrument.Pair], [Instrument.Dimension]) {
        var pairs: [Instrument.Pair] = []
        var dimensions: [Instrument.Dimension] = []
        guard let items = reader.list(node, "pairs") else { return ([], []) }
        for item in items {
            guard
                let fields = reader.fields(
                    of: item,
                    "a pair",
                    allowed: ["id", "management", "leadership"],
                    required: ["id", "management", "leadership"]
                ),
                let idNode = fields["id"], let id = reader.nonEmptyString(idNode, "a pair's id")
            else { continue }
            var indices: [Instrument.Side: Int] = [:]
            for side in Instrument.Side.allCases {
                guard let sideNode = fields[side.rawValue],
                    let dimension = reader.fields(
                        of: sideNode,
                        "the \(side.rawValue) side of '\(id)'",
                        allowed: ["id", "title"],
                        required: ["id"]
                    ),
                    let nameNode = dimension["id"], let name = reader.nonEmptyString(nameNode, "a dimension's id"),
                    checkName(name, "a dimension", at: nameNode)
                else { continue }
                if dimensions.contains(where: { $0.id == name }) {
                    reader.error("duplicate-name", "dimension '\(name)' is defined twice", at: nameNode)
                    continue
                }
                let title = dimension["title"].flatMap { reader.string($0, "a dimension's title") } ?? name
                indices[side] = dimensions.count
                dimensions.append(Instrument.Dimension(id: name, title: title, side: side, pair: pairs.count))
            }
            if let management = indices[.management], let leadership = indices[.leadership] {
                pairs.append(Instrument.Pair(id: id, management: management, leadership: leadership))
            }
        }
        if pairs.isEmpty, reader.diagnostics.isEmpty {
            reader.error("empty", "the instrument needs at least one pair of dimensions", at: node)
        }
        return (pairs, dimensions)
    }

    private mutating func uniqueNames(_ node: YAMLNode, _ what: String, allowHyphens: Bool) -> [String]? {
        guard let items = reader.list(node, what) else { return nil }
        var names: [String] = []
        for item in items {
            guard let name = reader.nonEmptyString(item, "each entry of \(what)") else { continue }
            if names.contains(name) {
                reader.error("duplicate-name", "'\(name)' appears twice in \(what)", at: item)
                continue
            }
            names.append(name)
        }
        if names.isEmpty {
            reader.error("empty", "\(what) must not be empty", at: node)
            return nil
        }
        if names.count > 64 {
            reader.error("too-many-values", "\(what) has \(names.count) values; the limit is 64", at: node)
            return nil
        }
        return names
    }

    /// A name rules can write: a letter, then letters, digits or `_`; not a reserved word.
    private mutating func checkName(_ name: String, _ what: String, at node: YAMLNode) -> Bool {
        let scalars = Array(name.unicodeScalars)
        let isLetter = { (c: Unicode.Scalar) in (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" }
        guard let first = scalars.first, isLetter(first),
            scalars.allSatisfy({ isLetter($0) || ($0 >= "0" && $0 <= "9") })
        else {
            reader.error(
                "bad-name",
                "'\(name)' cannot name \(what): use letters, digits and '_', starting with a letter",
                at: node
            )
            return false
        }
        guard !Self.reservedNames.contains(name) else {
            reader.error("reserved-name", "'\(name)' is reserved in rule expressions and cannot name \(what)", at: node)
            return false
        }
        return true
    }

    private mutating func checkCollisions(_ instrument: Instrument, fields: [String: YAMLNode]) {
        let dimensionNames = Set(instrument.dimensions.map(\.id))
        for group in instrument.raterGroups where dimensionNames.contains(group.name) {
            if let node = fields["raters"] {
                reader.error("duplicate-name", "rater group '\(group.name)' has the name of a dimension", at: node)
            }
        }
        for attribute in instrument.attributes where dimensionNames.contains(attribute.name) {
            if let node = fields["attributes"] {
                reader.error("duplicate-name", "attribute '\(attribute.name)' has the name of a dimension", at: node)
            }
        }
    }
}
