/// `coach lint`: loads a rule set and, when it loads, analyses it. Load errors come first (they
/// stop the analysis, which needs a checked rule set); then the findings of every analysis, and
/// the rule tests' load errors and rule ids that name no rule.
public enum Linter {
    /// Lints the rule set in `directory`, or the built-in rules when nil.
    public static func lint(directory: String?) -> LintReport {
        guard let directory else { return lint(sources: BuiltinRules.sources) }
        do {
            let (sources, problems) = try RuleDirectory.read(directory)
            return lint(sources: sources, problems: problems, directory: directory)
        } catch {
            return LintReport(diagnostics: error.diagnostics, sources: error.sources)
        }
    }

    /// Lints rule files given as texts; profile files named by rule tests are read below
    /// `directory` when one is given.
    public static func lint(sources: [RuleSource], problems: [Diagnostic] = [], directory: String? = nil) -> LintReport
    {
        let texts = Dictionary(sources.map { ($0.path, $0.text) }) { first, _ in first }
        let book: RuleBook
        do {
            book = try RuleSetLoader().load(sources, problems: problems)
        } catch {
            return LintReport(diagnostics: error.diagnostics, sources: texts)
        }
        return LintReport(diagnostics: analyse(book) + tests(sources, book: book, directory: directory), sources: texts)
    }

    /// The rule tests' load errors, and the rule ids they name that the rule set does not have.
    static func tests(_ sources: [RuleSource], book: RuleBook, directory: String?) -> [Diagnostic] {
        let suite: RuleTestSuite
        do {
            suite = try RuleTestSuite.load(sources: sources, directory: directory)
        } catch {
            return error.diagnostics
        }
        let ids = book.rules.map(\.id)
        var findings: [Diagnostic] = []
        for testCase in suite.cases {
            let named = testCase.recommend + testCase.notRecommend + testCase.fired + (testCase.order ?? [])
            var seen = Set<String>()
            for id in named where book.rule(id: id) == nil && seen.insert(id).inserted {
                findings.append(
                    Diagnostic(
                        .error,
                        code: "unknown-rule",
                        "test '\(testCase.name)' names unknown rule '\(id)'\(Suggestions.didYouMean(id, in: ids))",
                        at: testCase.idLocations[id],
                        length: id.unicodeScalars.count
                    )
                )
            }
        }
        return findings
    }

    /// Every finding of the static analyses for a loaded rule book.
    static func analyse(_ book: RuleBook) -> [Diagnostic] {
        var conditions = ConditionAnalysis(space: ScoreSpace(book: book))
        var live = Set<Int>()
        for index in book.rules.indices where conditions.analyse(rule: index) { live.insert(index) }
        var resolution = ResolutionAnalysis(space: conditions.space)
        resolution.analyse(live: live)
        let arithmetic = DivisionAnalysis.findings(conditions.space) + RangeAnalysis.findings(conditions.space)
        return (conditions.findings + arithmetic + resolution.findings + UsageAnalysis.findings(book))
            .sortedByLocation()
    }
}
