/// A profile checked against the instrument and laid out as one flat row (`RowLayout`): every
/// view's scores, every view's derived scores, the rater counts; missing is NaN. Both the
/// reference interpreter and the compiled rule book read it.
struct PreparedProfile: Sendable {
    var id: String?
    /// The row, slot by slot.
    var values: [Double]
    /// Attribute value codes (`level` first); -1 when missing.
    var codes: [Int]
    /// Attribute values as text (`level` first).
    var attributes: [String?]
    /// Whether each group reached its anonymity minimum.
    var usable: [Bool]
    /// Whether the profile came with any rater groups.
    var hasRaters: Bool
    let layout: RowLayout

    func score(view: Int, dimension: Int) -> Double { values[layout.score(view: view, dimension: dimension)] }
    func derivedScore(view: Int, index: Int) -> Double { values[layout.derived(view: view, index: index)] }
    /// Submitted raters in a group; `nil` is the usable raters other than self.
    func count(group: Int?) -> Double { values[layout.count(group: group)] }
}

extension PreparedProfile {
    /// The row a builder has finished, with the profile's id.
    init(builder: RowBuilder, id: String?) {
        let instrument = builder.instrument
        self.init(
            id: id,
            values: builder.values,
            codes: builder.codes,
            attributes: builder.codes.enumerated().map { index, code in
                code < 0 ? nil : instrument.attributeValues(index)[code]
            },
            usable: builder.usable,
            hasRaters: builder.hasRaters,
            layout: builder.layout
        )
    }

    /// Checks `profile` against `instrument` and lays it out. A score outside the scale, an
    /// unknown dimension, group, level or attribute value rejects the profile; nothing is
    /// repaired.
    init(_ profile: Profile, instrument: Instrument) throws(ProfileError) {
        var builder = RowBuilder(instrument: instrument)
        try self.init(profile, builder: &builder)
    }

    /// As above, reusing a builder (populations prepare many profiles with one).
    init(_ profile: Profile, builder: inout RowBuilder) throws(ProfileError) {
        let instrument = builder.instrument
        builder.reset()
        var attributes = [String?](repeating: nil, count: instrument.attributeNames.count)
        if let level = profile.level {
            guard let code = instrument.levels.firstIndex(of: level) else {
                throw ProfileError(
                    "unknown level '\(level)'; expected one of: \(instrument.levels.joined(separator: ", "))"
                        + Suggestions.inParentheses(level, in: instrument.levels),
                    code: .unknownValue,
                    field: "level"
                )
            }
            attributes[0] = level
            builder.setAttribute(0, code: code)
        }
        for (name, value) in profile.attributes.sorted(by: { $0.key < $1.key }) {
            guard let index = instrument.attributeNames.firstIndex(of: name), index > 0 else {
                let known = ["id", "level", "scores", "raters"] + instrument.attributes.map(\.name)
                throw ProfileError(
                    "unknown field '\(name)'\(Suggestions.didYouMean(name, in: known))", code: .unknownField,
                    field: name)
            }
            let allowed = instrument.attributeValues(index)
            guard let code = allowed.firstIndex(of: value) else {
                throw ProfileError(
                    "unknown \(name) '\(value)'; expected one of: \(allowed.joined(separator: ", "))"
                        + Suggestions.inParentheses(value, in: allowed),
                    code: .unknownValue,
                    field: name
                )
            }
            attributes[index] = value
            builder.setAttribute(index, code: code)
        }

        try Self.place(profile.scores, view: 0, path: "scores", into: &builder)
        for (name, group) in profile.raters.sorted(by: { $0.key < $1.key }) {
            if name == "others" {
                builder.setOthers(count: group.count)
                try Self.place(
                    group.scores, view: builder.layout.groups + 1, path: "raters.others.scores", into: &builder)
                continue
            }
            guard let index = instrument.raterGroupIndex(name) else {
                let known = instrument.raterGroups.map(\.name) + ["others"]
                throw ProfileError(
                    "unknown rater group '\(name)'; expected one of: \(known.joined(separator: ", "))"
                        + Suggestions.inParentheses(name, in: known),
                    code: .unknownValue,
                    field: "raters.\(name)"
                )
            }
            // Checked even when the group is below its minimum: bad data is never hidden.
            try Self.place(group.scores, view: index + 1, path: "raters.\(name).scores", into: &builder)
            builder.setGroup(index, count: group.count)
        }
        if builder.isEmpty {
            throw ProfileError("the profile has no scores: give 'scores' or 'raters'", code: .noScores, field: "scores")
        }
        builder.finish()
        if attributes[0] == nil, builder.codes[0] >= 0 { attributes[0] = instrument.levels[builder.codes[0]] }
        self.id = profile.id
        self.values = builder.values
        self.codes = builder.codes
        self.attributes = attributes
        self.usable = builder.usable
        self.hasRaters = builder.hasRaters
        self.layout = builder.layout
    }

    private static func place(
        _ values: [String: Double],
        view: Int,
        path: String,
        into builder: inout RowBuilder
    ) throws(ProfileError) {
        let instrument = builder.instrument
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let dimension = instrument.dimensionIndex(name) else {
                throw ProfileError(
                    "unknown dimension '\(name)'\(Suggestions.didYouMean(name, in: instrument.dimensions.map(\.id)))",
                    code: .unknownDimension,
                    field: "\(path).\(name)"
                )
            }
            try ScoreCheck.check(value, name: name, instrument: instrument, field: "\(path).\(name)")
            builder.setScore(view: view, dimension: dimension, value)
        }
    }
}

/// The one check every score passes, whatever format it came in.
enum ScoreCheck {
    static func check(_ value: Double, name: String, instrument: Instrument, field: String) throws(ProfileError) {
        guard value.isFinite, instrument.scale.contains(value) else {
            let shown = value.isNaN ? "NaN" : NumberFormatting.exact(value)
            throw ProfileError(
                "score for '\(name)' is \(shown), outside the scale "
                    + "\(NumberFormatting.short(instrument.scaleMin))–\(NumberFormatting.short(instrument.scaleMax))",
                code: .outOfScale,
                field: field
            )
        }
    }
}
