import Dispatch
import Foundation

/// Where a record stands in its input: its number among the records (1-based, header and blank
/// lines not counted) and its line number.
public struct RecordPosition: Sendable, Hashable {
    /// 1-based among the records.
    public var record: Int
    /// 1-based line in the input.
    public var line: Int
}

/// What a population run does with each record, on whichever thread evaluated it, into a
/// per-block partial result that the pipeline delivers in input order.
protocol PopulationTask: Sendable {
    associatedtype Partial: Sendable
    func makePartial() -> Partial
    /// Processes one block of lines; the default parses, evaluates and resolves record by
    /// record through `accept` and `reject`. Returns the partial result and the records seen.
    func process(_ block: LineBlock, firstRecord: Int, evaluators: [RecordRunner], limits: [Int]) -> (Partial, Int)
    /// A record that every rule book accepted (`evaluators` in the order of the books).
    func accept(_ position: RecordPosition, _ evaluators: [RecordRunner], into partial: inout Partial)
    /// A record that was rejected, and why.
    func reject(_ position: RecordPosition, id: String?, _ error: ProfileError, into partial: inout Partial)
}

/// Streams a population through one or more rule books: reads blocks of lines, parses,
/// evaluates and resolves them on `jobs` threads, and delivers each block's partial result in
/// input order. Memory stays bounded by `jobs × 2` blocks, whatever the input's length. A line
/// longer than `maxRecordBytes` is a rejected record (`record-too-long`), never kept in memory.
struct PopulationPipeline<Task: PopulationTask> {
    let books: [RuleBook]
    /// The input's format; `nil` decides from the first byte (`{` is JSONL, anything else CSV).
    let format: PopulationFormat?
    let jobs: Int
    let limit: Int?
    let maxRecordBytes: Int
    let readSize: Int
    let blockLines: Int
    let cancellation: PopulationCancellation?

    /// A pipeline over `books` with a run's options.
    init(books: [RuleBook], options: Population.Options, cancellation: PopulationCancellation? = nil) {
        self.books = books
        format = options.format
        jobs = options.jobs
        limit = options.limit
        maxRecordBytes = options.maxRecordBytes
        readSize = options.readSize
        blockLines = options.blockLines
        self.cancellation = cancellation
    }

