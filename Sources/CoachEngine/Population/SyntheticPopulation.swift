/// A realistic synthetic population of assessment profiles, drawn deterministically and
/// streamed as CSV or JSON Lines without ever holding the population in memory.
///
/// Row `i` depends only on the seed and `i` (its own xoshiro256** generator is seeded by
/// SplitMix64 from both), so the same seed gives byte-identical output, a row does not change
/// with the population's size (but for its id's width), and any range of rows can be produced alone — in parallel
/// chunks, or as shards on several machines.
///
/// ```swift
/// let population = SyntheticPopulation(instrument: try RuleBook.builtin().instrument, seed: 1, count: 1_000)
/// try population.write(.csv) { block in try output.write(block) }   // blocks of about 64 KB
/// let first = population.profile(at: 0)                             // the same row as a Profile
/// ```
///
/// The model (scores on a 1–5 scale; another instrument's scale is mapped onto it linearly):
/// each person has a management tendency M and a leadership tendency L, standard normal,
/// correlated 0.3. A dimension's true score is `3.2 + 0.55·(M or L, by its side) + 0.35·N(0,1)`.
/// A rater group sees it with a bias for the person shared by all dimensions `N(0, 0.7)`, its
/// own view of each dimension `N(0, 0.6)` and the mean noise of its raters `N(0, 0.6/√count)`;
/// self-ratings are 0.35 higher. Scores are clamped to the scale and rounded to two decimals;
/// 2 % of score cells are missing. Levels, roles and rater counts follow `PopulationModel`.
public struct SyntheticPopulation: Sendable {
    /// The text formats a population is written in.
    public enum Format: String, Sendable, CaseIterable {
        /// A header row, then one row per profile; empty cells are missing.
        case csv
        /// One profile JSON object per line.
        case jsonl
    }

    /// Which views a profile carries.
    public enum Raters: String, Sendable, CaseIterable {
        /// A 360: every rater group with its count and scores, no combined scores.
        case all
        /// Combined scores only.
        case none
    }

    /// The seed: the same seed and count give the same bytes.
    public let seed: UInt64
    /// How many profiles the population has.
    public let count: Int
    /// Which views each profile carries (`none` for an instrument without rater groups).
    public let raters: Raters
    /// Everything the generator derives from the instrument.
    let plan: PopulationPlan

    /// A population of `count` profiles (at least 0) for `instrument`, drawn from `seed`.
    public init(instrument: Instrument, seed: UInt64, count: Int, raters: Raters = .all) {
        precondition(count >= 0, "a population has at least 0 profiles")
        self.seed = seed
        self.count = count
        self.plan = PopulationPlan(instrument: instrument, count: count)
        // An instrument without rater groups can only give combined scores.
        self.raters = plan.groups.isEmpty ? .none : raters
    }

    /// The identifier of row `index` (0-based): `p000001` for row 0, zero-padded to six digits
    /// or to the width of `count` when that is wider.
    public func id(at index: Int) -> String {
        let digits = String(index + 1)
        return "p" + String(repeating: "0", count: max(0, plan.idWidth - digits.count)) + digits
    }

    /// Row `index` (0-based) as a profile: exactly what its CSV row or JSON line says.
    public func profile(at index: Int) -> Profile {
        precondition((0..<count).contains(index), "row \(index) is outside the population of \(count)")
        let draw = RowDraw(plan: plan)
        plan.draw(row: index, seed: seed, raters: raters, into: draw)
        var profile = Profile(id: id(at: index), level: plan.levels[draw.level])
        for (position, attribute) in plan.attributes.enumerated() {
            profile.attributes[attribute.name] = attribute.values[draw.attributes[position]]
        }
        func scores(view: Int) -> [String: Double] {
            var scores: [String: Double] = [:]
            for dimension in 0..<plan.dimensionCount {
                let cents = draw.cents[view * plan.dimensionCount + dimension]
                if cents != RowDraw.missing { scores[plan.dimensionNames[dimension]] = Double(cents) / 100 }
            }
            return scores
        }
        switch raters {
        case .none:
            profile.scores = scores(view: 0)
        case .all:
            for (group, spec) in plan.groups.enumerated() where draw.counts[group] > 0 {
                profile.raters[spec.name] = Profile.RaterScores(count: draw.counts[group], scores: scores(view: group))
            }
        }
        return profile
    }

