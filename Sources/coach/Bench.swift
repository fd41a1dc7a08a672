import ArgumentParser
import CoachEngine
import Foundation

/// `coach bench [POPULATION]`: what a rule set costs over a population, stage by stage and
/// rule by rule (like `opa bench` and `opa eval --profile`).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time a rule set over a population: stages, profiles per second, and each rule's cost.",
        discussion: """
            Runs the rules as 'coach stats' does, with every evaluator timing its work. Prints \
            the CPU time of reading and parsing, evaluating (leaf tests and rule formulas), \
            resolving (priority, groups, suppression, limit) and counting statistics; \
            evaluation's profiles per second on one core; and per rule its cost in nanoseconds \
            a profile (its formula plus its share of every leaf, derived column and threshold \
            it reads, each split among the rules that share it), the form it was compiled to \
            and how often it fired. Without POPULATION, a synthetic 360 population of --count \
            profiles is generated first (not timed). Timers cost a few nanoseconds a profile; \
            'coach stats' runs without them.
            """
    )

    enum Format: String, Choice { case text, json }

    @Argument(
        help: ArgumentHelp(
            "A population (CSV or JSONL, - for standard input); default: a generated one.",
            valueName: "POPULATION"))
    var population: String?

    @OptionGroup var ruleOptions: RuleOptions

    @OptionGroup var reading: PopulationReading

    @Option(
        name: .long, help: ArgumentHelp("text or json (default: text).", valueName: "FORMAT"),
        completion: .choices(Format.self), transform: Format.parse)
    var format: Format = .text

    @Option(name: .long, help: ArgumentHelp("Profiles to generate when no POPULATION is given.", valueName: "N"))
    var count = 200_000

    @Option(name: .long, help: ArgumentHelp("Seed of the generated population.", valueName: "S"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("Costliest rules to list in text.", valueName: "N"))
    var top = 15

    @Option(
        name: .long,
        help: ArgumentHelp("Write the report to FILE (default: standard output).", valueName: "FILE"))
    var output: String?

    func validate() throws {
        guard (1...100_000_000).contains(count) else {
            throw ValidationError("--count must be between 1 and 100000000, not \(count)")
        }
        if top < 1 { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        let book = try ruleOptions.loadBook()
        var path = population
        var generated: URL?
        if path == nil {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent(
                "coach-bench-\(ProcessInfo.processInfo.processIdentifier).csv")
            try write(SyntheticPopulation(instrument: book.instrument, seed: seed, count: count, raters: .all), to: url)
            generated = url
            path = url.path
        }
        defer { if let generated { try? FileManager.default.removeItem(at: generated) } }
        guard let path else { return }
        let descriptor = try PopulationFile.open(path)
        let interruptions = Interruptions()
        let report: PopulationBenchmark
        do {
            report = try PopulationBenchmark.run(
                book, input: descriptor, options: reading.options(for: generated == nil ? path : "generated.csv"),
                cancellation: interruptions.cancellation)
        } catch let stop as PopulationInterrupted {
            throw interruptions.stopped("bench", stop, nothingWritten: "no report written")
        } catch {
            Output.error(Batch.describe(error))
            throw ExitCode(1)
        }
        switch format {
        case .text: try Output.write(report.text(top: top), to: output)
        case .json: try Output.write(report.json(ruleSetVersion: book.version) + "\n", to: output)
        }
        try Batch.failIfRejected(report.rejected)
    }

    /// Writes the generated population as CSV to `url`.
    private func write(_ population: SyntheticPopulation, to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: url)
        else {
            Output.error("cannot write a generated population to '\(url.path)'")
            throw ExitCode(1)
        }
        defer { try? handle.close() }
        try population.write(.csv) { block in try handle.write(contentsOf: block) }
    }
}
