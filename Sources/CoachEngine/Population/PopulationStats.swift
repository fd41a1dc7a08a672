/// What a rule set does over a population: per rule, how often it fired and was recommended;
/// coverage; co-firing; recommendations per profile. Shards add up exactly (`add`), so a
/// population split across machines gives the same figures as one run.
public struct PopulationStats: Sendable, Equatable {
    /// The rule ids, in file order.
    public var rules: [String]
    /// Each rule's declared expected fire rate, if any.
    public var expected: [ClosedRange<Double>?]
    /// The rule set's version.
    public var ruleSetVersion: String
    /// Profiles evaluated.
    public var profiles = 0
    /// Records rejected.
    public var rejected = 0
    /// Per rule: profiles whose condition held.
    public var fired: [Int]
    /// Per rule: profiles it was recommended to.
    public var recommended: [Int]
    /// Per pair of rules (a < b): profiles for which both fired, row by row of the upper
    /// triangle.
    public var coFiring: [Int]
    /// Index n: profiles with n recommendations.
    public var recommendationsPerProfile: [Int]
    /// How the instrument's `balance` score is spread over the profiles (`nil` when the
    /// instrument has no `balance`, or a merged shard did not count it).
    public var histogram: ScoreHistogram?

    /// Empty statistics for a rule book.
    public init(book: RuleBook) {
        self.init(rules: book.rules.map(\.id), expected: book.rules.map(\.expectedRate), ruleSetVersion: book.version)
        histogram = ScoreHistogram.forBook(book)?.histogram
    }

    init(rules: [String], expected: [ClosedRange<Double>?], ruleSetVersion: String) {
        self.rules = rules
        self.expected = expected
        self.ruleSetVersion = ruleSetVersion
        fired = Array(repeating: 0, count: rules.count)
        recommended = Array(repeating: 0, count: rules.count)
        coFiring = Array(repeating: 0, count: rules.count * (rules.count - 1) / 2)
        recommendationsPerProfile = [0]
    }

    /// The index of pair (a, b), a < b, in `coFiring`.
    func pairIndex(_ a: Int, _ b: Int) -> Int {
        let n = rules.count
        return a * (2 * n - a - 1) / 2 + (b - a - 1)
    }

    /// Adds one evaluated profile.
    mutating func add(
        fired firedRules: UnsafeMutableBufferPointer<Bool>, recommended ids: UnsafeMutableBufferPointer<Int32>,
        count: Int, scratch: inout [Int]
    ) {
        profiles += 1
        scratch.removeAll(keepingCapacity: true)
        for rule in 0..<rules.count where firedRules[rule] {
            fired[rule] += 1
            scratch.append(rule)
        }
        if scratch.count > 1 {
            for i in 0..<(scratch.count - 1) {
                for j in (i + 1)..<scratch.count { coFiring[pairIndex(scratch[i], scratch[j])] += 1 }
            }
        }
        for index in 0..<count { recommended[Int(ids[index])] += 1 }
        while recommendationsPerProfile.count <= count { recommendationsPerProfile.append(0) }
        recommendationsPerProfile[count] += 1
    }

    /// Adds another shard's statistics; both must come from the same rule set.
    public mutating func add(_ other: PopulationStats) throws(PopulationError) {
        guard other.rules == rules, other.ruleSetVersion == ruleSetVersion || other.ruleSetVersion.isEmpty else {
            throw PopulationError(
                "the statistics come from different rule sets (\(ruleSetVersion) and \(other.ruleSetVersion)); "
                    + "merge only shards of one run"
            )
        }
        profiles += other.profiles
        rejected += other.rejected
        for index in rules.indices {
            fired[index] += other.fired[index]
            recommended[index] += other.recommended[index]
        }
        for index in coFiring.indices { coFiring[index] += other.coFiring[index] }
        while recommendationsPerProfile.count < other.recommendationsPerProfile.count {
            recommendationsPerProfile.append(0)
        }
        for (count, profiles) in other.recommendationsPerProfile.enumerated() {
            recommendationsPerProfile[count] += profiles
        }
        if let theirs = other.histogram, histogram?.add(theirs) == true {
            return
        }
        // A shard that did not count the score (or counted another) leaves the sum unknown.
        histogram = nil
    }

    /// Counts one profile's histogram score (read from its prepared row).
    mutating func count(score value: Double) {
        histogram?.add(value)
    }

    // MARK: Derived figures

    /// Profiles that got no recommendation.
    public var uncovered: Int { recommendationsPerProfile.first ?? 0 }

