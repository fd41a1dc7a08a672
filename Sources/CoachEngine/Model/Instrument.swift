/// The assessment instrument: its dimensions in pairs, scale, bands, derived scores, levels,
/// attributes and rater groups. Loaded from `instrument.yaml`; data, not code.
public struct Instrument: Sendable {
    /// One of the two blades: manage things, lead people.
    public enum Side: String, Sendable, Hashable, CaseIterable {
        case management
        case leadership
    }

    /// A scored dimension such as `control`.
    public struct Dimension: Sendable, Hashable {
        /// The name rules use: `control`.
        public var id: String
        /// The name people read: "Control".
        public var title: String
        /// Which blade the dimension belongs to.
        public var side: Side
        /// The index of its pair in `Instrument.pairs`.
        public var pair: Int
    }

    /// A management dimension and its leadership counterpart.
    public struct Pair: Sendable, Hashable {
        /// The pair's name: `control-commitment`.
        public var id: String
        /// Index of the management dimension in `Instrument.dimensions`.
        public var management: Int
        /// Index of the leadership dimension in `Instrument.dimensions`.
        public var leadership: Int
    }

    /// A named range of the scale: `high` is `≥ 3.75`.
    public struct Band: Sendable, Hashable {
        /// The band's name.
        public var name: String
        /// The lower bound, if any.
        public var lower: Double?
        /// Whether the lower bound belongs to the band (`min`) or not (`above`).
        public var lowerInclusive: Bool
        /// The upper bound, if any.
        public var upper: Double?
        /// Whether the upper bound belongs to the band (`max`) or not (`below`).
        public var upperInclusive: Bool

        /// Whether `value` lies in the band (bounds within `Tolerance.epsilon` count as met).
        public func contains(_ value: Double) -> Bool {
            if let lower, !Tolerance.atLeast(value, lower, inclusive: lowerInclusive) { return false }
            if let upper, !Tolerance.atMost(value, upper, inclusive: upperInclusive) { return false }
            return true
        }

        /// The band's bounds as people read them: `≥ 3.75`, `> 2.5 and < 3.75`.
        public var bounds: String {
            var parts: [String] = []
            if let lower { parts.append("\(lowerInclusive ? "≥" : ">") \(NumberFormatting.short(lower))") }
            if let upper { parts.append("\(upperInclusive ? "≤" : "<") \(NumberFormatting.short(upper))") }
            return parts.isEmpty ? "any value" : parts.joined(separator: " and ")
        }
    }

    /// A score computed from the dimensions, such as `balance`.
    public struct Derived: Sendable {
        /// The name rules use.
        public var name: String
        /// The formula as written.
        public var formula: String
        /// The checked formula.
        var expression: NumericExpression
        /// The smallest and largest values the formula can take on the scale.
        var range: ClosedRange<Double>
    }

    /// A rater group of a 360 and the anonymity minimum below which it is treated as missing.
    public struct RaterGroup: Sendable, Hashable {
        /// The group's name: `peers`.
        public var name: String
        /// The fewest raters for the group's scores to be shown or used.
        public var minimum: Int
    }

    /// The instrument's identifier.
    public internal(set) var id: String
    /// The instrument's title.
    public internal(set) var title: String
    /// The lowest score.
    public internal(set) var scaleMin: Double
    /// The highest score.
    public internal(set) var scaleMax: Double
    /// The named bands, in file order.
    public internal(set) var bands: [Band]
    /// The titles of the two sides.
    public internal(set) var sideTitles: [Side: String]
    /// The pairs, in file order.
    public internal(set) var pairs: [Pair]
    /// Every dimension: for each pair, the management side then the leadership side.
    public internal(set) var dimensions: [Dimension] {
        didSet { dimensionLookup = Dictionary(dimensions.enumerated().map { ($1.id, $0) }) { first, _ in first } }
    }
    /// Dimension indices by name.
    private var dimensionLookup: [String: Int] = [:]
    /// The derived scores, in file order (each may use those before it).
    public internal(set) var derived: [Derived]
    /// The levels a profile may be assessed at.
    public internal(set) var levels: [String]
    /// String attributes a profile may carry, with their allowed values, in file order.
    public internal(set) var attributes: [(name: String, values: [String])]
    /// The rater groups; `others` is every group but `self`.
    public internal(set) var raterGroups: [RaterGroup]
    /// How many recommendations a profile gets unless a call says otherwise.
    public internal(set) var defaultLimit: Int
    /// The level a profile without one is read at (`defaultLevel:` in the instrument), if any.
    public internal(set) var defaultLevel: String?
    /// Where each band and derived score is declared, by `band.NAME` and `derived.NAME`, for
    /// findings about them (`coach lint`: unused bands and derived scores).
    var declarations: [String: SourceLocation] = [:]

    init(
        id: String,
        title: String,
        scaleMin: Double,
        scaleMax: Double,
        bands: [Band],
        sideTitles: [Side: String],
        pairs: [Pair],
        dimensions: [Dimension],
        derived: [Derived],
        levels: [String],
        attributes: [(name: String, values: [String])],
        raterGroups: [RaterGroup],
        defaultLimit: Int,
        defaultLevel: String? = nil
    ) {
        self.id = id
        self.title = title
        self.scaleMin = scaleMin
        self.scaleMax = scaleMax
        self.bands = bands
        self.sideTitles = sideTitles
        self.pairs = pairs
        self.dimensions = dimensions
        self.derived = derived
        self.levels = levels
        self.attributes = attributes
        self.raterGroups = raterGroups
        self.defaultLimit = defaultLimit
        self.defaultLevel = defaultLevel
        self.dimensionLookup = Dictionary(dimensions.enumerated().map { ($1.id, $0) }) { first, _ in first }
    }

    /// The scale as a range.
    public var scale: ClosedRange<Double> { scaleMin...scaleMax }

    /// The index of a dimension by name.
    public func dimensionIndex(_ name: String) -> Int? {
        dimensionLookup[name]
    }

    /// The index of a rater group by name.
    public func raterGroupIndex(_ name: String) -> Int? {
        raterGroups.firstIndex { $0.name == name }
    }

    /// The index of the `self` group, if the instrument has one.
    public var selfGroup: Int? { raterGroupIndex("self") }

    /// The names of the string attributes, `level` first.
    var attributeNames: [String] { ["level"] + attributes.map(\.name) }

    /// The allowed values of the attribute at `index` (0 is `level`).
    func attributeValues(_ index: Int) -> [String] {
        index == 0 ? levels : attributes[index - 1].values
    }

    /// Rater views: the combined view, then each group, then `others`.
    var viewCount: Int { raterGroups.count + 2 }
}
