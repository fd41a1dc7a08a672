import CoachEngine
import Dispatch
import FuzzSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The population readers (CSV and JSON Lines) on arbitrary bytes, two ways: the pipeline that
/// `coach batch` runs over a file descriptor, and the async `AdviceSequence` that the service
/// runs over chunks. The first input byte picks the format (auto, CSV, JSONL) and the chunk
/// size. Both must answer every record once, in order, with the same bytes.
func fuzzPopulations(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    guard size >= 1 else { return -1 }
    let control = data[0]
    let input = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let format: PopulationFormat? = [nil, .csv, .jsonl][Int(control % 3)]
    let chunkSize = Int(control / 3) % 61 + 1
    let book = FuzzInput.book

    // The pipeline, from a file (one anonymous temporary file, rewritten for each input).
    let descriptor = PopulationFile.descriptor
    ftruncate(descriptor, 0)
    let written = input.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    fuzzCheck(written == input.count, "cannot write the temporary file")
    lseek(descriptor, 0, SEEK_SET)
    var output: [UInt8] = []
    var errors: [UInt8] = []
    let pipeline = Result {
        try Population.batch(
            book, input: descriptor, options: Population.Options(format: format, jobs: 1), output: .jsonl,
            write: { output += $0 }, writeErrors: { errors += $0 })
    }

    // The async sequence, from chunks.
    let chunks = stride(from: 0, to: input.count, by: chunkSize).map {
        Array(input[$0..<min($0 + chunkSize, input.count)])
    }
    let streamed = Streamed()
    let done = DispatchSemaphore(value: 0)
    Task { [streamed] in
        await streamed.run(book: book, chunks: chunks, format: format)
        done.signal()
    }
    done.wait()

    switch pipeline {
    case .success(let summary):
        fuzzCheck(streamed.failure == nil, "the stream failed where the pipeline did not: \(streamed.failure ?? "")")
        let lines = output.split(separator: UInt8(ascii: "\n")).count
        let errorLines = errors.split(separator: UInt8(ascii: "\n")).count
        fuzzCheck(lines == summary.accepted, "\(lines) advice lines for \(summary.accepted) accepted records")
        fuzzCheck(errorLines == summary.rejected, "\(errorLines) error lines for \(summary.rejected) rejections")
        fuzzCheck(output == streamed.output, "advice differs between the pipeline and the stream")
        fuzzCheck(errors == streamed.errors, "rejections differ between the pipeline and the stream")
        let count = summary.accepted + summary.rejected
        fuzzCheck(streamed.records == Array(1..<(count + 1)), "record numbers are not 1...\(count) in order")
    case .failure:
        // A population without a valid header or an unreadable input: the stream must say so too.
        fuzzCheck(streamed.failure != nil, "the pipeline failed where the stream did not")
    }
    return 0
}

/// The temporary file the pipeline reads each input from.
enum PopulationFile {
    static let descriptor: Int32 = {
        guard let file = tmpfile() else { fatalError("no temporary file") }
        return fileno(file)
    }()
}

/// What the async sequence answered; written by one task and read after it has signalled.
final class Streamed: @unchecked Sendable {
    var output: [UInt8] = []
    var errors: [UInt8] = []
    var records: [Int] = []
    var failure: String?

    func run(book: RuleBook, chunks: [[UInt8]], format: PopulationFormat?) async {
        let stream = AsyncStream<[UInt8]> { continuation in
            for chunk in chunks { continuation.yield(chunk) }
            continuation.finish()
        }
        do {
            for try await record in book.advice(for: stream, format: format) {
                records.append(record.position.record)
                switch record {
                case .advice: output += record.jsonBytes() + [UInt8(ascii: "\n")]
                case .rejected: errors += record.jsonBytes() + [UInt8(ascii: "\n")]
                }
            }
        } catch {
            failure = "\(error)"
        }
    }
}