    /// Runs the input; `deliver` receives each block's partial result, its record count and the
    /// input bytes read so far, in order; `notice` what a person should hear once about the
    /// input (before the blocks it concerns are delivered). True when the whole input was read;
    /// false when the cancellation stopped the reading (what had been read is delivered all the
    /// same).
    func run(
        descriptor: Int32,
        task: Task,
        notice: (PopulationNotice) -> Void = { _ in },
        deliver: (Task.Partial, Int, Int) throws -> Void
    ) throws -> Bool {
        let reader = LineReader(
            descriptor: descriptor, readSize: readSize, maxLineBytes: maxRecordBytes, cancellation: cancellation)
        var csv: [CSVPopulation?] = books.map { _ in nil }
        var format = self.format
        if format == nil {
            do {
                format = PopulationFormat.of(firstByte: try reader.peekFirstByte())
            } catch {
                throw PopulationError(error.message)
            }
        }
        if format == .csv {
            // The header is the first line that is not blank, as in `RuleBook.advice(for:)`.
            var header: LineBlock
            repeat {
                do {
                    header = try reader.next(maxLines: 1)
                } catch {
                    throw PopulationError(error.message)
                }
            } while !header.overlong && header.lines.first.map { isBlankLine(header.bytes[$0]) } == true
            if reader.stopped { return false }
            if header.overlong { throw PopulationError.headerTooLong(limit: maxRecordBytes) }
            guard let range = header.lines.first else {
                throw PopulationError.emptyCSV
            }
            let line = Array(header.bytes[range])
            csv = try books.map { book throws(PopulationError) in
                try CSVPopulation(header: line, instrument: book.instrument)
            }
        }
        var nextRecord = 1
        // JSON Lines: whether the first record has been looked at for a pretty-printed document.
        var firstRecordSeen = format != .jsonl
        let parallel = max(1, jobs)
        let evaluatorPool = Pool<[RecordRunner]>()
        // Blocks flow through a window of at most `2 × jobs`: the main thread reads the next
        // block while workers evaluate earlier ones, and delivers results in input order.
        let window = parallel * 2
        let workers = DispatchSemaphore(value: parallel)
        // A private concurrent queue, not a global one: its threads are not the ones Swift
        // concurrency runs tasks on, so a caller on an async path (the `coach` command line, a
        // service) blocking in this loop does not take a worker's thread away.
        let queue = DispatchQueue(label: "coach.population", qos: .userInitiated, attributes: .concurrent)
        var pending: [Slot<(Task.Partial, Int)>] = []
        func deliverFirst() throws {
            let slot = pending.removeFirst()
            slot.done.wait()
            guard let (partial, count) = slot.value else { return }
            try deliver(partial, count, reader.bytesConsumed)
        }
        while true {
            let block: LineBlock
            do {
                block = try reader.next(maxLines: blockLines)
            } catch {
                throw PopulationError(error.message)
            }
            if block.isEnd { break }
            if !firstRecordSeen, !block.overlong,
                let first = block.lines.first(where: { !isBlankLine(block.bytes[$0]) })
            {
                firstRecordSeen = true
                if PopulationNotice.startsMultilineDocument(block.bytes[first]) { notice(.prettyPrintedJSON) }
            }
            let firstRecord = nextRecord
            nextRecord += block.overlong ? 1 : block.lines.count { !isBlankLine(block.bytes[$0]) }
            while pending.count >= window { try deliverFirst() }
            let slot = Slot<(Task.Partial, Int)>()
            pending.append(slot)
            if block.overlong {
                // Nothing to parse: the rejection is made here, and delivered in its turn.
                var partial = task.makePartial()
                let position = RecordPosition(record: firstRecord, line: block.firstLine)
                let error = ProfileError.recordTooLong(limit: maxRecordBytes, record: firstRecord)
                task.reject(position, id: nil, error, into: &partial)
                slot.value = (partial, 1)
                slot.done.signal()
                continue
            }
            let work: @Sendable () -> Void = { [books, csv, limit] in
                // Evaluators are reused across blocks: they own sizeable scratch memory.
                let evaluators =
                    evaluatorPool.take() ?? zip(books, csv).map { RecordRunner(book: $0, csv: $1) }
                let limits = books.map { limit ?? $0.instrument.defaultLimit }
                slot.value = task.process(block, firstRecord: firstRecord, evaluators: evaluators, limits: limits)
                evaluatorPool.give(evaluators)
                slot.done.signal()
            }
            if parallel == 1 {
                work()
            } else {
                queue.async {
                    workers.wait()
                    work()
                    workers.signal()
                }
            }
        }
        while !pending.isEmpty { try deliverFirst() }
        return !reader.stopped
    }
}

/// A block's result, written by the worker that evaluated it and read by the delivering
/// thread after `done` is signalled (the semaphore orders the two accesses); hence
/// `@unchecked Sendable`.
final class Slot<Value>: @unchecked Sendable {
    var value: Value?
    let done = DispatchSemaphore(value: 0)
}

extension PopulationTask {
    func process(_ block: LineBlock, firstRecord: Int, evaluators: [RecordRunner], limits: [Int]) -> (Partial, Int) {
        processRecords(block, firstRecord: firstRecord, evaluators: evaluators, limits: limits)
    }

    /// Record by record: parse, evaluate and resolve each, then `accept` or `reject` it.
    func processRecords(_ block: LineBlock, firstRecord: Int, evaluators: [RecordRunner], limits: [Int]) -> (
        Partial, Int
    ) {
        var partial = makePartial()
        var record = firstRecord
        var processed = 0
        block.bytes.withUnsafeBufferPointer { bytes in
            for (offset, range) in block.lines.enumerated() {
                let line = UnsafeBufferPointer(rebasing: bytes[range])
                if isBlankLine(line) { continue }
                let position = RecordPosition(record: record, line: block.firstLine + offset)
                record += 1
                processed += 1
                do throws(ProfileError) {
                    for index in evaluators.indices {
                        try evaluators[index].evaluate(line, limit: limits[index])
                    }
                    accept(position, evaluators, into: &partial)
                } catch {
                    reject(position, id: evaluators.first?.id, error, into: &partial)
                }
            }
        }
        return (partial, processed)
    }
}

/// Whether a line holds only spaces, tabs and carriage returns (not a record).
func isBlankLine(_ line: some Collection<UInt8>) -> Bool {
    line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
}

/// A few reusable values (per-thread evaluators) handed out and returned under a lock.
final class Pool<Value>: @unchecked Sendable {
    // Guarded by `lock`; values are used by one thread at a time between take and give.
    private var values: [Value] = []
    private let lock = NSLock()

    func take() -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return values.popLast()
    }

    func give(_ value: Value) {
        lock.lock()
        defer { lock.unlock() }
        values.append(value)
    }
}
