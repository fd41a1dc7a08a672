import ArgumentParser
import CoachEngine
import Foundation

/// `coach batch POPULATION|-`: advice for every profile of a population, in input order.
struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Advice for every profile of a population (CSV or JSONL in; JSONL or CSV out).",
        discussion: """
            Every record yields one advice record or one error record; the exit code is 1 when any \
            record was rejected. Error records go to --errors as JSON lines ({"record", "line", \
            "id", "error", "code", "field"}), or to standard error. A line longer than 1 MiB is a \
            rejected record (record-too-long). SIGINT or SIGTERM stops the run after the records \
            read so far: exit code 130 or 143, and --output and --errors files are kept as \
            FILE.partial.
            """
    )

    @OptionGroup var input: PopulationOptions
    @OptionGroup var ruleOptions: RuleOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "jsonl (advice JSON per line) or csv (record,id,level,recommendations,fired) (default: jsonl).",
            valueName: "FORMAT"),
        completion: .choices(Population.AdviceFormat.self), transform: Population.AdviceFormat.parse)
    var format: Population.AdviceFormat = .jsonl

    @Option(
        name: [.short, .long], help: ArgumentHelp("Write advice to FILE (default: standard output).", valueName: "FILE")
    )
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Write error records to FILE as JSON lines.", valueName: "FILE"))
    var errors: String?

    @Flag(name: .long, help: "Explain each recommendation (JSONL only).")
    var explain = false

    func run() throws {
        let book = try ruleOptions.loadBook()
        let descriptor = try input.open()
        let interruptions = Interruptions()
        let out = try OutputFile(path: output)
        let errorFile = try errors.map { try OutputFile(path: $0) }
        var progress = ProgressLine(total: input.size)
        var accepted = 0
        var rejected = 0
        var interrupted = false
        var kept: [String] = []
        var notices: [PopulationNotice] = []
        do {
            do {
                let summary = try Population.batch(
                    book,
                    input: descriptor,
                    options: input.options,
                    output: format,
                    explain: explain,
                    cancellation: interruptions.cancellation,
                    write: { try out.write($0) },
                    writeErrors: { bytes in
                        if let errorFile {
                            try errorFile.write(bytes)
                        } else {
                            Self.describeErrors(bytes)
                        }
                    },
                    progress: { progress.update(records: $0, bytes: $1) },
                    notice: { notices.append($0) }
                )
                (accepted, rejected) = (summary.accepted, summary.rejected)
                try out.commit()
                try errorFile?.commit()
            } catch let stop as PopulationInterrupted {
                // What was read is written: kept under names that say it is incomplete.
                (accepted, rejected, interrupted) = (stop.records - stop.rejected, stop.rejected, true)
                kept = try [out.keepPartial(), errorFile?.keepPartial()].compactMap { $0 }
            }
        } catch let failure as OutputFile.Failure where failure.closedPipe {
            // The reader has what it wanted (`coach batch … | head`): stop quietly.
            progress.clear()
            errorFile?.abandon()
            return
        } catch {
            progress.clear()
            out.abandon()
            errorFile?.abandon()
            Output.error(Self.describe(error))
            throw ExitCode(1)
        }
        progress.clear()
        Notices.say(notices, command: "batch")
        let total = accepted + rejected
        let rate = ProgressLine.rate(Double(total) / max(1e-6, progress.elapsed))
        var line = "coach batch: "
        if interrupted { line += "interrupted by \(interruptions.signalName ?? "a signal") after " }
        line +=
            "\(ProgressLine.grouped(total)) record\(total == 1 ? "" : "s"): \(ProgressLine.grouped(accepted)) advised, "
            + "\(ProgressLine.grouped(rejected)) rejected"
        if rejected > 0, let errors, !interrupted { line += " (see \(errors))" }
        line += " in \(String(format: "%.2f", progress.elapsed)) s (\(rate))"
        if !kept.isEmpty { line += "; incomplete output kept in \(kept.joined(separator: " and "))" }
        Output.note(line + "\n")
        if interrupted { throw ExitCode(interruptions.exitCode) }
        if rejected > 0 { throw ExitCode(1) }
    }

    /// Error records as lines a person reads, on standard error.
    static func describeErrors(_ bytes: [UInt8]) {
        Output.write(bytes, to: STDERR_FILENO)
    }

    /// After a report over a population (`coach stats`, `coach diff`): exit 1, saying where to
    /// find the reasons, when any record was rejected.
    static func failIfRejected(_ rejected: Int) throws {
        guard rejected > 0 else { return }
        Output.error(
            "\(rejected) record\(rejected == 1 ? " was" : "s were") rejected; "
                + "'coach batch POPULATION --errors FILE' lists each with its reason")
        throw ExitCode(1)
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PopulationError { return error.message }
        if let error = error as? OutputFile.Failure { return error.message }
        return "\(error)"
    }
}
