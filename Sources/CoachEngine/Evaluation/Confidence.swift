/// How far a recommendation can be trusted, from 0 to 1. It falls with few raters other than
/// self and with wide disagreement between rater groups on the dimensions the rule reads.
/// A rule that reads no scores (a data-quality note) is certain.
enum Confidence {
    /// Confidence for a profile with only combined scores (unknown rater base).
    static let scoresOnly = 0.8

    static func of(_ rule: Rule, _ profile: PreparedProfile, instrument: Instrument) -> Double {
        if rule.dimensionsRead.isEmpty { return 1 }
        let base: Double
        if profile.hasRaters {
            // 0.5 for self alone, rising towards 0.95 with more raters: 3 → 0.73, 9 → 0.84.
            let others = profile.count(group: nil)
            base = 0.5 + 0.45 * others / (others + 3)
        } else {
            base = scoresOnly
        }
        let spread = disagreement(rule.dimensionsRead, profile, instrument: instrument)
        // A spread of 2 points between groups takes 40 % off.
        let factor = 1 - 0.4 * min(spread, 2) / 2
        return ((base * factor) * 100).rounded() / 100
    }

    /// The mean, over the dimensions read, of the range of scores across usable rater groups
    /// other than self.
    static func disagreement(_ dimensions: [Int], _ profile: PreparedProfile, instrument: Instrument) -> Double {
        let groups = profile.usable.indices.filter { $0 != instrument.selfGroup && profile.usable[$0] }
        guard groups.count >= 2 else { return 0 }
        var total = 0.0
        var counted = 0
        for dimension in dimensions {
            let values = groups.map { profile.score(view: $0 + 1, dimension: dimension) }.filter { !$0.isNaN }
            guard values.count >= 2, let low = values.min(), let high = values.max() else { continue }
            total += high - low
            counted += 1
        }
        return counted == 0 ? 0 : total / Double(counted)
    }
}
