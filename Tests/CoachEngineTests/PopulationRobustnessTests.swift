import Foundation
import Testing

@testable import CoachEngine

/// Randomly damaged populations (seeded) through the pipeline behind `coach batch`, `stats` and
/// `diff`: whatever the damage — bytes changed, lines cut, separators doubled or lost, NaN, huge
/// values, byte-order marks, CRLF, quotes, lines over a small limit, reads cut anywhere — every
/// record yields exactly one advice record or one error record, numbered 1…N in input order,
/// each error naming the record's line; and the other runs and the async reader agree.
@Suite("Damaged populations")
struct PopulationRobustnessTests {
    /// A damaged population and what a correct reader must make of it.
    struct Damaged {
        var bytes: [UInt8]
        var format: PopulationFormat
        var limit: Int
        /// Per record, in order: its 1-based line number and whether it is over the limit.
        var records: [(line: Int, overlong: Bool)]
    }

    static func damaged(seed: UInt64, format: SyntheticPopulation.Format, book: RuleBook) -> Damaged {
        var random = SplitMix64(seed: seed)
        func chance(_ p: Double) -> Bool { Double(random.next() % 10_000) < p * 10_000 }
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        let raters: SyntheticPopulation.Raters = chance(0.5) ? .all : .none
        let population = SyntheticPopulation(instrument: book.instrument, seed: seed, count: 80, raters: raters)
        var lines = population.bytes(format).split(separator: 0x0A).map(Array.init)
        // A limit just above the longest intact line (and a byte-order mark before it), so that
        // damage can cross it either way.
        let limit = (lines.map(\.count).max() ?? 0) + 3 + Int(random.next() % 16)
        let first = format == .csv ? 1 : 0
        let cells: [[UInt8]] = ["NaN", "nan", "inf", "-inf", "1e308", "1e400", "99999999999999999999", "-0", ""]
            .map { Array($0.utf8) }
        let strays: [UInt8] = Array(",\"\r\n x9.-{}:".utf8) + [0xFF, 0x00, 0xEF]
        var index = first
        while index < lines.count {
            defer { index += 1 }
            guard chance(0.45) else { continue }
            var line = lines[index]
            switch random.next() % 13 {
            case 0 where !line.isEmpty: line[Int(random.next() % UInt64(line.count))] = pick(strays)
            case 1: line = Array(line.prefix(Int(random.next() % UInt64(line.count + 1))))
            case 2:
                if let comma = line.indices.filter({ line[$0] == UInt8(ascii: ",") }).randomElement(using: &random) {
                    if chance(0.5) { line.insert(UInt8(ascii: ","), at: comma) } else { line.remove(at: comma) }
                }
            case 3, 4:
                // A number replaced by NaN, infinity, a huge value or nothing.
                if let digit = line.indices.filter({ (0x30...0x39).contains(line[$0]) }).randomElement(using: &random) {
                    var end = digit
                    while end < line.count, (0x30...0x39).contains(line[end]) || line[end] == UInt8(ascii: ".") {
                        end += 1
                    }
                    line.replaceSubrange(digit..<end, with: pick(cells))
                }
            case 5: line = [0xEF, 0xBB, 0xBF] + line
            case 6: line.append(UInt8(ascii: "\r"))
            case 7:
                line += Array(repeating: UInt8(ascii: "7"), count: limit - line.count + pick([0, 1, 2, 50, 3 * limit]))
            case 8: lines.insert(pick([[], [0x20], [0x0D], [0x09, 0x20]]), at: index + 1)
            case 9 where index + 1 < lines.count:
                // The newline between two records lost.
                line += lines.remove(at: index + 1)
            case 10:
                // A field quoted, with a comma, a doubled quote or a line break inside.
                if let comma = line.firstIndex(of: UInt8(ascii: ",")) {
                    line =
                        Array("\"a".utf8) + pick([[0x2C], [0x22, 0x22], [0x0A], []]) + Array("\"".utf8)
                        + line[comma...]
                }
            case 11: line = pick([Array("\"".utf8), Array("{".utf8), Array("{}".utf8), Array("null".utf8)])
            default: line.append(pick(strays))
            }
            lines[index] = line
        }
        var bytes = Array(lines.joined(separator: [0x0A]))
        if chance(0.7) { bytes.append(0x0A) }
        if chance(0.2) { bytes = [0xEF, 0xBB, 0xBF] + bytes }
        let records = expectedRecords(bytes, first: first, limit: limit)
        return Damaged(bytes: bytes, format: format == .csv ? .csv : .jsonl, limit: limit, records: records)
    }

