import Dispatch
import Foundation
import Testing

@testable import CoachEngine

/// How a population run fails, case by case: lines over the limit, CSV quoting the line-based
/// reader cannot take, a cancelled run, stats shards that are not whole documents.
@Suite("Population failures")
struct PopulationFailureTests {
    static let header = "id,level,control,commitment"

    static func errorCodes(_ errors: [String]) -> [String] {
        errors.compactMap { line in
            line.range(of: #""code":""#).map { String(line[$0.upperBound...].prefix { $0 != "\"" }) }
        }
    }

    /// `text` through `Population.batch` with a line limit of `limit` bytes, on one thread.
    static func batch(_ text: String, limit: Int) throws -> (summary: Population.BatchSummary, errors: String) {
        let book = try RuleBook.builtin()
        var errors: [UInt8] = []
        let summary = try PopulationTests.withInput(Array(text.utf8)) { descriptor in
            try Population.batch(
                book, input: descriptor, options: Population.Options(format: nil, jobs: 1, maxRecordBytes: limit),
                output: .jsonl, write: { _ in }, writeErrors: { errors += $0 })
        }
        return (summary, String(decoding: errors, as: UTF8.self))
    }

    @Test("a line over the limit is one record-too-long error with its record and line numbers")
    func overlongRecord() throws {
        for format in [PopulationFormat.csv, .jsonl] {
            let good = format == .csv ? "p,team,4,2" : #"{"id": "p", "scores": {"control": 4}}"#
            let long =
                format == .csv
                ? "q,team," + String(repeating: "4", count: 500) + ",2" : "{" + String(repeating: " ", count: 500) + "}"
            let lines = (format == .csv ? [Self.header] : []) + [good, "", long, good]
            let line = format == .csv ? 4 : 3
            let error =
                #"{"record":2,"line":\#(line),"id":null,"error":"the record is longer than 200 bytes","#
                + #""code":"record-too-long","field":null}"# + "\n"
            let run = try Self.batch(lines.joined(separator: "\n") + "\n", limit: 200)
            #expect((run.summary.accepted, run.summary.rejected) == (2, 1))
            #expect(run.errors == error)
            // The same line last, without a newline.
            let last = try Self.batch(lines.dropLast().joined(separator: "\n"), limit: 200)
            #expect((last.summary.accepted, last.summary.rejected) == (1, 1))
            #expect(last.errors == error)
        }
    }

    @Test("JSON Lines whose first line is over the limit are still read as JSON Lines, by both readers")
    func overlongFirstJSONLine() async throws {
        let book = try RuleBook.builtin()
        let text = "{" + String(repeating: " ", count: 500) + "}\n" + #"{"id": "p", "scores": {"control": 4}}"#
        let run = try Self.batch(text, limit: 200)
        #expect((run.summary.accepted, run.summary.rejected) == (1, 1))
        for seed: UInt64 in [1, 2, 3] {
            var codes: [String] = []
            let chunks = AdviceSequenceTests.Chunks(bytes: Array(text.utf8), seed: seed)
            for try await record in book.advice(for: chunks, maxRecordBytes: 200) {
                switch record {
                case .advice: codes.append("advice")
                case .rejected(_, _, let error): codes.append(error.code.rawValue)
                }
            }
            #expect(codes == ["record-too-long", "advice"])
        }
    }

    @Test("a CSV header over the limit stops the run with a clear error")
    func overlongHeader() throws {
        let book = try RuleBook.builtin()
        let text = Self.header + String(repeating: ",control", count: 100) + "\np,team,4,2\n"
        #expect(throws: PopulationError.headerTooLong(limit: 300)) {
            try PopulationTests.withInput(Array(text.utf8)) { descriptor in
                try Population.stats(
                    book, input: descriptor, options: Population.Options(format: nil, jobs: 1, maxRecordBytes: 300))
            }
        }
    }

    struct Quoting: Sendable, CustomTestStringConvertible {
        var record: String
        /// The id read, or nil when the record is rejected (then every line is malformed).
        var id: String?
        var reason: String?
        var testDescription: String { record.replacingOccurrences(of: "\n", with: "\\n") }
    }

