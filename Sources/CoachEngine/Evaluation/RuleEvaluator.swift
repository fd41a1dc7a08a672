/// A profile checked against a rule book's instrument and laid out for evaluation, so that it
/// can be evaluated many times (benchmarks, what-if tools) without preparing it again.
public struct PreparedScores: Sendable {
    let profile: PreparedProfile
}

/// Evaluates a rule book's conditions for prepared profiles with the compiled rule book, reusing
/// its scratch memory: after it is made, evaluating allocates nothing. Not thread-safe: make one
/// per thread (or task).
public final class RuleEvaluator {
    /// The rule book evaluated.
    public let book: RuleBook
    private let evaluator: RowRunner
    private let fired: UnsafeMutableBufferPointer<Bool>

    /// An evaluator for `book`.
    public init(_ book: RuleBook) {
        self.book = book
        evaluator = RowRunner(book.compiled)
        fired = .allocate(capacity: max(1, book.rules.count))
        fired.initialize(repeating: false)
    }

    deinit { fired.deallocate() }

    /// How many rules fire for `scores` (compiled evaluation, no allocation).
    public func firedCount(_ scores: PreparedScores) -> Int {
        evaluator.evaluate(
            values: scores.profile.values, codes: scores.profile.codes, fired: fired.baseAddress.unsafelyUnwrapped)
        var count = 0
        for index in 0..<book.rules.count where fired[index] { count += 1 }
        return count
    }

    /// The ids of the rules that fire for `scores`, in file order.
    public func firedRules(_ scores: PreparedScores) -> [String] {
        _ = firedCount(scores)
        return book.rules.indices.filter { fired[$0] }.map { book.rules[$0].id }
    }

    /// How many rules fire by the reference interpreter (for comparison; it walks the trees).
    public func referenceFiredCount(_ scores: PreparedScores) -> Int {
        Advisor(book: book).firedRules(scores.profile).count { $0 }
    }
}

extension RuleBook {
    /// Checks `profile` against the instrument and lays it out for repeated evaluation.
    public func prepare(_ profile: Profile) throws(ProfileError) -> PreparedScores {
        var builder = RowBuilder(instrument: instrument, book: compiled)
        return PreparedScores(profile: try PreparedProfile(profile, builder: &builder))
    }
}
