import ArgumentParser
import CoachEngine
import Foundation

/// The options every population command shares: how to read it, threads, limits.
struct PopulationReading: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "csv or jsonl (default: from the file's extension, or the first byte: '{' is JSONL).",
            valueName: "FORMAT"),
        completion: .choices(PopulationFormat.self), transform: PopulationFormat.parse)
    var inputFormat: PopulationFormat?

    // Optional, so that the help says "every core" once, not also the count of this machine.
    @Option(name: .long, help: ArgumentHelp("Threads to use (default: every core).", valueName: "N"))
    var jobs: Int?

    @Option(
        name: .long,
        help: ArgumentHelp("At most N recommendations per profile (default: the rule set's).", valueName: "N"))
    var limit: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The longest record (line) read; a longer one is an error record (1048576 is 1 MiB).",
            valueName: "BYTES"))
    var maxRecordBytes: Int = 1 << 20

    func validate() throws {
        if let jobs, jobs < 1 || jobs > 256 { throw ValidationError("--jobs must be from 1 to 256") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if maxRecordBytes < 1 || maxRecordBytes > 1 << 30 {
            throw ValidationError("--max-record-bytes must be from 1 to 1073741824")
        }
    }

    /// The run's options for the population at `path` (its extension may name the format).
    func options(for path: String) -> Population.Options {
        Population.Options(
            format: inputFormat ?? PopulationFormat(path: path),
            jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
            limit: limit,
            maxRecordBytes: maxRecordBytes
        )
    }
}

/// The population argument and the shared options (`coach batch`, `coach diff`).
struct PopulationOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("A population as CSV or JSONL, or - for standard input.", valueName: "POPULATION"))
    var population: String

    @OptionGroup var reading: PopulationReading

    var options: Population.Options { reading.options(for: population) }

    func open() throws -> Int32 { try PopulationFile.open(population) }

    var size: Int? { PopulationFile.size(population) }
}

/// A population named on the command line: a file, or `-` for standard input.
enum PopulationFile {
    /// Opens the population (standard input for `-`); exits 1 with a message if it cannot.
    static func open(_ path: String) throws -> Int32 {
        if path == "-" { return STDIN_FILENO }
        let descriptor = Foundation.open(path, O_RDONLY)
        guard descriptor >= 0 else {
            Output.error("cannot read '\(path)': \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        return descriptor
    }

    /// The size of the population file, for an ETA (nil for standard input).
    static func size(_ path: String) -> Int? {
        guard path != "-", let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            return nil
        }
        return (attributes[.size] as? NSNumber)?.intValue
    }
}

extension PopulationFormat: Choice {}
extension Population.AdviceFormat: Choice {}

/// A progress line on standard error, only when it is a terminal: records, rate, ETA.
struct ProgressLine {
    let start = Date()
    let total: Int?
    let enabled = isatty(STDERR_FILENO) == 1
    private var last = Date.distantPast

    init(total: Int?) { self.total = total }

    mutating func update(records: Int, bytes: Int) {
        guard enabled, Date().timeIntervalSince(last) > 0.2 else { return }
        last = Date()
        let elapsed = max(1e-6, last.timeIntervalSince(start))
        var line = "\r\(Self.grouped(records)) records, \(Self.rate(Double(records) / elapsed))"
        if let total, bytes > 0, total > bytes {
            let remaining = elapsed * Double(total - bytes) / Double(bytes)
            line += ", ETA \(Int(remaining.rounded(.up))) s"
        }
        Output.note(line + "   ")
    }

    func clear() {
        if enabled { Output.note("\r\u{1B}[K") }
    }

    var elapsed: TimeInterval { Date().timeIntervalSince(start) }

    static func rate(_ perSecond: Double) -> String {
        perSecond >= 1e6
            ? "\(String(format: "%.2f", perSecond / 1e6)) M records/s"
            : "\(grouped(Int(perSecond.rounded()))) records/s"
    }

    static func grouped(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }
}
