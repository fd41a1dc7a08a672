/// One record of a population read as a stream: its advice, or why it was rejected. Records
/// come in input order; every record yields exactly one of the two.
public enum PopulationRecord: Sendable {
    /// The record's advice.
    case advice(RecordPosition, Advice)
    /// The record was rejected; `error.record` is its record number.
    case rejected(RecordPosition, id: String?, ProfileError)

    /// Where the record stands in its input.
    public var position: RecordPosition {
        switch self {
        case .advice(let position, _), .rejected(let position, _, _): position
        }
    }

    /// The record as one JSON line (without the newline): the advice JSON with a leading
    /// `record`, or the error record that `coach batch --errors` writes.
    public func jsonBytes(explained: Bool = false) -> [UInt8] {
        switch self {
        case .advice(let position, let advice):
            advice.jsonBytes(explained: explained, record: position.record)
        case .rejected(let position, let id, let error):
            Array(ErrorRecord.json(position, id: id, error).utf8)
        }
    }
}

extension RuleBook {
    /// Advice for every record of a population that arrives as chunks of bytes — JSON Lines, or
    /// CSV with a header row — in input order, as an async sequence. A record that does not fit
    /// the instrument becomes a `.rejected` element and the stream goes on; only the chunks'
    /// own errors and a CSV header that cannot be read end it. Memory stays bounded: a line
    /// longer than `maxRecordBytes` is rejected without being kept.
    ///
    /// ```swift
    /// for try await record in book.advice(for: chunks, format: .jsonl) {
    ///     print(String(decoding: record.jsonBytes(), as: UTF8.self))
    /// }
    /// ```
    public func advice<Chunks: AsyncSequence>(
        for chunks: Chunks,
        format: PopulationFormat? = nil,
        options: AdviceOptions = AdviceOptions(),
        maxRecordBytes: Int = 1 << 20
    ) -> AdviceSequence<Chunks> where Chunks.Element: Sequence<UInt8> {
        AdviceSequence(book: self, chunks: chunks, format: format, options: options, maxRecordBytes: maxRecordBytes)
    }
}

/// The async sequence of `RuleBook.advice(for:format:options:maxRecordBytes:)`.
public struct AdviceSequence<Chunks: AsyncSequence>: AsyncSequence where Chunks.Element: Sequence<UInt8> {
    /// Each record's advice or rejection.
    public typealias Element = PopulationRecord

    let book: RuleBook
    let chunks: Chunks
    let format: PopulationFormat?
    let options: AdviceOptions
    let maxRecordBytes: Int

    /// Starts reading the chunks.
    public func makeAsyncIterator() -> Iterator {
        Iterator(sequence: self)
    }

    /// Reads lines out of the chunks and advises record by record.
    public struct Iterator: AsyncIteratorProtocol {
        private var chunks: Chunks.AsyncIterator
        private let book: RuleBook
        private let options: AdviceOptions
        private let limit: Int
        private let maxRecordBytes: Int
        private var format: PopulationFormat?
        private var evaluator: RecordRunner?
        private var buffer: [UInt8] = []
        private var start = 0
        /// Bytes before this index hold no newline after `start`.
        private var scanned = 0
        private var line = 0
        private var record = 0
        private var ended = false
        /// Set while the rest of an over-long line is being skipped.
        private var skipping = false
        /// Whether the input's start has been looked at for a byte-order mark.
        private var startChecked = false

        init(sequence: AdviceSequence) {
            chunks = sequence.chunks.makeAsyncIterator()
            book = sequence.book
            options = sequence.options
            limit = sequence.options.limit ?? sequence.book.instrument.defaultLimit
            maxRecordBytes = Swift.max(1, sequence.maxRecordBytes)
            format = sequence.format
        }

