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
        /// The longest line read, newline excluded (default 1 MiB). A longer record is rejected
        /// (`record-too-long`) and skipped without being kept in memory; a longer CSV header
        /// row stops the run.
        public var maxRecordBytes: Int
        /// Bytes asked for by one read of the input (smaller in tests, to cut lines anywhere).
        var readSize = 4 << 20
        /// Lines a block holds at most.
        var blockLines = 4_096

        /// Creates options.
        public init(format: PopulationFormat?, jobs: Int, limit: Int? = nil, maxRecordBytes: Int = 1 << 20) {
            self.format = format
            self.jobs = max(1, jobs)
            self.limit = limit
            self.maxRecordBytes = max(1, maxRecordBytes)
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
    /// error records (JSON lines), both in input order; `progress` the records done so far;
    /// `notice` what a person should hear once about the input (``PopulationNotice``). When
    /// `cancellation` stops the run, the records read by then are written and
    /// ``PopulationInterrupted`` is thrown.
    public static func batch(
        _ book: RuleBook,
        input descriptor: Int32,
        options: Options,
        output: AdviceFormat,
        explain: Bool = false,
        cancellation: PopulationCancellation? = nil,
        write: ([UInt8]) throws -> Void,
        writeErrors: ([UInt8]) throws -> Void,
        progress: (_ records: Int, _ bytes: Int) -> Void = { _, _ in },
        notice: (PopulationNotice) -> Void = { _ in }
    ) throws -> BatchSummary {
        let pipeline = PopulationPipeline<BatchTask>(books: [book], options: options, cancellation: cancellation)
        var summary = BatchSummary()
        if output == .csv { try write(Array(BatchTask.csvHeader.utf8)) }
        var done = 0
        let completed = try pipeline.run(
            descriptor: descriptor,
            task: BatchTask(output: output == .csv ? .csv : .jsonl, explain: explain),
            notice: notice
        ) { partial, count, bytes in
            if !partial.output.isEmpty { try write(partial.output) }
            if !partial.errors.isEmpty { try writeErrors(partial.errors) }
            summary.accepted += partial.accepted
            summary.rejected += partial.rejected
            done += count
            progress(done, bytes)
        }
        if !completed { throw PopulationInterrupted(records: done, rejected: summary.rejected) }
        return summary
    }

    /// Fire and recommendation statistics over the input; `notice` receives what a person should
    /// hear once about the input. When `cancellation` stops the run, ``PopulationInterrupted``
    /// is thrown: statistics of part of a population are not returned.
    public static func stats(
        _ book: RuleBook,
        input descriptor: Int32,
        options: Options,
        cancellation: PopulationCancellation? = nil,
        progress: (_ records: Int, _ bytes: Int) -> Void = { _, _ in },
        notice: (PopulationNotice) -> Void = { _ in }
    ) throws -> PopulationStats {
        let pipeline = PopulationPipeline<StatsTask>(books: [book], options: options, cancellation: cancellation)
        var stats = PopulationStats(book: book)
        var done = 0
        let completed = try pipeline.run(descriptor: descriptor, task: StatsTask(book: book), notice: notice) {
            partial, count, bytes in
            try stats.add(partial.stats)
            done += count
            progress(done, bytes)
        }
        if !completed { throw PopulationInterrupted(records: done, rejected: stats.rejected) }
        return stats
    }

    /// How the advice of the input's profiles changes from `old` to `new` rules; `notice`
    /// receives what a person should hear once about the input. When `cancellation` stops the
    /// run, ``PopulationInterrupted`` is thrown.
    public static func diff(
        old: RuleBook,
        new: RuleBook,
        input descriptor: Int32,
        options: Options,
        cancellation: PopulationCancellation? = nil,
        progress: (_ records: Int, _ bytes: Int) -> Void = { _, _ in },
        notice: (PopulationNotice) -> Void = { _ in }
    ) throws -> PopulationDiff {
        let pipeline = PopulationPipeline<DiffTask>(books: [old, new], options: options, cancellation: cancellation)
        var diff = PopulationDiff()
        diff.oldVersion = old.version
        diff.newVersion = new.version
        var done = 0
        let completed = try pipeline.run(descriptor: descriptor, task: DiffTask(), notice: notice) {
            partial, count, bytes in
            diff.add(partial)
            done += count
            progress(done, bytes)
        }
        if !completed { throw PopulationInterrupted(records: done, rejected: diff.rejected) }
        return diff
    }
}
