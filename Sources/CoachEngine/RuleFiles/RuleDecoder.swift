/// Decodes one rule file (`rules: [...]`) against a loaded instrument: strict keys, checked
/// conditions and templates, every problem collected with its place.
struct RuleDecoder {
    var reader = NodeReader()
    let instrument: Instrument
    let lines: [[Unicode.Scalar]]

    /// A decoded rule plus the nodes of names that can only be checked against the whole set.
    struct Decoded {
        var rule: Rule
        var idNode: YAMLNode
        var suppressNodes: [YAMLNode]
    }

    static let ruleKeys = ["id", "title", "when", "levels", "priority", "group", "suppresses", "advice", "expect"]
    static let adviceKeys = ["summary", "why", "actions", "tags"]

    /// Bounds on expressions and on the nesting of structured conditions.
    let limits: LoadLimits

    init(instrument: Instrument, lines: [[Unicode.Scalar]], limits: LoadLimits = .default) {
        self.instrument = instrument
        self.lines = lines
        self.limits = limits
    }

    /// The file's rules. `count` is how many rules the set has so far, this file's added; the
    /// first rule past `limits.maxRules` is an error at that rule, and decoding stops there.
    mutating func decodeFile(_ root: YAMLNode, count: inout Int) -> [Decoded] {
        guard let top = reader.fields(of: root, "a rule file", allowed: ["rules"], required: ["rules"]),
            let node = top["rules"], let items = reader.list(node, "'rules'")
        else { return [] }
        var decoded: [Decoded] = []
        for item in items {
            count += 1
            guard count <= limits.maxRules else {
                reader.error(
                    "too-many-rules",
                    "the rule set has more than \(limits.maxRules) rules, the limit; this is rule \(count)",
                    at: item.location
                )
                break
            }
            if let rule = decodeRule(item) { decoded.append(rule) }
        }
        return decoded
    }

    private mutating func decodeRule(_ node: YAMLNode) -> Decoded? {
        guard
            let fields = reader.fields(
                of: node,
                "a rule",
                allowed: Self.ruleKeys,
                required: ["id", "title", "when", "advice"]
            )
        else { return nil }
        let errorsBefore = reader.diagnostics.count
        guard let idNode = fields["id"], let id = reader.nonEmptyString(idNode, "a rule's id") else { return nil }
        if !Self.isRuleID(id) {
            reader.error(
                "bad-id",
                "rule id '\(id)' must be lowercase letters, digits and '-', starting with a letter or digit",
                at: idNode
            )
        }
        let title = fields["title"].flatMap { reader.nonEmptyString($0, "'title'") } ?? ""

        var checker = Checker(instrument: instrument, limits: limits.expression)
        var condition = Condition.constant(.unknown)
        var whenText = ""
        if let whenNode = fields["when"] {
            (condition, whenText) = self.condition(whenNode, &checker, depth: 0)
        }
        let levels = fields["levels"].flatMap { levelList($0) }
        var priority = 50
        if let node = fields["priority"], let value = reader.integer(node, "'priority'") { priority = value }
        let group = fields["group"].flatMap { reader.nonEmptyString($0, "'group'") }
        var suppressNodes: [YAMLNode] = []
        var suppresses: [String] = []
        if let node = fields["suppresses"], let items = reader.list(node, "'suppresses'") {
            for item in items {
                if let target = reader.nonEmptyString(item, "each entry of 'suppresses'") {
                    suppresses.append(target)
                    suppressNodes.append(item)
                }
            }
        }
        let expectedRate = fields["expect"].flatMap { expectation($0) }
        let advice = fields["advice"].flatMap { self.advice($0, &checker) }

        for diagnostic in checker.diagnostics { reader.append(diagnostic) }
        guard reader.diagnostics.count == errorsBefore, let advice else { return nil }
        let rule = Rule(
            id: id,
            title: title,
            when: whenText,
            levels: levels,
            priority: priority,
            group: group,
            suppresses: suppresses,
            advice: advice,
            location: node.location,
            expectedRate: expectedRate,
            condition: CheckedCondition(root: condition, leaves: checker.leaves),
            dimensionsRead: checker.dimensionsRead.sorted(),
            whenLocation: fields["when"]?.location ?? node.location,
            idLocation: idNode.location
        )
        return Decoded(rule: rule, idNode: idNode, suppressNodes: suppressNodes)
    }

