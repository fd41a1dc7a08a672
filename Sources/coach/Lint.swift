import ArgumentParser
import CoachEngine

/// `coach lint`: every load error, then the static analysis of the rules.
struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check and analyse the rules: load errors, conditions that can never or always hold, shadowed rules.",
        discussion: """
            Exit codes: 0 when there are no errors (and, with --strict, no warnings), 1 otherwise.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif
    }

    @OptionGroup var ruleOptions: RuleOptions

    @Option(name: .long, help: "Output format: text, json or sarif (SARIF 2.1.0).")
    var format: Format = .text

    @Flag(name: .long, help: "Fail on warnings as well as errors.")
    var strict = false

    func run() throws {
        let report = Linter.lint(directory: ruleOptions.rules)
        switch format {
        case .text: Output.write(report.text)
        case .json: Output.write(report.json)
        case .sarif: Output.write(report.sarif)
        }
        if report.fails(strict: strict) { throw ExitCode(1) }
    }
}