    /// Rate of `count` over the profiles (0 when there are none).
    public func rate(_ count: Int) -> Double { profiles == 0 ? 0 : Double(count) / Double(profiles) }

    /// Rules that never fired.
    public var neverFired: [String] { rules.indices.filter { fired[$0] == 0 }.map { rules[$0] } }

    /// The most frequent co-firing pairs, most first (ties by rule order).
    public func topPairs(_ limit: Int) -> [(a: String, b: String, count: Int)] {
        var pairs: [(Int, Int, Int)] = []
        for a in rules.indices {
            for b in rules.indices where b > a {
                let count = coFiring[pairIndex(a, b)]
                if count > 0 { pairs.append((a, b, count)) }
            }
        }
        pairs.sort { $0.2 != $1.2 ? $0.2 > $1.2 : ($0.0, $0.1) < ($1.0, $1.1) }
        return pairs.prefix(limit).map { (rules[$0.0], rules[$0.1], $0.2) }
    }

    /// Rules whose fire rate falls outside their declared `expect.rate`.
    public var outsideExpected: [(rule: String, rate: Double, expected: ClosedRange<Double>)] {
        rules.indices.compactMap { index in
            guard let range = expected[index], profiles > 0 else { return nil }
            let rate = rate(fired[index])
            return range.contains(rate) ? nil : (rules[index], rate, range)
        }
    }
}

extension PopulationStats {
    /// Adds a chunk evaluated by a chunk runner: counts by popcount, co-firing by pairs
    /// of fired bitsets, recommendations per profile from its bit planes.
    mutating func add(chunk evaluator: ChunkRunner) {
        let words = (evaluator.count + 63) / 64
        let stride = ChunkRunner.words
        profiles += evaluator.count
        var active: [Int] = []
        for rule in rules.indices {
            var fires = 0
            var recommends = 0
            for w in 0..<words {
                fires += evaluator.firedBits[rule * stride + w].nonzeroBitCount
                recommends += evaluator.recommendedBits[rule * stride + w].nonzeroBitCount
            }
            fired[rule] += fires
            recommended[rule] += recommends
            if fires > 0 { active.append(rule) }
        }
        let bits = evaluator.firedBits
        let n = rules.count
        coFiring.withUnsafeMutableBufferPointer { pairs in
            for (position, a) in active.enumerated() {
                let first = bits + a * stride
                // pairIndex(a, b) is row + b.
                let row = a * (2 * n - a - 1) / 2 - a - 1
                for b in active[(position + 1)...] {
                    pairs[row + b] += Self.commonBits(first, bits + b * stride, words: words)
                }
            }
        }
        let limit = evaluator.limit
        while recommendationsPerProfile.count <= limit { recommendationsPerProfile.append(0) }
        for k in 0...limit {
            var exactly = 0
            for w in 0..<words {
                let atLeastK = evaluator.atLeast[k * stride + w]
                let atLeastNext = k < limit ? evaluator.atLeast[(k + 1) * stride + w] : 0
                exactly += (atLeastK & ~atLeastNext).nonzeroBitCount
            }
            recommendationsPerProfile[k] += exactly
        }
        while recommendationsPerProfile.count > 1, recommendationsPerProfile.last == 0 {
            recommendationsPerProfile.removeLast()
        }
    }
}

extension PopulationStats {
    /// The bits set in both `a` and `b` over `words` words (at most `ChunkRunner.words`):
    /// the bit-sliced count, four words at a time, adding byte counts and summing them once.
    /// Baseline x86-64 has no population-count instruction, and this takes about half the
    /// instructions of `nonzeroBitCount` per word.
    @inline(__always)
    static func commonBits(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, words: Int) -> Int {
        let m1 = SIMD4<UInt64>(repeating: 0x5555_5555_5555_5555)
        let m2 = SIMD4<UInt64>(repeating: 0x3333_3333_3333_3333)
        let m4 = SIMD4<UInt64>(repeating: 0x0F0F_0F0F_0F0F_0F0F)
        // Each byte of `bytes` counts at most 8 bits a step, 8 steps (32 words): at most 64.
        var bytes = SIMD4<UInt64>(repeating: 0)
        var w = 0
        let (first, second) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
        while w + 4 <= words {
            var x =
                first.loadUnaligned(fromByteOffset: w * 8, as: SIMD4<UInt64>.self)
                & second.loadUnaligned(fromByteOffset: w * 8, as: SIMD4<UInt64>.self)
            x = x &- ((x &>> 1) & m1)
            x = (x & m2) &+ ((x &>> 2) & m2)
            bytes &+= (x &+ (x &>> 4)) & m4
            w += 4
        }
        var total = 0
        for lane in 0..<4 {
            // Bytes to 16-bit lanes (at most 128 each), then their sum in the top 16 bits.
            let pairs = (bytes[lane] & 0x00FF_00FF_00FF_00FF) &+ ((bytes[lane] >> 8) & 0x00FF_00FF_00FF_00FF)
            total += Int((pairs &* 0x0001_0001_0001_0001) >> 48)
        }
        while w < words {
            total += (a[w] & b[w]).nonzeroBitCount
            w += 1
        }
        return total
    }
}

