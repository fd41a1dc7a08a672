import ArgumentParser
import CoachEngine
import Foundation

/// `coach generate --count N --seed S`: a realistic synthetic population, CSV or JSON Lines.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A realistic synthetic population of profiles, as CSV or JSON Lines.",
        discussion: """
            Profiles are drawn from a model of management and leadership tendencies, rater \
            groups that agree only weakly, inflated self-ratings and a little missing data \
            (README: Synthetic populations). The same seed and count give the same bytes, and \
            row i depends only on the seed and i. Memory stays flat for any count.

            For benchmarks and yardsticks: --precision writes scores on another grid (integers, \
            halves, eighths, thirds, hundredths) with 5 % of cells missing; --rules-family NAME \
            --output DIR writes a generated rules directory instead (instrument.yaml, \
            generated.yaml, generated.json) of --rule-count rules of one shape family \
            (docs/performance-yardstick.md).
            """
    )

    enum Format: String, Choice {
        case csv, jsonl
    }

    enum Raters: String, Choice {
        case all, none
    }

    /// `PrecisionPopulation.Precision`, as an argument.
    enum Precision: String, Choice {
        case integers, halves, eighths, thirds, hundredths
    }

    /// `SyntheticRuleBook.Family`, as an argument.
    enum RulesFamily: String, Choice {
        case bands, linear, logic, nonlinear, raterViews = "rater-views", mixed
    }

    @Option(name: .long, help: ArgumentHelp("How many profiles: 1 to 1000000000.", valueName: "N"))
    var count: Int?

    @Option(name: .long, help: ArgumentHelp("The seed: the same seed and count give the same bytes.", valueName: "S"))
    var seed: UInt64 = 1

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Output format: csv or jsonl (default: from the output's extension, else csv).", valueName: "FORMAT"),
        completion: .choices(Format.self), transform: Format.parse)
    var format: Format?

    @Option(name: .long, help: ArgumentHelp("Write to FILE instead of standard output.", valueName: "FILE"))
    var output: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "all: every rater group of a 360; none: combined scores only (default: all).", valueName: "all|none"),
        completion: .choices(Raters.self), transform: Raters.parse)
    var raters: Raters = .all

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Scores on this grid, with 5 % of cells missing (CSV only).",
            valueName: "integers|halves|eighths|thirds|hundredths"
        ), completion: .choices(Precision.self), transform: Precision.parse)
    var precision: Precision?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Write a generated rules directory to --output instead of a population.",
            valueName: RulesFamily.allCases.map(\.rawValue).joined(separator: "|")),
        completion: .choices(RulesFamily.self), transform: RulesFamily.parse)
    var rulesFamily: RulesFamily?

    @Option(name: .long, help: ArgumentHelp("How many rules --rules-family generates.", valueName: "N"))
    var ruleCount = 120

    @OptionGroup var ruleOptions: RuleOptions

    func validate() throws {
        if rulesFamily != nil {
            guard output != nil, output != "-" else { throw ValidationError("--rules-family needs --output DIR") }
            guard ruleCount >= 1 else { throw ValidationError("--rule-count must be at least 1") }
            return
        }
        guard let count, (1...1_000_000_000).contains(count) else {
            throw ValidationError("--count must be between 1 and 1000000000\(count.map { ", not \($0)" } ?? "")")
        }
        if precision != nil, try resolvedFormat() != .csv { throw ValidationError("--precision writes CSV only") }
        _ = try resolvedFormat()
    }

    /// `--format`, or the output file's extension, or CSV.
    func resolvedFormat() throws -> SyntheticPopulation.Format {
        if let format { return format == .csv ? .csv : .jsonl }
        guard let output else { return .csv }
        switch URL(fileURLWithPath: output).pathExtension.lowercased() {
        case "jsonl", "ndjson": return .jsonl
        case "json":
            throw ValidationError(
                "'\(output)' would hold JSON Lines (one profile per line), not JSON: name it .jsonl or give --format")
        default: return .csv
        }
    }

    func run() throws {
        if let rulesFamily, let output, let family = SyntheticRuleBook.Family(rawValue: rulesFamily.rawValue) {
            return try GeneratedRules.write(
                SyntheticRuleBook(family: family, seed: seed, ruleCount: ruleCount), to: output)
        }
        let book = try ruleOptions.loadBook()
        let count = count ?? 0
        if let precision, let grid = PrecisionPopulation.Precision(rawValue: precision.rawValue) {
            let population = PrecisionPopulation(
                instrument: book.instrument, seed: seed, count: count, precision: grid,
                raters: raters == .all ? .all : .none)
            let out = try OutputFile(path: output)
            try population.write { try out.write(Array($0.utf8)) }
            return try out.commit()
        }
        let population = SyntheticPopulation(
            instrument: book.instrument, seed: seed, count: count, raters: raters == .all ? .all : .none)
        let format = try resolvedFormat()
        // Written under a temporary name and renamed when complete; a reader that stops early
        // (`coach generate … | head`) ends the command quietly; SIGINT or SIGTERM removes the
        // temporary file (the same seed writes the same population again).
        let interruptions = Interruptions()
        let out = try OutputFile(path: output)
        do {
            try population.write(format) { block in
                if interruptions.cancellation.isCancelled { throw CancellationError() }
                try out.write(block)
            }
            try out.commit()
        } catch let failure as OutputFile.Failure where failure.closedPipe {
            return
        } catch is CancellationError {
            out.abandon()
            let file = output.map { $0 == "-" ? "" : "; \($0) not written" } ?? ""
            Output.note("coach generate: interrupted by \(interruptions.signalName ?? "a signal")\(file)\n")
            throw ExitCode(interruptions.exitCode)
        } catch {
            out.abandon()
            Output.error((error as? OutputFile.Failure)?.message ?? "\(error)")
            throw ExitCode(1)
        }
    }
}
