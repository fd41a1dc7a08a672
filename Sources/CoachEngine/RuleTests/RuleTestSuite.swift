import Foundation

/// The rule tests that live beside the rules (`tests/*.yaml`): each case gives a profile and the
/// rule ids that must and must not be recommended (and, optionally, must fire), like `opa test`.
public struct RuleTestSuite: Sendable {
    /// One test case.
    public struct Case: Sendable {
        /// The case's name.
        public var name: String
        /// Where the case is written.
        public var location: SourceLocation
        /// The profile under test.
        public var profile: Profile
        /// The recommendation limit, if the case sets one.
        public var limit: Int?
        /// Rules that must be recommended.
        public var recommend: [String]
        /// Rules that must not be recommended.
        public var notRecommend: [String]
        /// Rules whose condition must hold.
        public var fired: [String]
        /// The exact recommendations, best first, if the case gives them (`order: [a, b]`).
        public var order: [String]?
        /// Where each named rule id is written, to point at a typo.
        var idLocations: [String: SourceLocation]
    }

    /// What one case found.
    public struct Result: Sendable {
        /// The case that ran.
        public var testCase: Case
        /// What went wrong; empty when the case passed.
        public var failures: [String]
        /// The advice the case received (nil when the profile was rejected).
        public var advice: Advice?
        /// For each rule a failure names, its leaf conditions with the values read, so that a
        /// failing case explains itself.
        public var explanations: [(rule: String, conditions: [ConditionResult])] = []
        /// Whether the case passed.
        public var passed: Bool { failures.isEmpty }
    }

    /// Every case, in file order.
    public var cases: [Case]

    /// Reads the test files among `sources` (those under `tests/`). A profile given as a path
    /// is read relative to the test file, below `directory` when one is given.
    public static func load(sources: [RuleSource], directory: String? = nil) throws(RuleSetError) -> RuleTestSuite {
        var diagnostics: [Diagnostic] = []
        var cases: [Case] = []
        let tests = sources.filter(\.isTest).sorted { $0.relativePath < $1.relativePath }
        for source in tests {
            do {
                guard let root = try YAMLReader(file: source.path, limits: .default).read(source.text) else { continue }
                var decoder = RuleTestDecoder(source: source, directory: directory)
                cases += decoder.decode(root)
                diagnostics += decoder.reader.diagnostics
            } catch {
                diagnostics.append(error.diagnostic)
            }
        }
        if diagnostics.containsErrors {
            throw RuleSetError(
                diagnostics: diagnostics, sources: Dictionary(tests.map { ($0.path, $0.text) }) { a, _ in a })
        }
        return RuleTestSuite(cases: cases)
    }

    /// Reads the tests in a rules directory's `tests/` folder.
    public static func load(directory: String) throws(RuleSetError) -> RuleTestSuite {
        let (sources, problems) = try RuleDirectory.read(directory)
        if !problems.isEmpty { throw RuleSetError(diagnostics: problems) }
        return try load(sources: sources, directory: directory)
    }

    /// The tests of the built-in rules.
    public static func builtin() throws(RuleSetError) -> RuleTestSuite {
        try load(sources: BuiltinRules.sources)
    }

    /// Runs every case against `book`. Unknown rule ids in a case are failures, not skips.
    public func run(_ book: RuleBook) -> [Result] {
        cases.map { run($0, book) }
    }

    func run(_ testCase: Case, _ book: RuleBook) -> Result {
        var failures: [String] = []
        for id in testCase.recommend + testCase.notRecommend + testCase.fired + (testCase.order ?? [])
        where book.rule(id: id) == nil {
            let place = testCase.idLocations[id].map { "\($0): " } ?? ""
            let ids = book.rules.map(\.id)
            failures.append("\(place)unknown rule '\(id)'\(Suggestions.didYouMean(id, in: ids))")
        }
        let advice: Advice
        do {
            advice = try book.advise(testCase.profile, options: AdviceOptions(limit: testCase.limit, explain: true))
        } catch {
            failures.append("the profile was rejected: \(error.reason)")
            return Result(testCase: testCase, failures: failures, advice: nil)
        }
        let recommended = advice.recommendations.map(\.rule)
        var involved: [String] = []
        for id in testCase.recommend where book.rule(id: id) != nil && !recommended.contains(id) {
            let why =
                advice.fired.contains(id) ? "it fired but lost to a group, suppression or the limit" : "it did not fire"
            failures.append("expected '\(id)' to be recommended; \(why)")
            involved.append(id)
        }
        for id in testCase.notRecommend where recommended.contains(id) {
            failures.append("expected '\(id)' not to be recommended, but it was")
            involved.append(id)
        }
        for id in testCase.fired where book.rule(id: id) != nil && !advice.fired.contains(id) {
            failures.append("expected '\(id)' to fire; it did not")
            if !involved.contains(id) { involved.append(id) }
        }
        if let order = testCase.order, order != recommended {
            failures.append(
                "expected the recommendations [\(order.joined(separator: ", "))] in this order, "
                    + "got [\(recommended.joined(separator: ", "))]")
            let differing = order.filter { !recommended.contains($0) } + recommended.filter { !order.contains($0) }
            for id in differing where !involved.contains(id) { involved.append(id) }
        }
        var result = Result(testCase: testCase, failures: failures, advice: advice)
        if !involved.isEmpty, let prepared = try? book.prepare(testCase.profile).profile {
            result.explanations = involved.compactMap { id in
                guard let rule = book.rule(id: id) else { return nil }
                let leaves = rule.condition.leaves
                return (
                    id, leaves.map { Explanation.result($0, ReferenceInterpreter.test($0, prepared, leaves: leaves)) }
                )
            }
        }
        return result
    }
}
