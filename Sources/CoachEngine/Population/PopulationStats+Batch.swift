/// Statistics over prepared profiles held in memory, evaluated in columnar chunks.
extension PopulationStats {
    /// Statistics over `profiles`: fired and recommended counts, co-firing, recommendations per
    /// profile, evaluated by `evaluator` (made for the same rule book).
    public init(_ profiles: [PreparedScores], evaluator: BatchEvaluator) {
        self.init(book: evaluator.book)
        add(profiles, evaluator: evaluator)
    }

    /// Adds `profiles`, evaluated by `evaluator` (made for this statistics' rule book).
    public mutating func add(_ profiles: [PreparedScores], evaluator: BatchEvaluator) {
        evaluator.forEachChunk(profiles) { add(chunk: $0) }
        if let slot = ScoreHistogram.forBook(evaluator.book)?.slot {
            for scores in profiles { count(score: scores.profile.values[slot]) }
        }
    }

    /// Adds the profiles in `columns` (made by `evaluator`, for this statistics' rule book).
    public mutating func add(_ columns: ProfileColumns, evaluator: BatchEvaluator) {
        evaluator.forEachChunk(columns) { add(chunk: $0) }
    }
}