    @Test(
        "quoted CSV fields: commas and doubled quotes inside; any quote out of place rejects the line",
        arguments: [
            Quoting(record: #""p,1",team,4,2"#, id: "p,1"),
            Quoting(record: #""p ""one""",team,4,2"#, id: #"p "one""#),
            Quoting(record: #"p1,"team",4,"2""#, id: "p1"),
            Quoting(record: #"p"1,team,4,2"#, reason: "a quote inside unquoted field 1"),
            Quoting(record: #""p"1,team,4,2"#, reason: "text after the closing quote of field 1"),
            Quoting(record: #""p1,team,4,2"#, reason: "the quote of field 1 is not closed"),
            // A line break inside quotes: two lines, each rejected, never read as records.
            Quoting(record: "\"p\n1\",team,4,2", reason: "the quote of field 1 is not closed"),
            Quoting(record: "p1,\"team\n\",4,2", reason: "the quote of field 2 is not closed"),
        ])
    func quoting(_ example: Quoting) throws {
        let book = try RuleBook.builtin()
        let result = try PopulationTests.batch(Self.header + "\n" + example.record + "\n", book: book)
        if let id = example.id {
            #expect(result.errors.isEmpty)
            #expect(result.advice.count == 1)
            #expect(
                result.advice.first?.contains(#""id":"\#(id.replacingOccurrences(of: "\"", with: "\\\""))""#) == true)
        } else {
            let lines = example.record.split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(result.advice.isEmpty)
            #expect(Self.errorCodes(result.errors) == Array(repeating: "malformed-record", count: lines))
            #expect(result.errors.first?.contains(example.reason ?? "") == true)
        }
    }

    /// A population of `count` simple CSV records.
    static func population(_ count: Int) -> [UInt8] {
        Array(([Self.header] + (0..<count).map { "p\($0),team,\(1 + $0 % 5),3" }).joined(separator: "\n").utf8)
    }

    @Test("a run cancelled between blocks delivers what it read, then throws PopulationInterrupted")
    func cancelledBetweenBlocks() throws {
        let book = try RuleBook.builtin()
        let cancellation = PopulationCancellation()
        var options = Population.Options(format: nil, jobs: 2)
        options.blockLines = 10
        var delivered = 0
        let stop = try #require(throws: PopulationInterrupted.self) {
            try PopulationTests.withInput(Self.population(1_000)) { descriptor in
                try Population.batch(
                    book, input: descriptor, options: options, output: .jsonl, cancellation: cancellation,
                    write: { bytes in
                        delivered += bytes.count { $0 == 0x0A }
                        cancellation.cancel()
                    },
                    writeErrors: { _ in })
            }
        }
        #expect(stop.records == delivered)
        #expect(stop.records > 0 && stop.records < 1_000)
        #expect(stop.rejected == 0)

        for run in ["stats", "diff"] {
            #expect(throws: PopulationInterrupted(records: 0, rejected: 0)) {
                try PopulationTests.withInput(Self.population(10)) { descriptor in
                    if run == "stats" {
                        _ = try Population.stats(book, input: descriptor, options: options, cancellation: cancellation)
                    } else {
                        _ = try Population.diff(
                            old: book, new: book, input: descriptor, options: options, cancellation: cancellation)
                    }
                }
            }
        }
    }

    @Test("a run waiting on a pipe that gives nothing stops when cancelled")
    func cancelledWhileWaiting() throws {
        let book = try RuleBook.builtin()
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        defer { close(ends[1]) }
        let cancellation = PopulationCancellation()
        let outcome = Outcome()
        let reader = ends[0]
        DispatchQueue.global().async {
            do {
                _ = try Population.stats(
                    book, input: reader, options: Population.Options(format: .csv, jobs: 1), cancellation: cancellation)
                outcome.set("completed")
            } catch {
                outcome.set("\(error)")
            }
        }
        // Whenever the cancel lands — before the first read or during the wait — the run ends.
        cancellation.cancel()
        #expect(outcome.wait(seconds: 60) == "interrupted after 0 records")
    }

    /// A result handed from a background thread.
    final class Outcome: @unchecked Sendable {
        // `value` is written before `done` is signalled and read after it is waited for.
        private var value: String?
        private let done = DispatchSemaphore(value: 0)

        func set(_ value: String) {
            self.value = value
            done.signal()
        }

        func wait(seconds: Double) -> String? {
            done.wait(timeout: .now() + seconds) == .success ? value : nil
        }
    }

    @Test("stats --merge reads only whole stats documents, naming what is missing")
    func statsDocuments() throws {
        let book = try RuleBook.builtin()
        let stats = try PopulationTests.withInput(Self.population(50)) { descriptor in
            try Population.stats(book, input: descriptor, options: Population.Options(format: nil, jobs: 1))
        }
        let json = stats.json()
        #expect(try PopulationStats(json: Array(json.utf8)) == stats)
        func error(_ text: String) -> String? {
            do {
                _ = try PopulationStats(json: Array(text.utf8))
                return nil
            } catch {
                return error.message
            }
        }
        func without(_ key: String) -> String {
            let object = try? JSONSerialization.jsonObject(with: Data(json.utf8))
            var fields = object as? [String: Any] ?? [:]
            fields[key] = nil
            let data = (try? JSONSerialization.data(withJSONObject: fields)) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
        for key in PopulationStats.requiredFields {
            #expect(error(without(key)) == "incomplete coach stats JSON: '\(key)' is missing")
        }
        #expect(error(#"{"id": "p1", "scores": {}}"#)?.hasPrefix("not coach stats JSON (no 'profiles'") == true)
        #expect(error("[1, 2]") == "not coach stats JSON: expected an object")
        let firstRule = try #require(stats.rules.first)
        #expect(
            error(json.replacingOccurrences(of: #""\#(firstRule)":{"fired":"#, with: #""\#(firstRule)":{"fired0":"#))
                == "incomplete coach stats JSON: 'rules.\(firstRule).fired' is missing")
        #expect(
            error(json.replacingOccurrences(of: #""profiles":50,"#, with: #""profiles":51,"#))?
                .hasPrefix("inconsistent coach stats JSON") == true)
        #expect(
            error(json.replacingOccurrences(of: #"{"version":"#, with: #"{"versio":"#))
                == "incomplete coach stats JSON: 'ruleSet.version' is missing")
    }
}
