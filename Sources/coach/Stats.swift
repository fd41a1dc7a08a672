import ArgumentParser
import CoachEngine
import Foundation

/// `coach stats POPULATION|-`: how a rule set behaves over a population.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Per-rule fire and recommendation rates, coverage and co-firing over a population.",
        discussion: """
            With --merge, POPULATION arguments are instead JSON files written by \
            'coach stats --format json' (shards of one population), added up exactly; a file that \
            lacks a field or whose figures do not add up is an error. SIGINT or SIGTERM stops a \
            run without writing statistics (exit code 130 or 143).
            """
    )

    enum Format: String, Choice { case text, json, html }

    @Argument(
        help: ArgumentHelp("A population (CSV or JSONL, - for standard input), or stats JSON files with --merge."))
    var inputs: [String]

    @OptionGroup var ruleOptions: RuleOptions

    @OptionGroup var reading: PopulationReading

    @Option(
        name: .long,
        help: ArgumentHelp("text, json or html (a dashboard page with charts) (default: text).", valueName: "FORMAT"),
        completion: .choices(Format.self), transform: Format.parse)
    var format: Format = .text

    @Option(
        name: .long,
        help: ArgumentHelp("Write the statistics to FILE (default: standard output).", valueName: "FILE"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Rules in the HTML co-firing heat map.", valueName: "N"))
    var heatMap = 12

    @Flag(name: .long, help: "Add up stats JSON files instead of reading a population.")
    var merge = false

    @Option(name: .long, help: ArgumentHelp("Co-firing pairs to show in text.", valueName: "N"))
    var pairs = 10

    func validate() throws {
        if inputs.isEmpty {
            throw ValidationError("give a population file, - for standard input, or stats files with --merge")
        }
        if !merge, inputs.count > 1 {
            throw ValidationError("give one population (or use --merge to add up stats files)")
        }
        if heatMap < 2 || heatMap > 40 { throw ValidationError("--heat-map must be from 2 to 40") }
    }

    func run() throws {
        let stats = merge ? try merged() : try computed()
        switch format {
        case .text: try Output.write(stats.text(pairs: pairs), to: output)
        case .json: try Output.write(stats.json() + "\n", to: output)
        case .html:
            let title = merge ? "Merged statistics" : inputs[0] == "-" ? "Standard input" : inputs[0]
            try Output.write(
                StatsDashboard(heatMapRules: heatMap, date: ReportDate.today(), book: try ruleOptions.loadBook())
                    .render(stats, title: title), to: output)
        }
        if !merge { try Batch.failIfRejected(stats.rejected) }
    }

    private func computed() throws -> PopulationStats {
        let book = try ruleOptions.loadBook()
        let descriptor = try PopulationFile.open(inputs[0])
        let interruptions = Interruptions()
        var progress = ProgressLine(total: PopulationFile.size(inputs[0]))
        var notices: [PopulationNotice] = []
        do {
            let stats = try Population.stats(
                book, input: descriptor, options: reading.options(for: inputs[0]),
                cancellation: interruptions.cancellation,
                progress: { progress.update(records: $0, bytes: $1) },
                notice: { notices.append($0) }
            )
            progress.clear()
            Notices.say(notices, command: "stats")
            return stats
        } catch let stop as PopulationInterrupted {
            progress.clear()
            throw interruptions.stopped("stats", stop, nothingWritten: "no statistics written")
        } catch {
            progress.clear()
            Output.error(Batch.describe(error))
            throw ExitCode(1)
        }
    }

    private func merged() throws -> PopulationStats {
        var total: PopulationStats?
        for path in inputs {
            let data: Data?
            if path == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                data = FileManager.default.contents(atPath: path)
            }
            guard let data else {
                Output.error("cannot read '\(path)': \(String(cString: strerror(errno)))")
                throw ExitCode(1)
            }
            do {
                let shard = try PopulationStats(json: [UInt8](data))
                if total == nil { total = shard } else { try total?.add(shard) }
            } catch {
                Output.error("\(path): \(error.message)")
                throw ExitCode(1)
            }
        }
        guard let total else { throw ExitCode(1) }
        return total
    }
}
