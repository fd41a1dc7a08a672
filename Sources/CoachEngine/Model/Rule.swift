/// A coaching rule: when its condition holds for a profile, it recommends its advice.
public struct Rule: Sendable, Identifiable {
    /// The rule's unique id: `control-without-commitment`.
    public var id: String
    /// A short title people read.
    public var title: String
    /// The condition as written (for the structured form, rendered as an expression).
    public var when: String
    /// The levels the rule applies to; `nil` means every level.
    public var levels: [String]?
    /// Higher priorities rank first.
    public var priority: Int
    /// At most one recommendation per group.
    public var group: String?
    /// Rules removed when this one fires.
    public var suppresses: [String]
    /// The advice, with `{{variable}}` templates.
    public var advice: AdviceTemplate
    /// Where the rule starts.
    public var location: SourceLocation
    /// The expected fire rate over a population, if declared (`expect: {rate: [min, max]}`).
    public var expectedRate: ClosedRange<Double>?

    /// The checked condition.
    var condition: CheckedCondition
    /// The dimensions the condition reads, for confidence.
    var dimensionsRead: [Int]
    /// Where the condition (`when:`'s value) starts.
    var whenLocation: SourceLocation
    /// Where the rule's id is written.
    var idLocation: SourceLocation
}

/// A rule's advice before its templates are filled in.
public struct AdviceTemplate: Sendable {
    /// One sentence: what the pattern is.
    public var summary: Template
    /// Why it matters.
    public var why: Template
    /// Concrete next steps.
    public var actions: [Template]
    /// Free-form tags.
    public var tags: [String]
}

/// A text with `{{variable}}` placeholders, split at load time.
public struct Template: Sendable {
    enum Part: Sendable {
        case text(String)
        case variable(Variable)
        case attribute(Int)
        case profileID
    }

    /// The text as written.
    public var source: String
    var parts: [Part]
}
