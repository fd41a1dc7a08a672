/// `coach schema`: a JSON Schema (draft 2020-12) for the files of a rules directory — the
/// instrument, rule files and rule tests — so that YAML editors validate and complete them.
/// Names the instrument defines (dimensions, levels, bands) are listed for completion; the
/// checks that need the whole rule set (expressions, ids across files) stay with `coach lint`.
public enum RuleSchema {
    /// The schema's `$id`, the URL editors cache it under.
    public static let id = "https://coach.invalid/schema/coach-rules.schema.json"

    /// The schema for rule sets written against `book`'s instrument, pretty-printed.
    public static func json(for book: RuleBook) -> String {
        render(schema(book.instrument), indent: "") + "\n"
    }

    static func schema(_ instrument: Instrument) -> DataValue {
        let name = DataValue.string("^[A-Za-z_][A-Za-z0-9_]*$")
        let levels = DataValue.array(instrument.levels.map { .string($0) })
        let dimensions = DataValue.array(instrument.dimensions.map { .string($0.id) })
        let text: DataValue = .object([("type", "string"), ("minLength", .number(1))])
        let texts: DataValue = .object([("type", "array"), ("items", text)])
        func object(
            _ description: String, _ properties: [(String, DataValue)], required: [String],
            closed: Bool = true
        ) -> DataValue {
            var fields: [(String, DataValue)] = [("description", .string(description)), ("type", "object")]
            fields.append(("properties", .object(properties)))
            if !required.isEmpty { fields.append(("required", .array(required.map { .string($0) }))) }
            if closed { fields.append(("additionalProperties", .bool(false))) }
            return .object(fields)
        }
        func ref(_ name: String) -> DataValue { .object([("$ref", .string("#/$defs/\(name)"))]) }
        func list(_ items: DataValue, minItems: Int = 0) -> DataValue {
            var fields: [(String, DataValue)] = [("type", "array"), ("items", items)]
            if minItems > 0 { fields.append(("minItems", .number(Double(minItems)))) }
            return .object(fields)
        }
        let score: DataValue = .object([
            ("type", "number"), ("minimum", .number(instrument.scaleMin)), ("maximum", .number(instrument.scaleMax)),
        ])
        let scores: DataValue = .object([
            ("type", "object"), ("propertyNames", .object([("enum", dimensions)])),
            ("additionalProperties", score),
        ])
        let condition: DataValue = .object([
            (
                "description",
                "An expression such as 'control is high and commitment is low', or all/any/not of conditions."
            ),
            (
                "oneOf",
                .array([
                    text,
                    object(
                        "All of the conditions hold.", [("all", list(ref("condition"), minItems: 1))], required: ["all"]
                    ),
                    object(
                        "Any of the conditions holds.", [("any", list(ref("condition"), minItems: 1))],
                        required: ["any"]),
                    object("The condition does not hold.", [("not", ref("condition"))], required: ["not"]),
                ])
            ),
        ])
        let rule = object(
            "A coaching rule: when its condition holds, it recommends its advice.",
            [
                ("id", .object([("type", "string"), ("pattern", "^[a-z0-9][a-z0-9-]*$")])),
                ("title", text),
                ("when", ref("condition")),
                (
                    "levels",
                    .object([("type", "array"), ("items", .object([("enum", levels)])), ("minItems", .number(1))])
                ),
                ("priority", .object([("type", "integer")])),
                ("group", text),
                ("suppresses", list(.object([("type", "string"), ("pattern", "^[a-z0-9][a-z0-9-]*$")]))),
                (
                    "advice",
                    object(
                        "The advice, with {{variable}} templates.",
                        [("summary", text), ("why", text), ("actions", list(text, minItems: 1)), ("tags", texts)],
                        required: ["summary", "why", "actions"])
                ),
                (
                    "expect",
                    object(
                        "The expected fire rate over a population.",
                        [
                            (
                                "rate",
                                .object([
                                    ("type", "array"),
                                    (
                                        "items",
                                        .object([("type", "number"), ("minimum", .number(0)), ("maximum", .number(1))])
                                    ),
                                    ("minItems", .number(2)), ("maxItems", .number(2)),
                                ])
                            )
                        ], required: ["rate"])
                ),
            ],
            required: ["id", "title", "when", "advice"]
        )
        let bound: DataValue = .object([
            ("type", "number"), ("minimum", .number(instrument.scaleMin)), ("maximum", .number(instrument.scaleMax)),
        ])
        let dimension = object(
            "A dimension of a pair.", [("id", .object([("type", "string"), ("pattern", name)])), ("title", text)],
            required: ["id"])
        let instrumentSchema = object(
            "The assessment instrument: dimensions in pairs, scale, bands, derived scores, levels, raters.",
            [
                ("id", text),
                ("title", text),
                (
                    "scale",
                    object(
                        "The score scale.",
                        [("min", .object([("type", "number")])), ("max", .object([("type", "number")]))],
                        required: ["min", "max"])
                ),
                (
                    "bands",
                    .object([
                        ("type", "object"), ("propertyNames", .object([("pattern", name)])),
                        (
                            "additionalProperties",
                            object(
                                "A named range of the scale: min/max inclusive, above/below exclusive.",
                                [("min", bound), ("above", bound), ("max", bound), ("below", bound)], required: [])
                        ),
                    ])
                ),
                (
                    "sides",
                    object("The titles of the two sides.", [("management", text), ("leadership", text)], required: [])
                ),
                (
                    "pairs",
                    list(
                        object(
                            "A management dimension and its leadership counterpart.",
                            [("id", text), ("management", dimension), ("leadership", dimension)],
                            required: ["id", "management", "leadership"]), minItems: 1)
                ),
                (
                    "derived",
                    .object([
                        ("type", "object"), ("propertyNames", .object([("pattern", name)])),
                        ("additionalProperties", text),
                    ])
                ),
                ("levels", list(text, minItems: 1)),
                ("defaultLevel", text),
                (
                    "attributes",
                    .object([
                        ("type", "object"), ("propertyNames", .object([("pattern", name)])),
                        ("additionalProperties", list(text, minItems: 1)),
                    ])
                ),
                (
                    "raters",
                    .object([
                        ("type", "object"), ("propertyNames", .object([("pattern", name)])),
                        (
                            "additionalProperties",
                            object(
                                "A rater group.",
                                [("minimum", .object([("type", "integer"), ("minimum", .number(1))]))], required: [])
                        ),
                    ])
                ),
                ("limit", .object([("type", "integer"), ("minimum", .number(1))])),
            ],
            required: ["id", "scale", "bands", "pairs", "levels", "raters"]
        )
        let profile = object(
            "A profile: id, level, scores, rater groups, and string attributes such as role.",
            [
                ("id", .object([("type", .array(["string", "number"]))])),
                ("level", .object([("enum", levels)])),
                ("scores", scores),
                (
                    "raters",
                    .object([
                        ("type", "object"),
                        (
                            "additionalProperties",
                            object(
                                "A rater group's count and scores.",
                                [
                                    ("count", .object([("type", "integer"), ("minimum", .number(0))])),
                                    ("scores", scores),
                                ],
                                required: [])
                        ),
                    ])
                ),
            ],
            required: [], closed: false
        )
        let ruleIDs = list(.object([("type", "string")]))
        let test = object(
            "A rule test: a profile and the rules that must and must not be recommended.",
            [
                ("name", text),
                (
                    "profile",
                    .object([
                        (
                            "oneOf",
                            .array([
                                ref("profile"),
                                .object([("type", "string"), ("description", "a JSON file beside the test")]),
                            ])
                        )
                    ])
                ),
                ("limit", .object([("type", "integer"), ("minimum", .number(1))])),
                ("recommend", ruleIDs), ("not_recommend", ruleIDs), ("fired", ruleIDs), ("order", ruleIDs),
            ],
            required: ["name", "profile"]
        )
        return .object([
            ("$schema", "https://json-schema.org/draft/2020-12/schema"),
            ("$id", .string(id)),
            ("title", "Coach rules directory file"),
            ("description", "instrument.yaml (instrument:), a rule file (rules:) or a rule test file (tests:)."),
            ("type", "object"),
            (
                "properties",
                .object([
                    ("instrument", ref("instrument")), ("rules", list(ref("rule"))), ("tests", list(ref("test"))),
                ])
            ),
            ("minProperties", .number(1)),
            ("maxProperties", .number(1)),
            ("additionalProperties", .bool(false)),
            (
                "$defs",
                .object([
                    ("instrument", instrumentSchema), ("rule", rule), ("condition", condition), ("test", test),
                    ("profile", profile),
                ])
            ),
        ])
    }

    /// Pretty JSON, two spaces a level, fields in the order given.
    static func render(_ value: DataValue, indent: String) -> String {
        let inner = indent + "  "
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return JSONWriter.format(number)
        case .string(let text):
            var out = ""
            JSONWriter.escape(text, into: &out)
            return out
        case .array(let items):
            if items.allSatisfy({ if case .string = $0 { true } else { false } }) {
                return "[" + items.map { render($0, indent: inner) }.joined(separator: ", ") + "]"
            }
            return "[\n" + items.map { inner + render($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let fields):
            if fields.isEmpty { return "{}" }
            let lines = fields.map { key, field in
                var name = ""
                JSONWriter.escape(key, into: &name)
                return inner + name + ": " + render(field, indent: inner)
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n\(indent)}"
        }
    }
}

extension DataValue: ExpressibleByStringLiteral {
    init(stringLiteral value: String) { self = .string(value) }
}