/// `coach stats`: statistics, one partial per block, added up in order.
struct StatsTask: PopulationTask {
    let book: RuleBook
    /// Chunk runners reused across blocks (each owns a few megabytes of columns).
    let columnarPool = Pool<ChunkRunner>()
    /// Where the histogram's score lives in a prepared row.
    let histogramSlot: Int?

    /// Whether evaluators time their work (`coach bench`).
    let profiling: Bool

    init(book: RuleBook, profiling: Bool = false) {
        self.book = book
        self.histogramSlot = ScoreHistogram.forBook(book)?.slot
        self.profiling = profiling
    }

    /// The figures of every evaluator the run used, added up (when profiling).
    func collectedProfile() -> (ColumnarProfile, ChunkRunner)? {
        var total: (ColumnarProfile, ChunkRunner)?
        while let evaluator = columnarPool.take() {
            guard let profile = evaluator.profile else { continue }
            if let (sum, _) = total { sum.add(profile) } else { total = (profile, evaluator) }
        }
        return total
    }

    struct Partial: Sendable {
        var stats: PopulationStats
        var scratch: [Int] = []
    }

    func makePartial() -> Partial { Partial(stats: PopulationStats(book: book)) }

    /// Whole blocks through the chunk runner (record by record for very large limits).
    func process(_ block: LineBlock, firstRecord: Int, evaluators: [RecordRunner], limits: [Int]) -> (Partial, Int) {
        guard let evaluator = evaluators.first, let limit = limits.first, ChunkRunner.supports(limit: limit)
        else {
            return processRecords(block, firstRecord: firstRecord, evaluators: evaluators, limits: limits)
        }
        var partial = makePartial()
        let columnar =
            columnarPool.take().flatMap { $0.limit == limit ? $0 : nil }
            ?? ChunkRunner(book.columnarPlan, limit: limit, profiling: profiling)
        columnar.clear()
        defer { columnarPool.give(columnar) }
        var processed = 0
        let (row, codes) = (evaluator.row, evaluator.rowCodes)
        // A CSV header of combined scores only: every row holds the same values outside the
        // combined view (no rater groups), which the evaluator then keeps without copying.
        var holding = evaluator.csv?.combinedOnly == true
        let layout = book.compiled.layout
        let derived = layout.derived(view: 0, index: 0)..<layout.derived(view: 0, index: layout.derived)
        evaluator.prepareEach(block) { error in
            processed += 1
            if error != nil {
                partial.stats.rejected += 1
                return
            }
            if holding {
                columnar.holdConstant(row: row) { $0 < layout.dimensions || derived.contains($0) }
                holding = false
            }
            columnar.append(row: row, codes: codes)
            if let histogramSlot { partial.stats.count(score: row[histogramSlot]) }
            if columnar.isFull {
                columnar.evaluate()
                count(columnar, into: &partial.stats)
                columnar.clear()
            }
        }
        if columnar.count > 0 {
            columnar.evaluate()
            count(columnar, into: &partial.stats)
        }
        return (partial, processed)
    }

    /// Adds a chunk's results to the statistics (timed when profiling).
    private func count(_ columnar: ChunkRunner, into stats: inout PopulationStats) {
        guard let profile = columnar.profile else { return stats.add(chunk: columnar) }
        let started = ColumnarProfile.cpuNow()
        stats.add(chunk: columnar)
        profile.statsNanos += ColumnarProfile.cpuNow() &- started
    }

    func accept(_ position: RecordPosition, _ evaluators: [RecordRunner], into partial: inout Partial) {
        guard let evaluator = evaluators.first else { return }
        partial.stats.add(
            fired: evaluator.fired,
            recommended: evaluator.recommended,
            count: evaluator.recommendedCount,
            scratch: &partial.scratch
        )
        if let histogramSlot { partial.stats.count(score: evaluator.row[histogramSlot]) }
    }

    func reject(_ position: RecordPosition, id: String?, _ error: ProfileError, into partial: inout Partial) {
        partial.stats.rejected += 1
    }
}
