/// Why a rule set did not load: every problem found, each with its place, and the file texts
/// to quote them from. The set loads whole or not at all.
public struct RuleSetError: Error, Sendable, CustomStringConvertible {
    /// Every problem, sorted by file, line and column.
    public var diagnostics: [Diagnostic]
    /// The texts of the files read, by reported path, for quoting source lines.
    public var sources: [String: String]

    /// Creates an error from diagnostics and the sources they point into.
    public init(diagnostics: [Diagnostic], sources: [String: String] = [:]) {
        self.diagnostics = diagnostics.sortedByLocation()
        self.sources = sources
    }

    /// The diagnostics rendered like a compiler's, with source lines and carets.
    public var rendered: String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let body = DiagnosticRenderer(sources: sources).render(diagnostics)
        return body + "\n\(errors) error\(errors == 1 ? "" : "s"); the rule set was not loaded"
    }

    /// The same as `rendered`.
    public var description: String { rendered }
}
