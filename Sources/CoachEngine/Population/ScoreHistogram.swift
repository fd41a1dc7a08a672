/// How a derived score (the instrument's `balance`) is spread over a population: equal-width
/// bins over the whole range the score can take, plus the profiles for which it is missing.
/// Shards add up exactly, like the rest of `PopulationStats`.
public struct ScoreHistogram: Sendable, Equatable {
    /// The derived score counted: `balance`.
    public var score: String
    /// The lower end of the first bin.
    public var lower: Double
    /// The upper end of the last bin.
    public var upper: Double
    /// Profiles per bin; bin `i` holds `lower + i·width ≤ value < lower + (i+1)·width` (the
    /// last bin also holds `upper`).
    public var counts: [Int]
    /// Profiles for which the score is missing.
    public var missing: Int

    /// The number of bins a population histogram has.
    static let binCount = 32

    /// An empty histogram of `score` over `range` in `bins` equal bins.
    public init(score: String, range: ClosedRange<Double>, bins: Int) {
        self.score = score
        self.lower = range.lowerBound
        self.upper = range.upperBound
        self.counts = Array(repeating: 0, count: max(1, bins))
        self.missing = 0
    }

    /// The width of one bin.
    public var binWidth: Double { (upper - lower) / Double(counts.count) }

    /// Profiles counted in a bin.
    public var total: Int { counts.reduce(0, +) }

    /// Counts one value (NaN is missing; a value outside the range goes to the nearest end bin).
    mutating func add(_ value: Double) {
        guard value.isFinite else {
            missing += 1
            return
        }
        // A hair of tolerance, so that 0.25 computed as 3.5 - 3.25 lands in the bin it names.
        let position = (value - lower) / binWidth + 1e-9
        counts[min(max(Int(position.rounded(.down)), 0), counts.count - 1)] += 1
    }

    /// Adds another shard's histogram of the same score and bins.
    mutating func add(_ other: ScoreHistogram) -> Bool {
        guard other.score == score, other.lower == lower, other.upper == upper, other.counts.count == counts.count
        else { return false }
        for index in counts.indices { counts[index] += other.counts[index] }
        missing += other.missing
        return true
    }
}

extension ScoreHistogram {
    /// The histogram a population of `book`'s profiles gets: of the derived score `balance`
    /// (combined view) when the instrument has one, and where in a prepared row it is read.
    static func forBook(_ book: RuleBook) -> (histogram: ScoreHistogram, slot: Int)? {
        let instrument = book.instrument
        guard let index = instrument.derived.firstIndex(where: { $0.name == "balance" }) else { return nil }
        let derived = instrument.derived[index]
        guard derived.range.upperBound > derived.range.lowerBound else { return nil }
        let slot = RowLayout(instrument).derived(view: 0, index: index)
        return (ScoreHistogram(score: derived.name, range: derived.range, bins: binCount), slot)
    }
}