    /// The CSV header line (with its newline), or nothing for JSON Lines.
    public func header(_ format: Format) -> String {
        format == .csv ? String(decoding: plan.csvHeader(raters: raters), as: UTF8.self) : ""
    }

    /// Writes rows `rows` (default: all) as text, in blocks of at least `blockSize` bytes (the
    /// last may be shorter), each handed to `consume` and reused once it returns. A CSV header
    /// comes first when `header` is true. Memory stays flat whatever the count; an error thrown
    /// by `consume` (a closed pipe, a full disk) stops the writing and is rethrown.
    public func write(
        _ format: Format,
        rows: Range<Int>? = nil,
        header: Bool = true,
        blockSize: Int = 1 << 16,
        to consume: (UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        let rows = rows ?? 0..<count
        precondition(rows.lowerBound >= 0 && rows.upperBound <= count, "rows \(rows) are outside 0..<\(count)")
        let encoder = RowEncoder(plan: plan, format: format, raters: raters)
        let blockSize = max(blockSize, 1)
        let capacity = blockSize + encoder.maximumRowBytes
        let block = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { block.deallocate() }
        var used = 0
        if header, format == .csv {
            let bytes = plan.csvHeader(raters: raters)
            var offset = 0
            // A header longer than a block (thousands of columns) goes out in pieces.
            while offset < bytes.count {
                let piece = min(blockSize, bytes.count - offset)
                for index in 0..<piece { block[used + index] = bytes[offset + index] }
                used += piece
                offset += piece
                if used >= blockSize {
                    try consume(UnsafeRawBufferPointer(start: block, count: used))
                    used = 0
                }
            }
        }
        let draw = RowDraw(plan: plan)
        for row in rows {
            plan.draw(row: row, seed: seed, raters: raters, into: draw)
            used += encoder.encode(row: row, draw, into: block + used)
            if used >= blockSize {
                try consume(UnsafeRawBufferPointer(start: block, count: used))
                used = 0
            }
        }
        if used > 0 { try consume(UnsafeRawBufferPointer(start: block, count: used)) }
    }

    /// Rows `rows` (default: all) as bytes, with the CSV header when `header` is true: for
    /// tests and small populations; `write(_:rows:header:blockSize:to:)` streams.
    public func bytes(_ format: Format, rows: Range<Int>? = nil, header: Bool = true) -> [UInt8] {
        var result: [UInt8] = []
        write(format, rows: rows, header: header) { result.append(contentsOf: $0) }
        return result
    }
}

/// The numbers of the synthetic population, on the 1–5 scale.
enum PopulationModel {
    /// The correlation of the management and leadership tendencies.
    static let tendencyCorrelation = 0.3
    /// The mean true score.
    static let center = 3.2
    /// How much a dimension's true score follows its side's tendency.
    static let tendencyWeight = 0.55
    /// The dimension-specific part of a true score (standard deviation).
    static let dimensionNoise = 0.35
    /// A rater group's bias for the person — halo and leniency — shared by every dimension
    /// (standard deviation), so that one group's ratings of a person hang together.
    static let groupBias = 0.7
    /// A rater group's own view of each dimension (standard deviation): what a group sees that
    /// others do not. With the bias it makes rater groups agree only weakly (r ≈ 0.3 between
    /// peers and reports on a dimension), as published 360 research finds.
    static let groupView = 0.6
    /// One rater's noise (standard deviation); a group of n raters has 0.6/√n.
    static let raterNoise = 0.6
    /// How much higher people rate themselves than others rate them (about 0.3 standard
    /// deviations of the ratings).
    static let selfInflation = 0.35
    /// The noise of a combined score when a profile carries no rater groups.
    static let combinedNoise = 0.3
    /// The share of score cells left missing, out of 65,536 (1,311 ≈ 2.0 %).
    static let missingPer65536: UInt64 = 1311

