/// Random rule files over the whole expression language of the built-in instrument, for
/// benchmarks and differential tests: every operator, function, band test, rater view, rater
/// count, attribute and derived score, in named shape families.
///
/// The same family, seed and rule count give the same text. Every threshold lies inside the
/// range of what it is compared with, and band tests read only values on the scale, so the
/// rules load (with the built-in `instrument.yaml`, see ``sources``) whatever the seed.
///
/// ```swift
/// let generated = SyntheticRuleBook(family: .linear, seed: 7, ruleCount: 120)
/// let book = try RuleBook.load(sources: generated.sources)
/// ```
public struct SyntheticRuleBook: Sendable {
    /// The shape families a rule book can be drawn from.
    public enum Family: String, Sendable, CaseIterable {
        /// Band tests (`is`, `is not`) and comparisons of scores against band edges.
        case bands
        /// Sums, differences, scalar multiples and means of 2–16 scores compared with thresholds.
        case linear
        /// `not`, `or`, and-of-ors, mixed `and`/`or` without parentheses, `==` and `!=`
        /// between scores, structured `all`/`any`/`not` trees.
        case logic
        /// `min`, `max`, `abs`, `count`, products, divisions (by zero too) and string
        /// attributes (`level`, `role in`).
        case nonlinear
        /// Rater views (`self.x - others.x`, `peers.x`), rater counts and derived scores in views.
        case raterViews = "rater-views"
        /// Every family, drawn leaf by leaf.
        case mixed

        /// Whether the family's rules read only the combined view and the profile's attributes
        /// (no rater group's view or count).
        public var combinedViewOnly: Bool { self != .raterViews && self != .mixed }
    }

    /// One generated rule.
    public struct GeneratedRule: Sendable {
        /// The rule's id: the family's name and the rule's position.
        public let id: String
        /// The condition as one expression; a structured `when` is written out with `and`,
        /// `or`, `not` and parentheses, with the same meaning.
        public let condition: String
        /// Whether the rule file writes the condition as an `all`/`any`/`not` tree.
        public let structured: Bool
    }

    /// The family the rules were drawn from.
    public let family: Family
    /// The seed.
    public let seed: UInt64
    /// The rules, in file order.
    public let rules: [GeneratedRule]
    /// The rule file: `rules:` and every rule, YAML.
    public let ruleFile: String

    /// The relative path of the rule file in ``sources``.
    public static let ruleFileName = "generated.yaml"

    /// Draws `ruleCount` rules (at least 0) of `family` from `seed`.
    public init(family: Family, seed: UInt64, ruleCount: Int) {
        precondition(ruleCount >= 0, "a rule book has at least 0 rules")
        self.family = family
        self.seed = seed
        var draw = RuleDraw(seed: seed, family: family)
        var rules: [GeneratedRule] = []
        var file = "rules:\n"
        for index in 0..<ruleCount {
            let id = "\(family.rawValue)-\(index)"
            let node = draw.condition(depth: 0)
            let structured = draw.chance(family == .logic ? 0.25 : 0.06) && node.isCompound
            rules.append(GeneratedRule(id: id, condition: node.text, structured: structured))
            file += "  - id: \(id)\n    title: Generated rule \(index)\n"
            file += structured ? "    when:\n" + node.yaml(indent: 6) : "    when: '\(node.text)'\n"
            file += "    priority: \(draw.below(100))\n"
            file += "    advice: {summary: \"Generated rule \(index).\", why: Generated., actions: [Look.]}\n"
        }
        self.rules = rules
        self.ruleFile = rules.isEmpty ? "rules: []\n" : file
    }

    /// The built-in `instrument.yaml` and the generated rule file, ready for
    /// `RuleBook.load(sources:)`.
    public var sources: [RuleSource] {
        RuleBook.builtinSources.filter { $0.relativePath == "instrument.yaml" } + [
            RuleSource(relativePath: Self.ruleFileName, text: ruleFile)
        ]
    }

    /// The rules as JSON, `{"family": …, "seed": "…", "rules": [{"id": …, "when": …}, …]}`, with
    /// every condition as one expression: a sidecar for tools that read no YAML.
    public var json: String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("family")
        writer.string(family.rawValue)
        writer.key("seed")
        writer.string(String(seed))
        writer.key("rules")
        writer.beginArray()
        for rule in rules {
            writer.beginObject()
            writer.key("id")
            writer.string(rule.id)
            writer.key("when")
            writer.string(rule.condition)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.output + "\n"
    }
}
