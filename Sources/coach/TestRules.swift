import ArgumentParser
import CoachEngine

/// `coach test`: runs the rule tests beside the rules.
struct TestRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the rule tests (tests/*.yaml beside the rules)."
    )

    @OptionGroup var ruleOptions: RuleOptions

    @Flag(name: .shortAndLong, help: "List every case, not only the failing ones.")
    var verbose = false

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
        }
        Output.write("rule tests: \(results.count - failed) passed, \(failed) failed\n")
        if failed > 0 { throw ExitCode(1) }
    }
}
