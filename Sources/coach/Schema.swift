import ArgumentParser
import CoachEngine

/// `coach schema`: the JSON Schema of the files in a rules directory.
struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the JSON Schema (2020-12) of the instrument, rule and rule-test files.",
        discussion: """
            Point YAML editors at it with a first line such as \
            '# yaml-language-server: $schema=../schema/coach-rules.schema.json'. \
            The built-in copy is schema/coach-rules.schema.json in the repository.
            """
    )

    @OptionGroup var ruleOptions: RuleOptions

    func run() throws {
        Output.write(RuleSchema.json(for: try ruleOptions.loadBook()))
    }
}
