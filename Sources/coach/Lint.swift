import ArgumentParser
import CoachEngine

/// `coach lint`: every load error, then the static analysis of the rules.
struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check and analyse the rules: load errors, conditions that can never or always hold, shadowed rules.",
        discussion: """
            The text report shows errors and warnings, and only counts notes ("54 notes; show them \
            with --notes"); --notes shows them too, --severity chooses the least severe kind shown. \
            The last line always counts every finding. json and sarif list every finding.

            Exit codes: 0 when there are no errors (and, with --strict, no warnings), 1 otherwise.
            """
    )

    enum Format: String, Choice {
        case text, json, sarif
    }

    /// The least severe kind of finding the text report shows.
    enum Severity: String, Choice {
        case error, warning, note

        var diagnostic: Diagnostic.Severity {
            switch self {
            case .error: .error
            case .warning: .warning
            case .note: .note
            }
        }
    }

    @OptionGroup var ruleOptions: RuleOptions

    @Option(
        name: .long,
        help: ArgumentHelp("Output format: text, json or sarif (SARIF 2.1.0) (default: text).", valueName: "FORMAT"),
        completion: .choices(Format.self), transform: Format.parse)
    var format: Format = .text

    @Flag(name: .long, help: "Fail on warnings as well as errors.")
    var strict = false

    @Flag(name: .long, help: "Show notes too, not only their count (the same as --severity note).")
    var notes = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Show findings of this severity and more severe ones: error, warning or note (default: warning).",
            valueName: "SEVERITY"),
        completion: .choices(Severity.self), transform: Severity.parse)
    var severity: Severity?

    func validate() throws {
        if notes, let severity, severity != .note {
            throw ValidationError("--notes shows notes; it does not go with --severity \(severity.rawValue)")
        }
    }

    func run() throws {
        let report = Linter.lint(directory: ruleOptions.rules)
        switch format {
        case .text:
            let least = notes ? .note : (severity ?? .warning).diagnostic
            Output.write(report.text(showing: least) { $0 == .note ? "--notes" : "--severity \($0.rawValue)" })
        case .json: Output.write(report.json)
        case .sarif: Output.write(report.sarif)
        }
        if report.fails(strict: strict) { throw ExitCode(1) }
    }
}