    /// Level shares, used when the instrument's levels are all named here (else uniform).
    static let levelShares: [String: Double] = ["personal": 0.55, "team": 0.30, "organization": 0.15]
    /// Role shares, likewise.
    static let roleShares: [String: Double] = [
        "individual-contributor": 0.40, "supervisor": 0.15, "manager": 0.30, "director": 0.10, "executive": 0.05,
    ]
    /// The role that has no direct reports.
    static let individualContributor = "individual-contributor"

    /// Rater counts by group, as shares of 0, 1, 2, … raters.
    static func countShares(_ kind: RaterKind) -> [Double] {
        switch kind {
        case .selfRating: [0.10, 0.90]
        case .manager: [0.20, 0.80]
        // A quarter of rows have 1–2 peers: below the anonymity minimum of 3, yet not none.
        case .peers: [0.10, 0.10, 0.15, 0.15, 0.15, 0.12, 0.10, 0.07, 0.06]
        // For everyone but individual contributors: a quarter have fewer than 3, 15 % have 1–2.
        case .reports: [0.10, 0.07, 0.08, 0.10, 0.11, 0.11, 0.10, 0.09, 0.07, 0.05, 0.04, 0.03, 0.05]
        }
    }

    /// How a rater group is drawn: by its name, any group not named here like peers.
    enum RaterKind: Sendable {
        case selfRating, manager, peers, reports

        init(name: String) {
            switch name {
            case "self": self = .selfRating
            case "manager": self = .manager
            case "reports": self = .reports
            default: self = .peers
            }
        }
    }
}

/// What the generator derives from the instrument once: names, sides, cumulative shares and
/// the scale mapping.
struct PopulationPlan: Sendable {
    struct Attribute: Sendable {
        var name: String
        var values: [String]
        var thresholds: [UInt64]
    }

    struct Group: Sendable {
        var name: String
        var kind: PopulationModel.RaterKind
        var thresholds: [UInt64]
        /// The standard deviation of a cell's noise for 0, 1, 2, … raters: view and rater noise.
        var noise: [Double]
        /// Added to the group's every score: self-inflation.
        var shift: Double
    }

    var dimensionCount: Int
    var dimensionNames: [String]
    var isLeadership: [Bool]
    var levels: [String]
    var levelThresholds: [UInt64]
    var attributes: [Attribute]
    var groups: [Group]
    /// Where the self group is, to give a profile that drew no group at all a self-rating.
    var fallbackGroup: Int
    /// The attribute and value whose profiles have no reports (role: individual-contributor).
    var withoutReports: (attribute: Int, value: Int)?
    /// Scale mapping from the model's 1–5: `offset + factor · score`.
    var offset: Double
    var factor: Double
    /// The scale's bounds in hundredths.
    var centsRange: ClosedRange<Double>
    /// Whether hundredths are small enough (below 2^51) to round by adding 1.5·2^52.
    var roundsByAddition: Bool
    /// Digits of a row's id.
    var idWidth: Int
    /// The normal generator's tables.
    let ziggurat = Ziggurat.shared

