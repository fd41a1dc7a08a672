/// The advice for one profile: ranked recommendations, the rules that fired, and what the
/// recommendations rest on.
public struct Advice: Sendable {
    /// The profile's id.
    public var id: String?
    /// The profile's level.
    public var level: String?
    /// The recommendations, best first, after groups, suppression and the limit.
    public var recommendations: [Recommendation]
    /// Every rule whose condition held at the profile's level, in rank order.
    public var fired: [String]
    /// The rater groups the profile came with, and whether each reached its minimum.
    public var raters: [RaterSummary]
    /// The content hash of the rule set that gave the advice.
    public var ruleSetVersion: String
}

/// One recommendation: a rule's advice with its templates filled in for the profile.
public struct Recommendation: Sendable {
    /// The rule's id.
    public var rule: String
    /// The rule's title.
    public var title: String
    /// The summary, filled in.
    public var summary: String
    /// Why it matters, filled in.
    public var why: String
    /// Concrete next steps, filled in.
    public var actions: [String]
    /// The rule's priority.
    public var priority: Int
    /// The rule's group, if any.
    public var group: String?
    /// From 0 to 1: lower with few raters and with raters who disagree on what the rule reads.
    public var confidence: Double
    /// The rule's tags.
    public var tags: [String]
    /// The leaf conditions with the values read and their truth.
    public var because: [ConditionResult]
}

/// A leaf condition of a rule, as evaluated for one profile.
public struct ConditionResult: Sendable, Hashable {
    /// What a condition read.
    public enum Value: Sendable, Hashable {
        case number(Double)
        case text(String)
        case missing
    }

    /// The condition as written: `control is high`.
    public var condition: String
    /// The value read (the left operand of a comparison, the operand of a band test).
    public var value: Value
    /// Whether the condition held.
    public var result: Truth
    /// The condition with its values: `control 4.5 is high (≥ 3.75)`.
    public var detail: String
}

/// A rater group of the profile and whether its scores were used.
public struct RaterSummary: Sendable, Hashable {
    /// The group's name.
    public var group: String
    /// How many raters it has.
    public var count: Int
    /// The group's anonymity minimum.
    public var minimum: Int
    /// Whether the group reached its minimum (if not, its scores were neither shown nor used).
    public var used: Bool
}

/// Per-call options for advice.
public struct AdviceOptions: Sendable, Hashable {
    /// The most recommendations to give; `nil` takes the rule set's default.
    public var limit: Int?
    /// Whether to explain each recommendation (its `because` list).
    public var explain: Bool

    /// Creates options.
    public init(limit: Int? = nil, explain: Bool = false) {
        self.limit = limit
        self.explain = explain
    }
}
