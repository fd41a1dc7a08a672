import ArgumentParser
import CoachEngine

/// `coach test`: runs the rule tests beside the rules.
struct TestRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the rule tests (tests/*.yaml beside the rules).",
        discussion: """
            With --coverage, also reports rule coverage (each rule recommended by some case and not \
            by another) and condition coverage (each leaf condition seen true and false).
            """
    )

    @OptionGroup var ruleOptions: RuleOptions

    @Flag(name: .shortAndLong, help: "List every case, not only the failing ones.")
    var verbose = false

    @Flag(name: .long, help: "Report rule and condition coverage.")
    var coverage = false

    @Option(
        name: .long,
        help: ArgumentHelp("Fail when rule coverage is below P percent (implies --coverage).", valueName: "P"))
    var minCoverage: Double?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Fail when condition coverage is below P percent (implies --coverage).", valueName: "P"))
    var minConditionCoverage: Double?

    func validate() throws {
        for value in [minCoverage, minConditionCoverage].compactMap({ $0 }) where !(0...100).contains(value) {
            throw ValidationError("a minimum coverage is a percentage from 0 to 100")
        }
    }

    func run() throws {
        let book = try ruleOptions.loadBook()
        let suite: RuleTestSuite
        do {
            if let rules = ruleOptions.rules {
                suite = try RuleTestSuite.load(directory: rules)
            } else {
                suite = try RuleTestSuite.builtin()
            }
        } catch {
            Output.error(error.rendered)
            throw ExitCode(1)
        }
        let results = suite.run(book)
        var failed = 0
        for result in results {
            if result.passed {
                if verbose { Output.write("✓ \(result.testCase.name)\n") }
                continue
            }
            failed += 1
            Output.write("✗ \(result.testCase.location): \(result.testCase.name)\n")
            for failure in result.failures { Output.write("    \(failure)\n") }
            if let advice = result.advice {
                Output.write("    recommended: \(advice.recommendations.map(\.rule).joined(separator: ", "))\n")
                Output.write("    fired: \(advice.fired.joined(separator: ", "))\n")
            }
            for (rule, conditions) in result.explanations {
                Output.write("    \(rule):\n")
                for condition in conditions {
                    Output.write("      \(condition.detail): \(condition.result.name)\n")
                }
            }
        }
        Output.write("rule tests: \(results.count - failed) passed, \(failed) failed\n")
        var belowMinimum = false
        if coverage || minCoverage != nil || minConditionCoverage != nil {
            let measured = RuleCoverage(suite: suite, results: results, book: book)
            Output.write("\n" + measured.report)
            if let minCoverage, measured.rulePercent < minCoverage {
                Output.write("rule coverage is below the minimum of \(minCoverage) %\n")
                belowMinimum = true
            }
            if let minConditionCoverage, measured.conditionPercent < minConditionCoverage {
                Output.write("condition coverage is below the minimum of \(minConditionCoverage) %\n")
                belowMinimum = true
            }
        }
        if failed > 0 || belowMinimum { throw ExitCode(1) }
    }
}