    init(instrument: Instrument, count: Int) {
        dimensionCount = instrument.dimensions.count
        dimensionNames = instrument.dimensions.map(\.id)
        isLeadership = instrument.dimensions.map { $0.side == .leadership }
        levels = instrument.levels
        levelThresholds = Self.thresholds(levels, shares: PopulationModel.levelShares)
        attributes = instrument.attributes.map { attribute in
            Attribute(
                name: attribute.name,
                values: attribute.values,
                thresholds: Self.thresholds(
                    attribute.values, shares: attribute.name == "role" ? PopulationModel.roleShares : [:])
            )
        }
        withoutReports = nil
        if let role = instrument.attributes.firstIndex(where: { $0.name == "role" }),
            let value = instrument.attributes[role].values.firstIndex(of: PopulationModel.individualContributor)
        {
            withoutReports = (role, value)
        }
        groups = instrument.raterGroups.map { group in
            let kind = PopulationModel.RaterKind(name: group.name)
            let shares = PopulationModel.countShares(kind)
            let noise = (0..<shares.count).map { raters in
                let model = PopulationModel.self
                let rater = raters == 0 ? 0 : model.raterNoise * model.raterNoise / Double(raters)
                return (model.groupView * model.groupView + rater).squareRoot()
            }
            return Group(
                name: group.name,
                kind: kind,
                thresholds: Self.cumulative(shares),
                noise: noise,
                shift: kind == .selfRating ? PopulationModel.selfInflation : 0
            )
        }
        fallbackGroup = instrument.selfGroup ?? 0
        factor = (instrument.scaleMax - instrument.scaleMin) / 4
        offset = instrument.scaleMin - factor
        centsRange = (instrument.scaleMin * 100).rounded()...(instrument.scaleMax * 100).rounded()
        roundsByAddition = max(Swift.abs(centsRange.lowerBound), Swift.abs(centsRange.upperBound)) < 0x1p51
        idWidth = max(6, String(max(count, 1)).count)
    }

    /// Cumulative shares of every category but the last, scaled to 2^53; uniform when `shares`
    /// does not name every value.
    static func thresholds(_ values: [String], shares: [String: Double]) -> [UInt64] {
        let named = values.compactMap { shares[$0] }
        let weights = named.count == values.count ? named : Array(repeating: 1, count: values.count)
        let total = weights.reduce(0, +)
        return cumulative(weights.map { $0 / total })
    }

    static func cumulative(_ shares: [Double]) -> [UInt64] {
        var running = 0.0
        return shares.dropLast().map { share in
            running += share
            return UInt64((min(running, 1) * 0x1p53).rounded())
        }
    }

    /// Draws row `row` into `draw`. The order of draws is fixed: level, attributes, the two
    /// tendencies, true scores, then (per mode) counts and each present group's scores, so a
    /// person is the same in both modes up to the views.
    func draw(row: Int, seed: UInt64, raters: SyntheticPopulation.Raters, into draw: RowDraw) {
        var random = Xoshiro256StarStar(seed: seed, row: UInt64(row))
        let ziggurat = self.ziggurat
        let model = PopulationModel.self
        draw.level = random.category(levelThresholds)
        for index in attributes.indices { draw.attributes[index] = random.category(attributes[index].thresholds) }

        let management = ziggurat.normal(&random)
        let rho = model.tendencyCorrelation
        let leadership = rho * management + (1 - rho * rho).squareRoot() * ziggurat.normal(&random)
        let dimensions = dimensionCount
        for dimension in 0..<dimensions {
            let tendency = isLeadership[dimension] ? leadership : management
            draw.truth[dimension] =
                model.center + model.tendencyWeight * tendency + model.dimensionNoise * ziggurat.normal(&random)
        }

        switch raters {
        case .none:
            for dimension in 0..<dimensions {
                draw.cents[dimension] = cents(draw.truth[dimension] + model.combinedNoise * ziggurat.normal(&random))
            }
            markMissing(view: 0, draw: draw, random: &random)
            // A profile needs some score to be a profile: keep one if all 16 went missing.
            if (0..<dimensions).allSatisfy({ draw.cents[$0] == RowDraw.missing }) {
                draw.cents[0] = cents(draw.truth[0])
            }
        case .all:
            let noReports = withoutReports.map { draw.attributes[$0.attribute] == $0.value } ?? false
            var any = false
            // By index: copying a `Group` out of the array would retain its name and tables.
            for index in groups.indices {
                let count =
                    noReports && groups[index].kind == .reports ? 0 : random.category(groups[index].thresholds)
                draw.counts[index] = count
                any = any || count > 0
            }
            if !any, !groups.isEmpty { draw.counts[fallbackGroup] = 1 }
            for index in groups.indices {
                let count = draw.counts[index]
                let base = index * dimensions
                guard count > 0 else {
                    for dimension in 0..<dimensions { draw.cents[base + dimension] = RowDraw.missing }
                    continue
                }
                let shift = groups[index].shift + model.groupBias * ziggurat.normal(&random)
                let noise = groups[index].noise[min(count, groups[index].noise.count - 1)]
                for dimension in 0..<dimensions {
                    let score = draw.truth[dimension] + shift + noise * ziggurat.normal(&random)
                    draw.cents[base + dimension] = cents(score)
                }
                markMissing(view: index, draw: draw, random: &random)
            }
        }
    }

