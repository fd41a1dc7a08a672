/// What the rule tests exercise: per rule, whether some case recommends it and some case does
/// not; per leaf condition, whether some case saw it true, false and unknown (condition
/// coverage, finer than line coverage). A leaf counts for a case when its rule applies at the
/// case's level; every leaf of such a rule is evaluated, without short-circuiting.
public struct RuleCoverage: Sendable {
    /// One rule's coverage.
    public struct RuleEntry: Sendable {
        /// The rule's id.
        public var rule: String
        /// Where the rule is written.
        public var location: SourceLocation
        /// How many cases recommend it.
        public var recommendedBy: Int
        /// How many cases do not.
        public var notRecommendedBy: Int
        /// Whether some case recommends it and some case does not.
        public var covered: Bool { recommendedBy > 0 && notRecommendedBy > 0 }
    }

    /// One leaf condition's coverage.
    public struct LeafEntry: Sendable {
        /// The rule the leaf belongs to.
        public var rule: String
        /// The leaf as written.
        public var condition: String
        /// Where the leaf is written.
        public var location: SourceLocation
        /// How many cases saw it true, false and unknown.
        public var seenTrue: Int
        /// How many cases saw it false.
        public var seenFalse: Int
        /// How many cases saw it unknown.
        public var seenUnknown: Int
    }

    /// Every rule, in file order.
    public var rules: [RuleEntry]
    /// Every leaf of every rule, in file order.
    public var leaves: [LeafEntry]

    /// The share of rules both recommended and not recommended by some case, from 0 to 100.
    public var rulePercent: Double {
        rules.isEmpty ? 100 : 100 * Double(rules.count { $0.covered }) / Double(rules.count)
    }

    /// The share of leaf outcomes true and false that some case saw, from 0 to 100.
    public var conditionPercent: Double {
        guard !leaves.isEmpty else { return 100 }
        let seen = leaves.reduce(0) { $0 + ($1.seenTrue > 0 ? 1 : 0) + ($1.seenFalse > 0 ? 1 : 0) }
        return 100 * Double(seen) / Double(2 * leaves.count)
    }

    /// Measures coverage: runs every case's profile against every rule.
    public init(suite: RuleTestSuite, results: [RuleTestSuite.Result], book: RuleBook) {
        var rules = book.rules.map {
            RuleEntry(rule: $0.id, location: $0.location, recommendedBy: 0, notRecommendedBy: 0)
        }
        var leaves: [LeafEntry] = []
        var firstLeaf: [Int] = []
        for rule in book.rules {
            firstLeaf.append(leaves.count)
            leaves += rule.condition.leaves.map {
                LeafEntry(
                    rule: rule.id, condition: $0.text, location: $0.location, seenTrue: 0, seenFalse: 0,
                    seenUnknown: 0)
            }
        }
        let advisor = Advisor(book: book)
        for result in results {
            guard let advice = result.advice, let prepared = try? book.prepare(result.testCase.profile).profile
            else { continue }
            let recommended = Set(advice.recommendations.map(\.rule))
            for (index, rule) in book.rules.enumerated() {
                if recommended.contains(rule.id) {
                    rules[index].recommendedBy += 1
                } else {
                    rules[index].notRecommendedBy += 1
                }
                guard advisor.applies(rule, to: prepared) else { continue }
                for (offset, leaf) in rule.condition.leaves.enumerated() {
                    let slot = firstLeaf[index] + offset
                    switch ReferenceInterpreter.test(leaf, prepared, leaves: rule.condition.leaves).result {
                    case .true: leaves[slot].seenTrue += 1
                    case .false: leaves[slot].seenFalse += 1
                    case .unknown: leaves[slot].seenUnknown += 1
                    }
                }
            }
        }
        self.rules = rules
        self.leaves = leaves
    }

    /// The report `coach test --coverage` prints: the two figures, then what is not covered.
    public var report: String {
        let coveredRules = rules.count { $0.covered }
        let outcomes = leaves.reduce(0) { $0 + ($1.seenTrue > 0 ? 1 : 0) + ($1.seenFalse > 0 ? 1 : 0) }
        let unknown = leaves.count { $0.seenUnknown > 0 }
        var lines = [
            "rule coverage: \(coveredRules)/\(rules.count) rules (\(Self.percent(rulePercent))) "
                + "recommended by some case and not by another",
            "condition coverage: \(outcomes)/\(2 * leaves.count) leaf outcomes (\(Self.percent(conditionPercent))) "
                + "seen true and false; \(unknown) of \(leaves.count) leaves also seen unknown",
        ]
        for rule in rules where !rule.covered {
            let missing = rule.recommendedBy == 0 ? "no case recommends it" : "every case recommends it"
            lines.append("  \(rule.location): rule '\(rule.rule)': \(missing)")
        }
        for leaf in leaves where leaf.seenTrue == 0 || leaf.seenFalse == 0 {
            let never = [leaf.seenTrue == 0 ? "true" : nil, leaf.seenFalse == 0 ? "false" : nil].compactMap { $0 }
            lines.append(
                "  \(leaf.location): '\(leaf.condition)' in '\(leaf.rule)': never seen \(never.joined(separator: " or "))"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `97.5 %`, one decimal.
    static func percent(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        return "\(NumberFormatting.short(tenths)) %"
    }
}
