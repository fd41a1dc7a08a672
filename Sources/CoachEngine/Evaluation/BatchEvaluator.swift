/// Evaluates a rule book over many prepared profiles at once: columnar chunks of 2,048, every
/// leaf test once per chunk over a column, rules and resolution 64 profiles at a time. This is
/// what `coach stats` runs on each thread; it gives exactly the figures that evaluating the
/// profiles one by one would with the same limit (`PopulationStats.add(_:evaluator:)` gathers
/// its statistics).
/// Not thread-safe: make one per thread.
public final class BatchEvaluator {
    /// The rule book evaluated.
    public let book: RuleBook
    private let columnar: ChunkRunner

    /// An evaluator for `book`; `limit` caps recommendations (default: the rule set's; 0 or
    /// less recommends nothing; at most 32, the bit-parallel resolution's reach).
    public init(_ book: RuleBook, limit: Int? = nil) {
        self.book = book
        let limit = max(0, min(32, limit ?? book.instrument.defaultLimit))
        columnar = ChunkRunner(book.columnarPlan, limit: limit)
    }

    /// How many of `profiles` each rule fires for, in file order (evaluation and resolution,
    /// without the co-firing and per-profile figures of `stats`).
    public func firedCounts(_ profiles: [PreparedScores]) -> [Int] {
        var counts = [Int](repeating: 0, count: book.rules.count)
        forEachChunk(profiles) { columnar in
            let words = (columnar.count + 63) / 64
            for rule in counts.indices {
                for w in 0..<words {
                    counts[rule] += columnar.firedBits[rule * ChunkRunner.words + w].nonzeroBitCount
                }
            }
        }
        return counts
    }

    /// `profiles` as columns in this evaluator's layout, for evaluating them many times.
    public func columns(_ profiles: [PreparedScores]) -> ProfileColumns {
        ProfileColumns(profiles, layout: columnar)
    }

    /// How many of the profiles in `columns` (made by this evaluator) each rule fires for, in
    /// file order: the rules' conditions and levels only, no resolution.
    public func firedCounts(_ columns: ProfileColumns) -> [Int] {
        var counts = [Int](repeating: 0, count: book.rules.count)
        counts.withUnsafeMutableBufferPointer { counts in
            for chunk in 0..<columns.chunks {
                columns.evaluate(chunk, with: columnar, resolving: false)
                let words = (columns.rows(chunk) + 63) / 64
                for rule in counts.indices {
                    let bits = columnar.firedBits + rule * ChunkRunner.words
                    var fired = 0
                    for w in 0..<words { fired &+= bits[w].nonzeroBitCount }
                    counts[rule] &+= fired
                }
            }
        }
        return counts
    }

    /// Evaluates and resolves the chunks of `columns` (made by this evaluator) one by one,
    /// handing each to `body`.
    func forEachChunk(_ columns: ProfileColumns, _ body: (ChunkRunner) -> Void) {
        for chunk in 0..<columns.chunks {
            columns.evaluate(chunk, with: columnar, resolving: true)
            body(columnar)
        }
    }

    /// Evaluates and resolves `profiles` chunk by chunk, handing each chunk to `body`.
    func forEachChunk(_ profiles: [PreparedScores], _ body: (ChunkRunner) -> Void) {
        columnar.clear()
        for scores in profiles {
            columnar.append(values: scores.profile.values, codes: scores.profile.codes)
            if columnar.isFull {
                columnar.evaluate()
                body(columnar)
                columnar.clear()
            }
        }
        if columnar.count > 0 {
            columnar.evaluate()
            body(columnar)
            columnar.clear()
        }
    }
}
