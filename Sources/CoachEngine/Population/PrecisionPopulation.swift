/// A ``SyntheticPopulation`` with its scores moved onto a coarser or finer grid and written
/// with a fixed number of decimals, and more cells missing: inputs for benchmarks and tests
/// that must see more than two-decimal scores (`3.375`, `3.333333`), values exactly on
/// thresholds, and rater groups below their anonymity minimum.
///
/// Row `i` depends only on the seed, the precision, the missing share and `i`. A profile from
/// ``profile(at:)`` holds exactly the numbers its CSV row spells (`3.333333`, not 10/3).
///
/// ```swift
/// let population = PrecisionPopulation(
///     instrument: book.instrument, seed: 1, count: 1_000, precision: .eighths, raters: .none)
/// try population.write { text in try output.write(text) }
/// ```
public struct PrecisionPopulation: Sendable {
    /// The grid scores are rounded to, and how they are written.
    public enum Precision: String, Sendable, CaseIterable {
        /// Whole numbers: `3`.
        case integers
        /// Halves with one decimal: `3.5`.
        case halves
        /// Eighths with three decimals: `3.375`.
        case eighths
        /// Thirds with six decimals: `3.333333` (never exactly a third).
        case thirds
        /// Hundredths with two decimals: `3.27`.
        case hundredths

        /// Steps per unit of the grid.
        var steps: Double {
            switch self {
            case .integers: 1
            case .halves: 2
            case .eighths: 8
            case .thirds: 3
            case .hundredths: 100
            }
        }

        /// Decimals written.
        var decimals: Int {
            switch self {
            case .integers: 0
            case .halves: 1
            case .eighths: 3
            case .thirds: 6
            case .hundredths: 2
            }
        }
    }

    /// The population whose profiles are regridded.
    public let base: SyntheticPopulation
    /// The grid.
    public let precision: Precision
    /// The share of score cells left empty (about; the base population's own 2 % count in it).
    public let missing: Double
    private let dimensionNames: [String]
    private let groupNames: [String]
    private let attributeNames: [String]

    /// A population of `count` profiles for `instrument`, drawn from `seed`, on `precision`'s
    /// grid, with about `missing` (0–1) of the score cells empty.
    public init(
        instrument: Instrument,
        seed: UInt64,
        count: Int,
        precision: Precision,
        raters: SyntheticPopulation.Raters = .none,
        missing: Double = 0.05
    ) {
        precondition((0...1).contains(missing), "the missing share is between 0 and 1")
        base = SyntheticPopulation(instrument: instrument, seed: seed, count: count, raters: raters)
        self.precision = precision
        self.missing = missing
        dimensionNames = instrument.dimensions.map(\.id)
        groupNames = instrument.raterGroups.map(\.name)
        attributeNames = instrument.attributes.map(\.name)
    }

    /// How many profiles the population has.
    public var count: Int { base.count }

    /// The CSV header line, with its newline: `id`, `level`, the attributes, then the
    /// dimensions (combined scores) or each group's `GROUP.count` and `GROUP.dimension` columns.
    public var header: String {
        var columns = ["id", "level"] + attributeNames
        switch base.raters {
        case .none: columns += dimensionNames
        case .all:
            for group in groupNames { columns += ["\(group).count"] + dimensionNames.map { "\(group).\($0)" } }
        }
        return columns.joined(separator: ",") + "\n"
    }

    /// Row `index` (0-based) as its CSV line, with its newline.
    public func row(at index: Int) -> String {
        let profile = base.profile(at: index)
        var cells = [profile.id ?? "", profile.level ?? ""] + attributeNames.map { profile.attributes[$0] ?? "" }
        func scores(_ scores: [String: Double], view: Int) {
            for (position, name) in dimensionNames.enumerated() {
                guard let value = scores[name], !isDropped(row: index, view: view, dimension: position) else {
                    cells.append("")
                    continue
                }
                cells.append(text(value))
            }
        }
        switch base.raters {
        case .none: scores(profile.scores, view: 0)
        case .all:
            for (view, group) in groupNames.enumerated() {
                let raters = profile.raters[group]
                cells.append(raters.map { String($0.count) } ?? "")
                scores(raters?.scores ?? [:], view: view)
            }
        }
        return cells.joined(separator: ",") + "\n"
    }

    /// Row `index` (0-based) as a profile: exactly the numbers its CSV line spells.
    public func profile(at index: Int) -> Profile {
        var profile = base.profile(at: index)
        func regrid(_ scores: [String: Double], view: Int) -> [String: Double] {
            var result: [String: Double] = [:]
            for (position, name) in dimensionNames.enumerated() {
                guard let value = scores[name], !isDropped(row: index, view: view, dimension: position) else {
                    continue
                }
                result[name] = Double(text(value))
            }
            return result
        }
        switch base.raters {
        case .none: profile.scores = regrid(profile.scores, view: 0)
        case .all:
            for (view, group) in groupNames.enumerated() {
                guard let raters = profile.raters[group] else { continue }
                profile.raters[group] = Profile.RaterScores(
                    count: raters.count, scores: regrid(raters.scores, view: view))
            }
        }
        return profile
    }

    /// Writes the header and every row, in blocks of about 64 KB handed to `consume`.
    public func write(to consume: (String) throws -> Void) rethrows {
        var block = header
        for index in 0..<count {
            block += row(at: index)
            if block.utf8.count >= 1 << 16 {
                try consume(block)
                block = ""
            }
        }
        if !block.isEmpty { try consume(block) }
    }

    /// `value` rounded to the grid and written with the precision's decimals.
    func text(_ value: Double) -> String {
        let gridded = (value * precision.steps).rounded() / precision.steps
        var scale = 1
        for _ in 0..<precision.decimals { scale *= 10 }
        let units = Int((gridded * Double(scale)).rounded())
        guard precision.decimals > 0 else { return String(units) }
        let fraction = String(units % scale)
        return "\(units / scale)." + String(repeating: "0", count: precision.decimals - fraction.count) + fraction
    }

    /// Whether the cell is emptied on top of the base population's missing cells.
    private func isDropped(row: Int, view: Int, dimension: Int) -> Bool {
        let extra = max(0, (missing - 0.02) / 0.98)
        guard extra > 0 else { return false }
        let key = UInt64(row) &* 0x9E37_79B9 &+ UInt64(view * dimensionNames.count + dimension)
        let bits = SplitMix64.mix(SplitMix64.mix(base.seed ^ 0x4D69_7373) &+ key)
        return Double(bits >> 11) * 0x1p-53 < extra
    }
}