    /// What a correct reader counts as records: the lines from `first` (0-based; the CSV
    /// header is line 0) that are over the limit or not blank (spaces, tabs and carriage returns
    /// only), each with its 1-based line number.
    static func expectedRecords(_ bytes: [UInt8], first: Int, limit: Int) -> [(line: Int, overlong: Bool)] {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if bytes.last == 0x0A { lines.removeLast() }
        return lines.enumerated().dropFirst(first).compactMap { offset, line in
            let overlong = line.count > limit
            guard overlong || !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else { return nil }
            return (offset + 1, overlong)
        }
    }

    /// The number after `"key":` in a JSON line.
    static func number(_ key: String, in line: String) -> Int? {
        guard let range = line.range(of: "\"\(key)\":") else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }

    static let seeds: [UInt64] = Array(1...16)

    @Test("every record of a damaged population is answered once, in order", arguments: seeds)
    func everyRecordAnsweredOnce(seed: UInt64) async throws {
        let book = try RuleBook.builtin()
        for format in SyntheticPopulation.Format.allCases {
            let input = Self.damaged(seed: seed, format: format, book: book)
            let count = input.records.count
            var random = SplitMix64(seed: seed ^ 0xA5A5)
            var options = Population.Options(
                format: input.format, jobs: Int(random.next() % 3) + 1, maxRecordBytes: input.limit)
            options.readSize = [1, 7, 64, 333, 4_096, 1 << 20][Int(random.next() % 6)]
            options.blockLines = [1, 3, 50, 4_096][Int(random.next() % 4)]

            var advice: [UInt8] = []
            var errors: [UInt8] = []
            let summary = try PopulationTests.withInput(input.bytes) { descriptor in
                try Population.batch(
                    book, input: descriptor, options: options, output: .jsonl,
                    write: { advice += $0 }, writeErrors: { errors += $0 })
            }
            let adviceLines = String(decoding: advice, as: UTF8.self).split(separator: "\n").map(String.init)
            let errorLines = String(decoding: errors, as: UTF8.self).split(separator: "\n").map(String.init)
            let context =
                "seed \(seed), \(format), limit \(input.limit), \(options.jobs) jobs, reads of \(options.readSize)"
            #expect(adviceLines.count + errorLines.count == count, "\(context)")
            #expect((summary.accepted, summary.rejected) == (adviceLines.count, errorLines.count), "\(context)")
            let numbers = (adviceLines + errorLines).compactMap { Self.number("record", in: $0) }
            #expect(numbers.sorted() == Array(0..<count).map { $0 + 1 }, "\(context)")
            #expect(adviceLines.compactMap { Self.number("record", in: $0) }.isSorted, "\(context)")
            for line in errorLines {
                let record = try #require(Self.number("record", in: line))
                let expected = input.records[record - 1]
                #expect(Self.number("line", in: line) == expected.line, "\(context): \(line)")
                #expect(line.contains("\"code\":\"record-too-long\"") == expected.overlong, "\(context): \(line)")
            }
            #expect(input.records.filter(\.overlong).count <= errorLines.count)

            // Statistics and the diff read the same records and reject the same ones.
            let stats = try PopulationTests.withInput(input.bytes) { descriptor in
                try Population.stats(book, input: descriptor, options: options)
            }
            #expect((stats.profiles, stats.rejected) == (adviceLines.count, errorLines.count), "\(context)")
            let diff = try PopulationTests.withInput(input.bytes) { descriptor in
                try Population.diff(old: book, new: book, input: descriptor, options: options)
            }
            #expect((diff.profiles, diff.rejected, diff.changed) == (adviceLines.count, errorLines.count, 0))

            // The async reader (chunks cut anywhere) gives the very same records.
            var streamed: [String] = []
            let chunks = AdviceSequenceTests.Chunks(bytes: input.bytes, seed: seed)
            for try await record in book.advice(for: chunks, format: input.format, maxRecordBytes: input.limit) {
                streamed.append(String(decoding: record.jsonBytes(), as: UTF8.self))
            }
            let merged = (adviceLines + errorLines).sorted {
                Self.number("record", in: $0) ?? 0 < Self.number("record", in: $1) ?? 0
            }
            #expect(streamed == merged, "\(context)")
        }
    }
}

extension Array where Element: Comparable {
    fileprivate var isSorted: Bool { zip(self, dropFirst()).allSatisfy { $0 <= $1 } }
}
