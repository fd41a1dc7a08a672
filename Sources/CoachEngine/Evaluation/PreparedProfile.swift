/// A profile checked against the instrument and laid out densely: every view's scores by
/// dimension index, every view's derived scores, rater counts and attributes. Missing is NaN.
struct PreparedProfile: Sendable {
    var id: String?
    /// `viewCount × dimensionCount` scores; view 0 is combined, then each group, then others.
    var scores: [Double]
    /// `viewCount × derivedCount` derived scores, in the same view order.
    var derived: [Double]
    /// Submitted raters per group, then the usable raters other than self.
    var counts: [Double]
    /// Whether each group reached its anonymity minimum.
    var usable: [Bool]
    /// Attribute values: `level` first, then the instrument's attributes.
    var attributes: [String?]
    /// Whether the profile came with any rater groups.
    var hasRaters: Bool

    let dimensionCount: Int
    let derivedCount: Int

    func score(view: Int, dimension: Int) -> Double { scores[view * dimensionCount + dimension] }
    func derivedScore(view: Int, index: Int) -> Double { derived[view * derivedCount + index] }
}

extension PreparedProfile {
    /// Checks `profile` against `instrument` and lays it out. A score outside the scale, an
    /// unknown dimension, group, level or attribute value rejects the profile; nothing is
    /// repaired.
    init(_ profile: Profile, instrument: Instrument) throws(ProfileError) {
        let dimensionCount = instrument.dimensions.count
        let groupCount = instrument.raterGroups.count
        let viewCount = instrument.viewCount
        let othersView = groupCount + 1
        self.id = profile.id
        self.dimensionCount = dimensionCount
        self.derivedCount = instrument.derived.count
        self.hasRaters = !profile.raters.isEmpty

        // Attributes.
        var attributes = [String?](repeating: nil, count: instrument.attributeNames.count)
        if let level = profile.level {
            guard instrument.levels.contains(level) else {
                throw ProfileError(
                    "unknown level '\(level)'\(Suggestions.didYouMean(level, in: instrument.levels)); "
                        + "expected one of: \(instrument.levels.joined(separator: ", "))",
                    field: "level"
                )
            }
            attributes[0] = level
        }
        for (name, value) in profile.attributes.sorted(by: { $0.key < $1.key }) {
            guard let index = instrument.attributeNames.firstIndex(of: name), index > 0 else {
                let known = ["id", "level", "scores", "raters"] + instrument.attributes.map(\.name)
                throw ProfileError("unknown field '\(name)'\(Suggestions.didYouMean(name, in: known))", field: name)
            }
            let allowed = instrument.attributeValues(index)
            guard allowed.contains(value) else {
                throw ProfileError(
                    "unknown \(name) '\(value)'\(Suggestions.didYouMean(value, in: allowed)); "
                        + "expected one of: \(allowed.joined(separator: ", "))",
                    field: name
                )
            }
            attributes[index] = value
        }
        self.attributes = attributes

        // Scores, view by view.
        var scores = [Double](repeating: .nan, count: viewCount * dimensionCount)
        func place(_ values: [String: Double], view: Int, path: String) throws(ProfileError) {
            for (name, value) in values.sorted(by: { $0.key < $1.key }) {
                guard let dimension = instrument.dimensionIndex(name) else {
                    throw ProfileError(
                        "unknown dimension '\(name)'\(Suggestions.didYouMean(name, in: instrument.dimensions.map(\.id)))",
                        field: "\(path).\(name)"
                    )
                }
                guard value.isFinite, instrument.scale.contains(value) else {
                    let shown = value.isNaN ? "NaN" : NumberFormatting.exact(value)
                    throw ProfileError(
                        "score for '\(name)' is \(shown), outside the scale "
                            + "\(NumberFormatting.short(instrument.scaleMin))–\(NumberFormatting.short(instrument.scaleMax))",
                        field: "\(path).\(name)"
                    )
                }
                scores[view * dimensionCount + dimension] = value
            }
        }
        try place(profile.scores, view: 0, path: "scores")

        var counts = [Double](repeating: 0, count: groupCount + 1)
        var usable = [Bool](repeating: false, count: groupCount)
        var explicitOthers: Profile.RaterScores?
        for (name, group) in profile.raters.sorted(by: { $0.key < $1.key }) {
            if name == "others" {
                explicitOthers = group
                try place(group.scores, view: othersView, path: "raters.others.scores")
                continue
            }
            guard let index = instrument.raterGroupIndex(name) else {
                let known = instrument.raterGroups.map(\.name) + ["others"]
                throw ProfileError(
                    "unknown rater group '\(name)'\(Suggestions.didYouMean(name, in: known)); "
                        + "expected one of: \(known.joined(separator: ", "))",
                    field: "raters.\(name)"
                )
            }
            // Checked even when the group is below its minimum: bad data is never hidden.
            try place(group.scores, view: index + 1, path: "raters.\(name).scores")
            counts[index] = Double(group.count)
            usable[index] = group.count >= instrument.raterGroups[index].minimum
            if !usable[index] {
                for d in 0..<dimensionCount { scores[(index + 1) * dimensionCount + d] = .nan }
            }
        }
        self.usable = usable

        // Others: given outright, or every usable group but self, weighted by rater count.
        let selfGroup = instrument.selfGroup
        let otherGroups = (0..<groupCount).filter { $0 != selfGroup && usable[$0] }
        if let explicitOthers {
            counts[groupCount] = Double(explicitOthers.count)
        } else {
            counts[groupCount] = otherGroups.reduce(0) { $0 + counts[$1] }
            Self.weightedMean(
                into: &scores, view: othersView, from: otherGroups, counts: counts, dimensions: dimensionCount)
        }
        // Combined: the profile's own scores, or every usable group, self included.
        if profile.scores.isEmpty, !profile.raters.isEmpty {
            let groups = (0..<groupCount).filter { usable[$0] }
            Self.weightedMean(into: &scores, view: 0, from: groups, counts: counts, dimensions: dimensionCount)
            if groups.isEmpty, explicitOthers != nil {
                for d in 0..<dimensionCount { scores[d] = scores[othersView * dimensionCount + d] }
            }
        }
        if profile.scores.isEmpty, profile.raters.isEmpty {
            throw ProfileError("the profile has no scores: give 'scores' or 'raters'", field: "scores")
        }
        self.scores = scores
        self.counts = counts

        // Derived scores in every view.
        var derived = [Double](repeating: .nan, count: viewCount * instrument.derived.count)
        self.derived = derived
        for view in 0..<viewCount {
            for (index, formula) in instrument.derived.enumerated() {
                derived[view * instrument.derived.count + index] = Interpreter.value(
                    formula.expression,
                    self,
                    leaves: [],
                    view: view
                )
                self.derived = derived
            }
        }
    }

    private static func weightedMean(
        into scores: inout [Double],
        view: Int,
        from groups: [Int],
        counts: [Double],
        dimensions: Int
    ) {
        for d in 0..<dimensions {
            var sum = 0.0
            var weight = 0.0
            for group in groups {
                let value = scores[(group + 1) * dimensions + d]
                guard !value.isNaN else { continue }
                sum += value * counts[group]
                weight += counts[group]
            }
            scores[view * dimensions + d] = weight > 0 ? sum / weight : .nan
        }
    }
}
