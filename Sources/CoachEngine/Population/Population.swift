/// Running populations through rule books: the library behind `coach batch`, `coach stats` and
/// `coach diff`. Input is read from a file descriptor in blocks; records are parsed, evaluated
/// with the compiled rule book and resolved on `jobs` threads; results come back in input order.
public enum Population {
    /// Options shared by every population run.
    public struct Options: Sendable {
        /// The input's format; `nil` decides from the first byte (`{` is JSONL, else CSV).
        public var format: PopulationFormat?
        /// Threads to use (at least 1).
        public var jobs: Int
        /// The recommendation limit; `nil` takes each rule set's default.
        public var limit: Int?

        /// Creates options.
        public init(format: PopulationFormat?, jobs: Int, limit: Int? = nil) {
            self.format = format
            self.jobs = max(1, jobs)
            self.limit = limit
        }
    }

    /// What `batch` writes for each accepted profile.
    public enum AdviceFormat: String, Sendable, CaseIterable {
        /// One advice JSON object per line (the `coach advise --format json` contract, with a
        /// leading `record`).
        case jsonl
        /// One CSV row per profile: `record,id,level,recommendations,fired` (ids joined by `;`).
        case csv
    }

    /// Counts of a batch run.
    public struct BatchSummary: Sendable {
        /// Profiles that got advice.
        public var accepted = 0
        /// Records rejected.
        public var rejected = 0
    }

    /// Advice for every record of the input. `write` receives advice bytes and `writeErrors`
    /// error records (JSON lines), both in input order; `progress` the records done so far.
    public static func batch(
        _ book: RuleBook,
        input descriptor: Int32,
        options: Options,
        output: AdviceFormat,
        explain: Bool = false,
        write: ([UInt8]) throws -> Void,
        writeErrors: ([UInt8]) throws -> Void,
        progress: (_ records: Int, _ bytes: Int) -> Void = { _, _ in }
    ) throws -> BatchSummary {
        let pipeline = PopulationPipeline<BatchTask>(books: [book], options: options)
        var summary = BatchSummary()
        if output == .csv { try write(Array(BatchTask.csvHeader.utf8)) }
        var done = 0
        try pipeline.run(
            descriptor: descriptor,
            task: BatchTask(output: output == .csv ? .csv : .jsonl, explain: explain)
        ) { partial, count, bytes in
            if !partial.output.isEmpty { try write(partial.output) }
            if !partial.errors.isEmpty { try writeErrors(partial.errors) }
            summary.accepted += partial.accepted
            summary.rejected += partial.rejected
            done += count
            progress(done, bytes)
        }
        return summary
    }

    /// Fire and recommendation statistics over the input.
    public static func stats(
        _ book: RuleBook,
        input descriptor: Int32,
        options: Options,
        progress: (_ records: Int, _ bytes: Int) -> Void = { _, _ in }
    ) throws -> PopulationStats {
        let pipeline = PopulationPipeline<StatsTask>(books: [book], options: options)
        var stats = PopulationStats(book: book)
        var done = 0
        try pipeline.run(descriptor: descriptor, task: StatsTask(book: book)) { partial, count, bytes in
            try stats.add(partial.stats)
            done += count
            progress(done, bytes)
        }
        return stats
    }

    /// How the advice of the input's profiles changes from `old` to `new` rules.
    public static func diff(
        old: RuleBook,
        new: RuleBook,
        input descriptor: Int32,
        options: Options,
        progress: (_ records: Int, _ bytes: Int) -> Void = { _, _ in }
    ) throws -> PopulationDiff {
        let pipeline = PopulationPipeline<DiffTask>(books: [old, new], options: options)
        var diff = PopulationDiff()
        diff.oldVersion = old.version
        diff.newVersion = new.version
        var done = 0
        try pipeline.run(descriptor: descriptor, task: DiffTask()) { partial, count, bytes in
            diff.add(partial)
            done += count
            progress(done, bytes)
        }
        return diff
    }
}
