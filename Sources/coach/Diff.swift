import ArgumentParser
import CoachEngine
import Foundation

/// `coach diff --rules OLD --against NEW POPULATION`: whose advice a rule change would alter.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "How a rule change would alter a population's advice.",
        usage: "coach diff [--rules OLD] --against NEW [<options>] <POPULATION>",
        discussion: """
            Evaluates every profile under the old rules (--rules, default: built in) and the new \
            ones (--against) and reports how many profiles' recommendations change, and per rule \
            how many profiles gain or lose it.
            """
    )

    enum Format: String, Choice { case text, json }

    @OptionGroup var input: PopulationOptions
    @OptionGroup var ruleOptions: RuleOptions

    @Option(name: .long, help: ArgumentHelp("The changed rules directory.", valueName: "NEW"))
    var against: String

    @Option(
        name: .long, help: ArgumentHelp("text or json (default: text).", valueName: "FORMAT"),
        completion: .choices(Format.self), transform: Format.parse)
    var format: Format = .text

    func run() throws {
        let old = try ruleOptions.loadBook()
        let new = try RuleOptions(rules: against).loadBook()
        let descriptor = try input.open()
        let interruptions = Interruptions()
        var progress = ProgressLine(total: input.size)
        let diff: PopulationDiff
        var notices: [PopulationNotice] = []
        do {
            diff = try Population.diff(
                old: old, new: new, input: descriptor, options: input.options,
                cancellation: interruptions.cancellation,
                progress: { progress.update(records: $0, bytes: $1) },
                notice: { notices.append($0) }
            )
        } catch let stop as PopulationInterrupted {
            progress.clear()
            throw interruptions.stopped("diff", stop, nothingWritten: "no report written")
        } catch {
            progress.clear()
            Output.error(Batch.describe(error))
            throw ExitCode(1)
        }
        progress.clear()
        Notices.say(notices, command: "diff")
        switch format {
        case .text: Output.write(diff.text())
        case .json: Output.write(diff.json() + "\n")
        }
        // As `coach batch` and `coach stats`: a rejected record is exit 1, after the report.
        try Batch.failIfRejected(diff.rejected)
    }
}
