/// `coach lint`: loads a rule set and, when it loads, analyses it. Load errors come first (they
/// stop the analysis, which needs a checked rule set); then the findings of every analysis.
public enum Linter {
    /// Lints the rule set in `directory`, or the built-in rules when nil.
    public static func lint(directory: String?) -> LintReport {
        guard let directory else { return lint(sources: BuiltinRules.sources) }
        do {
            let (sources, problems) = try RuleDirectory.read(directory)
            return lint(sources: sources, problems: problems)
        } catch {
            return LintReport(diagnostics: error.diagnostics, sources: error.sources)
        }
    }

    /// Lints rule files given as texts.
    public static func lint(sources: [RuleSource], problems: [Diagnostic] = []) -> LintReport {
        let texts = Dictionary(sources.map { ($0.path, $0.text) }) { first, _ in first }
        let book: RuleBook
        do {
            book = try RuleSetLoader().load(sources, problems: problems)
        } catch {
            return LintReport(diagnostics: error.diagnostics, sources: texts)
        }
        return LintReport(diagnostics: analyse(book), sources: texts)
    }

    /// Every finding of the static analyses for a loaded rule book.
    static func analyse(_ book: RuleBook) -> [Diagnostic] {
        var conditions = ConditionAnalysis(space: ScoreSpace(book: book))
        var live = Set<Int>()
        for index in book.rules.indices where conditions.analyse(rule: index) { live.insert(index) }
        var resolution = ResolutionAnalysis(space: conditions.space)
        resolution.analyse(live: live)
        return (conditions.findings + resolution.findings + UsageAnalysis.findings(book)).sortedByLocation()
    }
}
