import Foundation
import Testing

@testable import CoachEngine

/// The async population API that services embed: chunks split anywhere give the same records,
/// in the same order, as the command-line pipeline; bad records are answered in line; a line
/// too long is rejected without being kept; a rule book swaps whole.
@Suite("Async advice sequence and shared rule book")
struct AdviceSequenceTests {
    /// Chunks of `bytes` cut at pseudo-random places (1 to 700 bytes each).
    struct Chunks: AsyncSequence, Sendable {
        typealias Element = ArraySlice<UInt8>
        let bytes: [UInt8]
        let seed: UInt64

        struct AsyncIterator: AsyncIteratorProtocol {
            let bytes: [UInt8]
            var random: SplitMix64
            var offset = 0

            mutating func next() async -> ArraySlice<UInt8>? {
                guard offset < bytes.count else { return nil }
                let size = 1 + Int(random.next() % 700)
                let end = Swift.min(bytes.count, offset + size)
                defer { offset = end }
                return bytes[offset..<end]
            }
        }

        func makeAsyncIterator() -> AsyncIterator {
            AsyncIterator(bytes: bytes, random: SplitMix64(seed: seed))
        }
    }

    static func lines(_ book: RuleBook, _ bytes: [UInt8], seed: UInt64, format: PopulationFormat? = nil)
        async throws -> [String]
    {
        var lines: [String] = []
        for try await record in book.advice(for: Chunks(bytes: bytes, seed: seed), format: format) {
            lines.append(String(decoding: record.jsonBytes(), as: UTF8.self))
        }
        return lines
    }

    @Test("chunked JSONL and CSV give exactly the pipeline's records, in order", arguments: [1, 2, 3] as [UInt64])
    func matchesPipeline(seed: UInt64) async throws {
        let book = try RuleBook.builtin()
        let population = SyntheticPopulation(instrument: book.instrument, seed: seed, count: 300)
        for format in [SyntheticPopulation.Format.jsonl, .csv] {
            var text = String(decoding: population.bytes(format), as: UTF8.self)
            // Damage two records: a score out of scale and a truncated line.
            var rows = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let offset = format == .csv ? 1 : 0
            rows[offset + 10] =
                format == .csv ? rows[offset + 10] + ",9" : "{\"id\": \"x\", \"scores\": {\"control\": 9}}"
            rows[offset + 20] = String(rows[offset + 20].prefix(15))
            rows.insert("", at: offset + 30)
            text = rows.joined(separator: "\n")
            let expected = try PopulationTests.batch(text, book: book)
            let merged = (expected.advice + expected.errors).sorted { Self.record($0) < Self.record($1) }
            let streamed = try await Self.lines(book, Array(text.utf8), seed: seed)
            #expect(streamed.count == 300)
            #expect(streamed == merged)
            #expect(expected.errors.count == 2)
        }
    }

    static func record(_ line: String) -> Int {
        guard let range = line.range(of: "\"record\":") else { return 0 }
        return Int(line[range.upperBound...].prefix { $0.isNumber }) ?? 0
    }

    @Test("a line longer than the limit is one rejected record and the stream goes on")
    func longLine() async throws {
        let book = try RuleBook.builtin()
        let good = #"{"id": "a", "scores": {"control": 4}}"#
        let long = #"{"id": "b", "pad": ""# + String(repeating: "x", count: 5_000) + "\"}"
        let text = [good, long, good].joined(separator: "\n")
        var records: [PopulationRecord] = []
        for try await record in book.advice(for: Chunks(bytes: Array(text.utf8), seed: 9), maxRecordBytes: 1_000) {
            records.append(record)
        }
        try #require(records.count == 3)
        guard case .rejected(let position, _, let error) = records[1] else {
            Issue.record("the long line was not rejected")
            return
        }
        #expect(position == RecordPosition(record: 2, line: 2))
        #expect(error.code == .recordTooLong)
        #expect(error.reason == "the record is longer than 1000 bytes")
        guard case .advice(let third, _) = records[2] else {
            Issue.record("the record after the long line was lost")
            return
        }
        #expect(third == RecordPosition(record: 3, line: 3))
    }

    @Test("a CSV population without a usable header ends the stream with a PopulationError")
    func badHeader() async throws {
        let book = try RuleBook.builtin()
        await #expect(throws: PopulationError.self) {
            _ = try await Self.lines(book, Array("id,contrl\np1,3\n".utf8), seed: 1, format: .csv)
        }
    }

    @Test("error records carry the profile error's code")
    func errorCodes() async throws {
        let book = try RuleBook.builtin()
        let text = "{\"scores\": {\"control\": 7}}\n{\"scores\": {\"contrl\": 3}}\n{nope\n"
        let lines = try await Self.lines(book, Array(text.utf8), seed: 4)
        #expect(lines.count == 3)
        #expect(lines[0].contains(#""code":"out-of-scale""#))
        #expect(lines[1].contains(#""code":"unknown-dimension""#))
        #expect(lines[2].contains(#""code":"malformed-json""#))
    }

    @Test("a shared rule book swaps whole and keeps the old one when a reload fails")
    func sharedRuleBook() throws {
        let first = try RuleBook.builtin()
        let shared = SharedRuleBook(first)
        #expect(shared.current.generation == 1)
        let broken = { () throws(RuleSetError) -> RuleBook in
            try RuleBook.load(sources: [RuleSource(relativePath: "instrument.yaml", text: "dimensions: [")])
        }
        #expect(throws: RuleSetError.self) { try shared.reload(broken) }
        #expect(shared.current.generation == 1)
        #expect(shared.current.book.version == first.version)
        let snapshot = try shared.reload { () throws(RuleSetError) in try RuleBook.builtin() }
        #expect(snapshot.generation == 2)
        #expect(shared.current.generation == 2)
    }
}
