/// A profile's scores as the rules read them, for reports and charts: the combined view, the
/// self-rating and everyone else's (`others`), each by dimension, after the anonymity minimums
/// (a group below its minimum is missing here too). Missing is `nil`.
public struct ScoreSheet: Sendable {
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
    /// The derived scores of the combined view, by name, in instrument order (`balance`, …).
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
        derived = instrument.derived.indices.map { index in
            let value = profile.derivedScore(view: 0, index: index)
            return (instrument.derived[index].name, value.isNaN ? nil : value)
        }
    }

    /// Self minus others for a dimension, when both are known.
    public func gap(_ dimension: Int) -> Double? {
        guard let own = selfRating?[dimension], let theirs = others?[dimension] else { return nil }
        return own - theirs
    }

    /// The derived score named `name` (combined view), if known.
    public func derived(_ name: String) -> Double? {
        derived.first { $0.name == name }?.value ?? nil
    }
}

extension RuleBook {
    /// The profile's scores in the views reports draw: combined, self and others. Throws for a
    /// profile that does not fit the instrument, as `advise` does.
    public func scoreSheet(_ profile: Profile) throws(ProfileError) -> ScoreSheet {
        ScoreSheet(try PreparedProfile(profile, instrument: instrument), instrument: instrument)
    }
}