    static func isRuleID(_ id: String) -> Bool {
        let scalars = Array(id.unicodeScalars)
        let allowed = { (c: Unicode.Scalar) in (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "-" }
        guard let first = scalars.first, first != "-" else { return false }
        return scalars.allSatisfy(allowed)
    }

    // MARK: Conditions

    /// A condition written as an expression, or as a structured `all`/`any`/`not` tree.
    private mutating func condition(_ node: YAMLNode, _ checker: inout Checker, depth: Int) -> (Condition, String) {
        switch node.content {
        case .scalar(let text, _):
            if node.isNull {
                reader.error("empty-expression", "the condition is empty", at: node)
                return (.constant(.unknown), "")
            }
            let locator = ScalarLocator(node: node, value: text, lines: lines)
            let condition = checker.condition(text: text, locate: locator.location)
            return (condition, text.trimmingSpaces.description)
        case .mapping(let pairs):
            guard depth < limits.maxConditionDepth else {
                reader.error(
                    "expression-too-deep",
                    "the condition nests deeper than \(limits.maxConditionDepth) levels of all/any/not",
                    at: node
                )
                return (.constant(.unknown), "")
            }
            guard pairs.count == 1, let key = pairs[0].key.scalarText, ["all", "any", "not"].contains(key) else {
                let keys = pairs.compactMap { $0.key.scalarText }
                let unknown = keys.first { !["all", "any", "not"].contains($0) }
                let hint =
                    unknown.map { "; found '\($0)'\(Suggestions.didYouMean($0, in: ["all", "any", "not"]))" } ?? ""
                reader.error(
                    "structured-condition",
                    "a structured condition is one of 'all: [...]', 'any: [...]' or 'not: ...'\(hint)",
                    at: node
                )
                return (.constant(.unknown), "")
            }
            let value = pairs[0].value
            if key == "not" {
                let (inner, text) = condition(value, &checker, depth: depth + 1)
                return (.not(inner), "not (\(text))")
            }
            guard let items = reader.list(value, "'\(key)'") else { return (.constant(.unknown), "") }
            if items.isEmpty {
                reader.error("empty", "'\(key)' needs at least one condition", at: value)
                return (.constant(.unknown), "")
            }
            let parts = items.map { condition($0, &checker, depth: depth + 1) }
            let joined = parts.map { "(\($0.1))" }.joined(separator: key == "all" ? " and " : " or ")
            return (key == "all" ? .and(parts.map(\.0)) : .or(parts.map(\.0)), joined)
        case .sequence:
            reader.error(
                "structured-condition",
                "a condition is an expression or 'all: [...]', 'any: [...]', 'not: ...'; "
                    + "found a list (write 'all:' above it)",
                at: node
            )
            return (.constant(.unknown), "")
        }
    }

    private mutating func levelList(_ node: YAMLNode) -> [String]? {
        guard let items = reader.list(node, "'levels'") else { return nil }
        var levels: [String] = []
        for item in items {
            guard let level = reader.string(item, "each level") else { continue }
            guard instrument.levels.contains(level) else {
                reader.error(
                    "unknown-level",
                    "unknown level '\(level)'\(Suggestions.didYouMean(level, in: instrument.levels))",
                    at: item,
                    notes: ["levels: \(instrument.levels.joined(separator: ", "))"]
                )
                continue
            }
            levels.append(level)
        }
        if levels.isEmpty, !items.isEmpty { return nil }
        if items.isEmpty {
            reader.error(
                "empty", "'levels' is empty, so the rule could never fire; remove it to allow every level", at: node)
        }
        return levels
    }

    private mutating func expectation(_ node: YAMLNode) -> ClosedRange<Double>? {
        guard let fields = reader.fields(of: node, "'expect'", allowed: ["rate"], required: ["rate"]),
            let rateNode = fields["rate"], let items = reader.list(rateNode, "'expect.rate'")
        else { return nil }
        guard items.count == 2, let low = reader.number(items[0], "the lowest rate"),
            let high = reader.number(items[1], "the highest rate")
        else {
            if items.count != 2 {
                reader.error("type", "'expect.rate' is [min, max], two rates from 0 to 1", at: rateNode)
            }
            return nil
        }
        guard 0 <= low, low <= high, high <= 1 else {
            reader.error("range", "'expect.rate' needs 0 ≤ min ≤ max ≤ 1", at: rateNode)
            return nil
        }
        return low...high
    }

    // MARK: Advice

    private mutating func advice(_ node: YAMLNode, _ checker: inout Checker) -> AdviceTemplate? {
        guard
            let fields = reader.fields(
                of: node,
                "'advice'",
                allowed: Self.adviceKeys,
                required: ["summary", "why", "actions"]
            )
        else { return nil }
        let summary = fields["summary"].flatMap { template($0, "'summary'", &checker) }
        let why = fields["why"].flatMap { template($0, "'why'", &checker) }
        var actions: [Template] = []
        if let node = fields["actions"], let items = reader.list(node, "'actions'") {
            if items.isEmpty { reader.error("empty", "'actions' needs at least one action", at: node) }
            actions = items.compactMap { template($0, "each action", &checker) }
        }
        let tags = fields["tags"].flatMap { reader.strings($0, "'tags'") } ?? []
        guard let summary, let why else { return nil }
        return AdviceTemplate(summary: summary, why: why, actions: actions, tags: tags)
    }

    /// Splits `{{name}}` placeholders out of a text and resolves each name.
    private mutating func template(_ node: YAMLNode, _ what: String, _ checker: inout Checker) -> Template? {
        guard let text = reader.nonEmptyString(node, what) else { return nil }
        let locator = ScalarLocator(node: node, value: text, lines: lines)
        let scalars = Array(text.unicodeScalars)
        var parts: [Template.Part] = []
        var literal = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == "{", index + 1 < scalars.count, scalars[index + 1] == "{" {
                guard let close = Self.closing(scalars, from: index + 2) else {
                    reader.error("template", "'{{' is not closed with '}}'", at: locator.location(index), length: 2)
                    return nil
                }
                if !literal.isEmpty {
                    parts.append(.text(String(literal)))
                    literal = String.UnicodeScalarView()
                }
                let inner = String(scalars: scalars[(index + 2)..<close])
                let start = index + 2
                if let part = checker.templateName(text: inner, locate: { locator.location(start + $0) }) {
                    parts.append(part)
                }
                index = close + 2
            } else {
                literal.append(scalars[index])
                index += 1
            }
        }
        if !literal.isEmpty { parts.append(.text(String(literal))) }
        return Template(source: text, parts: parts)
    }

    private static func closing(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start
        while index + 1 < scalars.count {
            if scalars[index] == "}", scalars[index + 1] == "}" { return index }
            index += 1
        }
        return nil
    }
}