    /// A model score (1–5) on the instrument's scale, in hundredths, rounded and clamped.
    @inline(__always)
    func cents(_ score: Double) -> Int {
        let scaled = (offset + factor * score) * 100
        let hundredths =
            scaled < centsRange.lowerBound
            ? centsRange.lowerBound : scaled > centsRange.upperBound ? centsRange.upperBound : scaled
        guard roundsByAddition else { return Int(hundredths.rounded()) }
        // Adding 1.5·2^52 leaves the nearest whole number (ties to even) in the low bits of the
        // sum: no libm call, no checked conversion.
        let sum = hundredths + Self.roundingBias
        return Int(truncatingIfNeeded: Int64(bitPattern: sum.bitPattern) &- Self.roundingBiasBits)
    }

    private static let roundingBias: Double = 0x1.8p52
    private static let roundingBiasBits = Int64(bitPattern: roundingBias.bitPattern)

    /// Leaves about 2 % of a view's cells missing, 16 random bits a cell.
    @inline(__always)
    func markMissing(view: Int, draw: RowDraw, random: inout Xoshiro256StarStar) {
        let base = view * dimensionCount
        var bits: UInt64 = 0
        for dimension in 0..<dimensionCount {
            if dimension & 3 == 0 { bits = random.next() }
            if bits & 0xFFFF < PopulationModel.missingPer65536 { draw.cents[base + dimension] = RowDraw.missing }
            bits >>= 16
        }
    }
}

/// One row's draw, in buffers reused from row to row (no allocation per row).
final class RowDraw {
    /// A missing cell.
    static let missing = Int.min

    var level = 0
    let attributes: UnsafeMutablePointer<Int>
    /// Raters per group; 0 for an absent group.
    let counts: UnsafeMutablePointer<Int>
    /// True scores by dimension.
    let truth: UnsafeMutablePointer<Double>
    /// Scores in hundredths, `view × dimensionCount + dimension`: one view per rater group, or
    /// the combined view alone; `missing` where missing.
    let cents: UnsafeMutablePointer<Int>
    private let attributeCount: Int
    private let groupCount: Int
    private let cellCount: Int

    init(plan: PopulationPlan) {
        attributeCount = max(plan.attributes.count, 1)
        groupCount = max(plan.groups.count, 1)
        cellCount = groupCount * max(plan.dimensionCount, 1)
        attributes = .allocate(capacity: attributeCount)
        attributes.initialize(repeating: 0, count: attributeCount)
        counts = .allocate(capacity: groupCount)
        counts.initialize(repeating: 0, count: groupCount)
        truth = .allocate(capacity: max(plan.dimensionCount, 1))
        truth.initialize(repeating: 0, count: max(plan.dimensionCount, 1))
        cents = .allocate(capacity: cellCount)
        cents.initialize(repeating: Self.missing, count: cellCount)
    }

    deinit {
        attributes.deallocate()
        counts.deallocate()
        truth.deallocate()
        cents.deallocate()
    }
}
