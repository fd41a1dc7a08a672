import ArgumentParser
import CoachEngine
import Foundation

/// `coach advise [PROFILE|-]`: advice for one profile.
struct Advise: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Advice for one profile.",
        discussion: """
            PROFILE is a JSON file: {"id": "p1", "level": "team", "scores": {"control": 4.5, …}, \
            "raters": {"self": {"count": 1, "scores": {…}}, "peers": {"count": 4, "scores": {…}}}}. \
            Use - (or nothing, with input piped in) to read standard input.
            """
    )

    enum Format: String, Choice {
        case text, json, markdown, html

        static let aliases: [String: Format] = ["md": .markdown]
    }

    @Argument(help: ArgumentHelp("A profile as JSON, or - for standard input.", valueName: "PROFILE"))
    var profile: String?

    @OptionGroup var ruleOptions: RuleOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Output format: text, json, markdown (or md) or html (a self-contained page with charts) "
                + "(default: text).",
            valueName: "FORMAT"),
        completion: .choices(Format.self), transform: Format.parse)
    var format: Format = .text

    @Option(
        name: .long,
        help: ArgumentHelp("Write the report to FILE (default: standard output).", valueName: "FILE"))
    var output: String?

    @Option(
        name: .long, help: ArgumentHelp("At most N recommendations (default: the rule set's limit).", valueName: "N"))
    var limit: Int?

    @Flag(name: .long, help: "Show the conditions behind each recommendation, with the values read.")
    var explain = false

    @Option(
        name: .long,
        help: ArgumentHelp("The largest profile accepted (1048576 is 1 MiB); no more is read.", valueName: "BYTES"))
    var maxProfileBytes = ProfileLimits.default.maxBytes

    @Option(
        name: .customLong("why-not"),
        help: ArgumentHelp(
            "Explain why RULE is not recommended: failed conditions with the values read, the smallest change "
                + "of one score that makes it fire, or what beat it.",
            valueName: "RULE"))
    var whyNot: String?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if maxProfileBytes < 1 { throw ValidationError("--max-profile-bytes must be at least 1") }
        if profile == nil, isatty(STDIN_FILENO) == 1 {
            throw ValidationError("give a profile file, or - to read one from standard input")
        }
    }

    func run() throws {
        let book = try ruleOptions.loadBook()
        let source = profile ?? "-"
        // One byte past the limit is enough to know that the profile is too large.
        let handle = source == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: source)
        let readLimit = maxProfileBytes == .max ? maxProfileBytes : maxProfileBytes + 1
        let data: Data
        do {
            guard let handle else { throw POSIXError(.ENOENT) }
            // Nil at the end of the input: an empty profile, which the reader reports.
            data = try handle.read(upToCount: readLimit) ?? Data()
        } catch {
            Output.error("cannot read profile '\(source)': no such file or not readable")
            throw ExitCode(1)
        }
        let name = source == "-" ? "<stdin>" : source
        if let whyNot {
            try explainWhyNot(whyNot, book: book, data: data, name: name)
            return
        }
        let advice: Advice
        let parsed: Profile
        do {
            parsed = try Profile(json: data, limits: limits)
            // HTML folds the conditions behind each recommendation, so it always explains.
            advice = try book.advise(parsed, options: AdviceOptions(limit: limit, explain: explain || format == .html))
        } catch {
            throw report(error, name: name)
        }
        let toTerminal = (output == nil || output == "-") && isatty(STDOUT_FILENO) == 1
        let text: String
        switch format {
        case .text:
            let color = TextReport.colorAllowed(
                environment: ProcessInfo.processInfo.environment, isTerminal: toTerminal)
            text = TextReport(color: color).render(advice, explained: explain)
        case .json: text = advice.json(explained: explain) + "\n"
        case .markdown:
            text = MarkdownReport().render(
                advice, scores: try book.scoreSheet(parsed), explained: explain,
                alsoFired: try book.alsoFired(advice, for: parsed))
        case .html:
            text = HTMLReport(date: ReportDate.today()).render(
                advice, scores: try book.scoreSheet(parsed), alsoFired: try book.alsoFired(advice, for: parsed))
        }
        try Output.write(text, to: output)
    }

    private func explainWhyNot(_ id: String, book: RuleBook, data: Data, name: String) throws {
        guard book.rule(id: id) != nil else {
            Output.error(book.unknownRuleMessage(id))
            throw ExitCode(1)
        }
        do {
            let parsed = try Profile(json: data, limits: limits)
            if let answer = try book.whyNot(parsed, rule: id, options: AdviceOptions(limit: limit)) {
                Output.write(answer.text)
            }
        } catch {
            throw report(error, name: name)
        }
    }

    /// The profile limits of this run.
    private var limits: ProfileLimits { ProfileLimits(maxBytes: maxProfileBytes) }

    /// Reports a rejected profile on standard error; the exit code to end with.
    private func report(_ error: ProfileError, name: String) -> ExitCode {
        let field = error.code == .tooLarge ? " (--max-profile-bytes)" : error.field.map { " (\($0))" } ?? ""
        Output.error("\(name): \(error.reason)\(field)")
        return ExitCode(1)
    }
}
