/// An assessment profile as it arrives: scores by dimension name, optionally per rater group.
/// Names and ranges are checked against the instrument when a rule book prepares it.
public struct Profile: Sendable, Hashable {
    /// One rater group's view: how many raters, and their (combined) scores.
    public struct RaterScores: Sendable, Hashable {
        /// How many raters the group has.
        public var count: Int
        /// The group's scores by dimension name.
        public var scores: [String: Double]

        /// Creates a rater group's view.
        public init(count: Int, scores: [String: Double]) {
            self.count = count
            self.scores = scores
        }
    }

    /// The profile's identifier, if any.
    public var id: String?
    /// The level assessed: `personal`, `team` or `organization`.
    public var level: String?
    /// Other string attributes the instrument declares, such as `role`.
    public var attributes: [String: String]
    /// The combined (or only) view, by dimension name.
    public var scores: [String: Double]
    /// Views by rater group name (`self`, `peers`, …, or `others` given outright).
    public var raters: [String: RaterScores]

    /// Creates a profile.
    public init(
        id: String? = nil,
        level: String? = nil,
        attributes: [String: String] = [:],
        scores: [String: Double] = [:],
        raters: [String: RaterScores] = [:]
    ) {
        self.id = id
        self.level = level
        self.attributes = attributes
        self.scores = scores
        self.raters = raters
    }
}
