/// A profile's scores as the rules read them, for reports and charts: the combined view, the
/// self-rating, everyone else's (`others`) and each usable rater group, by dimension, after the
/// anonymity minimums (a group below its minimum is missing here too). Missing is `nil`.
///
/// A report leads with one view (`headline`): others' view for a 360 (a self-rating and
/// others' ratings), the combined view otherwise. Advice templates fill in unqualified scores
/// from the same view, so a page shows one number per score.
public struct ScoreSheet: Sendable {
    /// One usable rater group's scores.
    public struct Group: Sendable, Hashable {
        /// The group's name in the instrument (`self`, `manager`, `peers`, `reports`, …).
        public var name: String
        /// How many raters it stands for.
        public var count: Int
        /// Its scores by dimension index.
        public var scores: [Double?]
    }

    /// The instrument the scores are on.
    public let instrument: Instrument
    /// The combined (or only) view, by dimension index (`instrument.dimensions`).
    public let combined: [Double?]
    /// The self-rating by dimension index, when the profile has a usable `self` group.
    public let selfRating: [Double?]?
    /// Everyone but self, by dimension index, when enough raters gave scores.
    public let others: [Double?]?
    /// How many raters `others` stands for.
    public let othersCount: Int
    /// The rater groups that reached their anonymity minimum and gave scores, in the
    /// instrument's order.
    public let groups: [Group]
    /// Whether the page leads with others' view (a 360) rather than the combined scores.
    public let leadsWithOthers: Bool
    /// The derived scores of the headline view, by name, in instrument order (`balance`, …).
    public let derived: [(name: String, value: Double?)]

    init(_ profile: PreparedProfile, instrument: Instrument) {
        self.instrument = instrument
        let layout = profile.layout
        func view(_ index: Int) -> [Double?] {
            instrument.dimensions.indices.map { dimension in
                let value = profile.score(view: index, dimension: dimension)
                return value.isNaN ? nil : value
            }
        }
        combined = view(0)
        if let selfGroup = instrument.selfGroup, profile.usable[selfGroup] {
            let scores = view(selfGroup + 1)
            selfRating = scores.contains { $0 != nil } ? scores : nil
        } else {
            selfRating = nil
        }
        let othersScores = view(layout.groups + 1)
        others = othersScores.contains { $0 != nil } ? othersScores : nil
        othersCount = Int(profile.count(group: nil))
        groups = instrument.raterGroups.indices.compactMap { index in
            guard profile.usable[index] else { return nil }
            let scores = view(index + 1)
            guard scores.contains(where: { $0 != nil }) else { return nil }
            return Group(
                name: instrument.raterGroups[index].name, count: Int(profile.count(group: index)), scores: scores)
        }
        let headline = HeadlineView.index(profile, selfGroup: instrument.selfGroup)
        leadsWithOthers = headline != 0
        derived = instrument.derived.indices.map { index in
            let value = profile.derivedScore(view: headline, index: index)
            return (instrument.derived[index].name, value.isNaN ? nil : value)
        }
    }

    /// The view the page leads with, by dimension index: others' for a 360, else combined.
    public var headline: [Double?] { leadsWithOthers ? (others ?? combined) : combined }

    /// Whose view `headline` is, in words: `others' view (11 raters)` or `the combined scores`.
    public var headlineName: String {
        leadsWithOthers
            ? "others' view (\(othersCount) rater\(othersCount == 1 ? "" : "s"))"
            : "the combined scores"
    }

    /// The groups other than self.
    public var otherGroups: [Group] { groups.filter { $0.name != "self" } }

    /// Self minus others for a dimension, when both are known.
    public func gap(_ dimension: Int) -> Double? {
        guard let own = selfRating?[dimension], let theirs = others?[dimension] else { return nil }
        return own - theirs
    }

    /// How far the groups other than self spread on a dimension: the lowest and highest group
    /// score, when at least two groups scored it.
    public func spread(_ dimension: Int) -> ClosedRange<Double>? {
        let values = otherGroups.compactMap { $0.scores[dimension] }
        guard values.count >= 2, let low = values.min(), let high = values.max() else { return nil }
        return low...high
    }

    /// The derived score named `name` (headline view), if known.
    public func derived(_ name: String) -> Double? {
        derived.first { $0.name == name }?.value ?? nil
    }
}

extension RuleBook {
    /// The profile's scores in the views reports draw: combined, self, others and each usable
    /// group. Throws for a profile that does not fit the instrument, as `advise` does.
    public func scoreSheet(_ profile: Profile) throws(ProfileError) -> ScoreSheet {
        ScoreSheet(try PreparedProfile(profile, instrument: instrument), instrument: instrument)
    }
}
