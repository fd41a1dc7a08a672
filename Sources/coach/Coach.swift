import ArgumentParser
import CoachEngine

/// `coach`: coaching advice from assessment profiles and YAML rules.
@main
struct Coach: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coach",
        abstract: "Coaching advice from Management–Leadership Balance profiles and YAML rules.",
        discussion: """
            Manage things, lead people: Coach reads assessment profiles (16 dimensions in 8 \
            management–leadership pairs, optionally from several rater groups) and recommends \
            what to work on, from rules that coaches edit in YAML.

            Exit codes: 0 success, 1 bad input or failing checks (a rejected profile, a rule set \
            that does not load, a failing rule test, a write that failed), 64 usage errors, 130 \
            and 143 a population command stopped by SIGINT or SIGTERM.
            """,
        subcommands: [
            Advise.self, Batch.self, Stats.self, Diff.self, Generate.self, TestRules.self, Lint.self, ListRules.self,
            Schema.self, Serve.self, Bench.self,
        ]
    )

    @Flag(name: .long, help: "Print the coach version and the version of the rules built into it.")
    var version = false

    /// `coach --version`; `coach` alone prints the help, as before.
    func run() throws {
        guard version else { throw CleanExit.helpRequest(self) }
        Output.write(try Version.text())
    }

    /// Refuses an unknown subcommand with the nearest name before ArgumentParser reads the
    /// arguments (it would call `coach advice x.json` "2 unexpected arguments").
    static func main() async {
        // `_commandName` is ArgumentParser's public name of a command (`test` for TestRules).
        let names = configuration.subcommands.map { $0._commandName }
        if let message = UnknownCommand.message(for: Array(CommandLine.arguments.dropFirst()), commands: names) {
            Output.error(message)
            Self.exit(withError: ExitCode.validationFailure)
        }
        await main(nil)
    }
}