        /// The next record, or `nil` at the end of the input.
        public mutating func next() async throws -> PopulationRecord? {
            while true {
                if !startChecked, buffer.count >= 3 || ended || buffer.contains(0x0A) {
                    // A byte-order mark at the very start of the input is dropped, as `coach batch` does.
                    startChecked = true
                    if line == 0, start == 0, buffer.starts(with: PopulationFormat.byteOrderMark) {
                        start = 3
                        scanned = 3
                    }
                }
                if let newline = buffer[Swift.max(start, scanned)...].firstIndex(of: 0x0A) {
                    let lineStart = start
                    start = newline + 1
                    scanned = start
                    line += 1
                    if newline - lineStart > maxRecordBytes {
                        // A whole line arrived in one chunk, yet it is too long all the same.
                        if evaluator == nil, format == nil { format = .of(firstLine: buffer[lineStart..<newline]) }
                        if let result = try tooLong(line: line) { return result }
                    } else if let result = try process(lineStart..<newline) {
                        return result
                    }
                    continue
                }
                scanned = buffer.count
                if buffer.count - start > maxRecordBytes {
                    // Too long to be a record: reject it now and drop its bytes as they come.
                    if evaluator == nil, format == nil { format = .of(firstLine: buffer[start...]) }
                    buffer.removeAll(keepingCapacity: true)
                    start = 0
                    scanned = 0
                    if !skipping {
                        skipping = true
                        if let result = try tooLong(line: line + 1) { return result }
                    }
                    continue
                }
                if ended {
                    if start < buffer.count, !skipping {
                        let lineStart = start
                        start = buffer.count
                        line += 1
                        if let result = try process(lineStart..<buffer.count) { return result }
                    }
                    // Nothing but blank lines, where a CSV header row belongs: as `coach batch` says.
                    if evaluator == nil, format != .jsonl { throw PopulationError.emptyCSV }
                    return nil
                }
                if start > 0 {
                    buffer.removeFirst(start)
                    scanned -= start
                    start = 0
                }
                if let chunk = try await chunks.next() {
                    if skipping {
                        // Only the bytes after the over-long line's end are kept.
                        for byte in chunk {
                            if !skipping {
                                buffer.append(byte)
                            } else if byte == 0x0A {
                                skipping = false
                                line += 1
                            }
                        }
                    } else {
                        buffer.append(contentsOf: chunk)
                    }
                } else {
                    ended = true
                }
            }
        }

        /// Handles one complete line: a header, a blank line (nothing) or a record.
        private mutating func process(_ range: Range<Int>) throws -> PopulationRecord? {
            try buffer.withUnsafeBufferPointer { bytes throws -> PopulationRecord? in
                let text = UnsafeBufferPointer(rebasing: bytes[range])
                if isBlankLine(text) { return nil }
                if evaluator == nil {
                    try start(with: text)
                    // A CSV population's first line is its header, not a record.
                    if format == .csv { return nil }
                }
                guard let evaluator else { return nil }
                record += 1
                let position = RecordPosition(record: record, line: line)
                do throws(ProfileError) {
                    try evaluator.evaluate(text, limit: limit)
                    return .advice(position, evaluator.advice(explain: options.explain))
                } catch {
                    var error = error
                    error.record = record
                    return .rejected(position, id: evaluator.id, error)
                }
            }
        }

        /// Decides the format from the first line and, for CSV, reads the header.
        private mutating func start(with first: UnsafeBufferPointer<UInt8>) throws {
            let format = self.format ?? .of(firstLine: first)
            self.format = format
            var csv: CSVPopulation?
            if format == .csv {
                csv = try CSVPopulation(header: Array(first), instrument: book.instrument)
            }
            evaluator = RecordRunner(book: book, csv: csv)
        }

        /// The rejection of line `line`, longer than `maxRecordBytes`.
        private mutating func tooLong(line: Int) throws -> PopulationRecord? {
            if evaluator == nil, format != .jsonl { throw PopulationError.headerTooLong(limit: maxRecordBytes) }
            if evaluator == nil { evaluator = RecordRunner(book: book, csv: nil) }
            record += 1
            let position = RecordPosition(record: record, line: line)
            return .rejected(position, id: nil, .recordTooLong(limit: maxRecordBytes, record: record))
        }
    }
}
