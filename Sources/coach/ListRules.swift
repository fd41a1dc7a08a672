import ArgumentParser
import CoachEngine

/// `coach rules`: the rules as a table or JSON, with filters.
struct ListRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rules: id, title, priority, group, levels and where each is written."
    )

    enum Format: String, Choice {
        case text, json
    }

    @OptionGroup var ruleOptions: RuleOptions

    @Option(name: .long, help: "Only rules with this tag.")
    var tag: String?

    @Option(name: .long, help: "Only rules that apply at this level.")
    var level: String?

    @Option(name: .long, help: "Only rules whose condition reads this dimension.")
    var dimension: String?

    @Option(
        name: .long, help: ArgumentHelp("Output format: text or json (default: text).", valueName: "FORMAT"),
        completion: .choices(Format.self), transform: Format.parse)
    var format: Format = .text

    func run() throws {
        let book = try ruleOptions.loadBook()
        let table: RuleTable
        do {
            table = try RuleTable(book, filter: RuleTable.Filter(tag: tag, level: level, dimension: dimension))
        } catch {
            Output.error(error.message)
            throw ExitCode(1)
        }
        for note in table.notes { Output.note("coach: note: \(note)\n") }
        switch format {
        case .text: Output.write(table.text)
        case .json: Output.write(table.json)
        }
    }
}
