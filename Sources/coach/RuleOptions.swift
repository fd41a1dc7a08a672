import ArgumentParser
import CoachEngine

/// `--rules DIR`, shared by every command that reads rules.
struct RuleOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The rules directory (instrument.yaml, rule files, tests/).",
            discussion: "Default: the rules built into this binary.",
            valueName: "DIR"
        )
    )
    var rules: String?

    init() {}

    init(rules: String?) { self.rules = rules }

    /// Loads the rule book, or prints every load error like a compiler and exits 1.
    func loadBook() throws -> RuleBook {
        do {
            if let rules { return try RuleBook.load(directory: rules) }
            return try RuleBook.builtin()
        } catch {
            Output.error(error.rendered)
            throw ExitCode(1)
        }
    }
}
