import Foundation
import Testing

@testable import CoachEngine

/// Populations through the pipeline: every record yields one advice or one error record, CSV
/// and JSONL agree, shards merge exactly, and the compiled path gives `advise`'s answers.
@Suite("Populations")
struct PopulationTests {
    /// Runs `body` with a file descriptor reading `bytes`.
    static func withInput<T>(_ bytes: [UInt8], _ body: (Int32) throws -> T) throws -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("coach-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let descriptor = open(path, O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        return try body(descriptor)
    }

    static func batch(
        _ text: String,
        book: RuleBook,
        format: PopulationFormat? = nil,
        output: Population.AdviceFormat = .jsonl,
        jobs: Int = 2
    ) throws -> (advice: [String], errors: [String], summary: Population.BatchSummary) {
        var advice: [UInt8] = []
        var errors: [UInt8] = []
        let summary = try withInput(Array(text.utf8)) { descriptor in
            try Population.batch(
                book,
                input: descriptor,
                options: Population.Options(format: format, jobs: jobs),
                output: output,
                write: { advice += $0 },
                writeErrors: { errors += $0 }
            )
        }
        let lines = { (bytes: [UInt8]) in
            String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        return (lines(advice), lines(errors), summary)
    }

    @Test func decimalCellsParseExactlyAsTheStandardLibraryDoes() {
        var random = SplitMix64(seed: 42)
        var texts = [
            "4", "4.5", "4.25", "1.00", "5.0", "0.1", "2.675", "3.14159", "-1.5", "+2", "12345.678901234",
            "1e2", "007", ".5", "5.", "x", "", "1.2.3", "nan", "inf", "0x1p3", "4,5",
        ]
        for _ in 0..<20_000 {
            let value = Double(random.next() % 1_000_000) / pow(10, Double(random.next() % 7))
            texts.append(String(value))
            texts.append(String(format: "%.2f", value))
        }
        for text in texts {
            let bytes = Array(text.utf8)
            let parsed = bytes.withUnsafeBufferPointer { DecimalParser.parse($0) }
            let expected = Double(text).flatMap { $0.isFinite && !text.lowercased().contains("x") ? $0 : nil }
            #expect(parsed == expected, "'\(text)'")
        }
    }

    @Test func everyShortScoreShapeParsesToTheStandardLibrarysBits() {
        // The fast shapes ("4", "4.5", "4.25") come from tables: every one of them, exhaustively.
        var texts: [String] = []
        for a in 0..<10 {
            texts.append("\(a)")
            for b in 0..<10 {
                texts.append("\(a).\(b)")
                for c in 0..<10 { texts.append("\(a).\(b)\(c)") }
            }
        }
        for text in texts {
            let parsed = Array(text.utf8).withUnsafeBufferPointer { DecimalParser.parse($0) }
            #expect(parsed?.bitPattern == Double(text)?.bitPattern, "'\(text)'")
        }
    }

    static let header = "id,level,role,control,commitment,self.count,self.serving,peers.count,peers.serving"

    @Test func everyRecordYieldsOneAdviceOrOneErrorRecord() throws {
        let book = try RuleBook.builtin()
        let rows = [
            "p1,team,manager,4.5,2.0,1,4.5,4,2.5",  // good
            "p2,team,manager,abc,2.0,1,4.5,4,2.5",  // not a number
            "p3,team,manager,7,2.0,1,4.5,4,2.5",  // outside the scale
            "p4,team,manager,NaN,2.0,1,4.5,4,2.5",  // NaN is not a number
            "p5,team,manager,4.5,2.0,1,4.5,4",  // a field short
            "p6,teem,manager,4.5,2.0,1,4.5,4,2.5",  // unknown level
            "p7,team,manager,4.5,2.0,1,4.5,4,2.5\r",  // CRLF is fine
            "",  // a blank line is not a record
            "p8,personal,,3,3,,,,",  // good, sparse
            "p9,team,manager,4.5,2.0,1,4.5,,2.5",  // peers scored without a count
        ]
        let text = "\u{FEFF}" + Self.header + "\n" + rows.joined(separator: "\n") + "\n"
        let (advice, errors, summary) = try Self.batch(text, book: book)
        #expect(summary.accepted == 3)
        #expect(summary.rejected == 6)
        #expect(advice.count + errors.count == 9)
        let records = errors.compactMap { line -> Int? in
            guard case .object(let fields)? = try? JSONParser.parse(Array(line.utf8)),
                case .number(let record)? = fields.first(where: { $0.0 == "record" })?.1
            else { return nil }
            return Int(record)
        }
        #expect(records == [2, 3, 4, 5, 6, 9])
        #expect(errors[0].contains("\"line\":3"))
        #expect(errors[0].contains("\"id\":\"p2\""))
        #expect(errors[0].contains("score for 'control' is 'abc', not a number"))
        #expect(errors[1].contains("outside the scale 1–5"))
        #expect(errors[3].contains("the record has 8 fields; the header has 9"))
        #expect(errors[4].contains("unknown level 'teem'"))
        #expect(errors[5].contains("'peers' has scores but no 'peers.count'"))
        #expect(advice.map { $0.hasPrefix("{\"record\":") } == [true, true, true])
    }

    @Test func aBadHeaderStopsTheRunWithAClearError() throws {
        let book = try RuleBook.builtin()
        #expect(throws: PopulationError.self) { try Self.batch("id,contrl\np1,3\n", book: book) }
        do {
            _ = try Self.batch("id,contrl\np1,3\n", book: book)
        } catch let error as PopulationError {
            #expect(error.message == "unknown column 'contrl' (column 2); did you mean 'control'?")
        }
        #expect(throws: PopulationError.self) { try Self.batch("", book: book, format: .csv) }
    }

    @Test func jsonlRecordsAreRejectedOneByOne() throws {
        let book = try RuleBook.builtin()
        let text = """
            {"id": "a", "level": "team", "scores": {"control": 4.5, "commitment": 2}}
            {"id": "b", "scores": {"control": 4.5
            {"id": "c", "scores": {"contrl": 4.5}}

            {"id": "d", "level": "personal", "scores": {"serving": 2}}
            """
        let (advice, errors, summary) = try Self.batch(text, book: book)
        #expect(summary.accepted == 2 && summary.rejected == 2)
        #expect(advice.count == 2)
        #expect(errors[0].contains("\"record\":2"))
        #expect(errors[0].contains("malformed JSON"))
        #expect(errors[1].contains("did you mean 'control'?"))
    }

    @Test("batch advice equals advise, record by record", arguments: [1, 2])
    func batchEqualsAdvise(jobs: Int) throws {
        let book = try RuleBook.builtin()
        let population = SyntheticPopulation(instrument: book.instrument, seed: 5, count: 300)
        let text = String(decoding: population.bytes(.jsonl), as: UTF8.self)
        let (advice, errors, _) = try Self.batch(text, book: book, jobs: jobs)
        #expect(errors.isEmpty)
        #expect(advice.count == 300)
        for (index, line) in advice.enumerated() {
            let expected = try book.advise(population.profile(at: index)).json(record: index + 1)
            #expect(line == expected, "record \(index + 1)")
        }
    }

    @Test func csvAndJSONLGiveTheSameStatistics() throws {
        let book = try RuleBook.builtin()
        let population = SyntheticPopulation(instrument: book.instrument, seed: 11, count: 2_000)
        let csv = try Self.withInput(population.bytes(.csv)) {
            try Population.stats(book, input: $0, options: Population.Options(format: .csv, jobs: 2))
        }
        let jsonl = try Self.withInput(population.bytes(.jsonl)) {
            try Population.stats(book, input: $0, options: Population.Options(format: nil, jobs: 1))
        }
        #expect(csv.profiles == 2_000)
        #expect(csv == jsonl)
    }

    @Test(
        "statistics do not depend on how the input is cut into blocks and threads",
        arguments: SyntheticPopulation.Raters.allCases
    )
    func statsIndependentOfBlocks(raters: SyntheticPopulation.Raters) throws {
        // Profiles prepared one by one are the reference: a reader that kept state from one
        // record (or block) to the next, such as a score a record leaves missing, would differ.
        let book = try RuleBook.builtin()
        let population = SyntheticPopulation(instrument: book.instrument, seed: 17, count: 1_500, raters: raters)
        let reference = PopulationStats(
            try (0..<1_500).map { try book.prepare(population.profile(at: $0)) }, evaluator: BatchEvaluator(book))
        #expect(reference.profiles == 1_500)
        for format in SyntheticPopulation.Format.allCases {
            for (blockLines, jobs) in [(1, 1), (7, 2), (64, 2), (4_096, 1)] {
                var options = Population.Options(format: format == .csv ? .csv : nil, jobs: jobs)
                options.blockLines = blockLines
                let stats = try Self.withInput(population.bytes(format)) {
                    try Population.stats(book, input: $0, options: options)
                }
                let differing = reference.rules.indices.filter { stats.fired[$0] != reference.fired[$0] }
                let same = stats == reference
                #expect(
                    same,
                    "\(format), blocks of \(blockLines), \(jobs) jobs: fired differs for \(differing.map { reference.rules[$0] })"
                )
            }
        }
    }

    @Test func shardsMergeToTheWhole() throws {
        let book = try RuleBook.builtin()
        let population = SyntheticPopulation(instrument: book.instrument, seed: 3, count: 1_000)
        let stats = { (rows: Range<Int>) throws -> PopulationStats in
            try Self.withInput(population.bytes(.csv, rows: rows)) {
                try Population.stats(book, input: $0, options: Population.Options(format: .csv, jobs: 2))
            }
        }
        let whole = try stats(0..<1_000)
        var merged = try PopulationStats(json: Array(try stats(0..<400).json().utf8))
        try merged.add(try PopulationStats(json: Array(try stats(400..<1_000).json().utf8)))
        #expect(merged == whole)
        #expect(whole.fired.reduce(0, +) > 0)
    }

    @Test func statsCountWhatTheReferenceResolutionGives() throws {
        var random = RandomRules(seed: 21)
        let book = try RuleFixtures.load(RuleFixtures.file(random.rules(30)))
        let profiles = (0..<400).map { random.profile($0) }
        var lines: [String] = []
        for profile in profiles {
            var fields: [String] = []
            if let id = profile.id { fields.append("\"id\": \"\(id)\"") }
            if let level = profile.level { fields.append("\"level\": \"\(level)\"") }
            if let role = profile.attributes["role"] { fields.append("\"role\": \"\(role)\"") }
            let scores = { (s: [String: Double]) in
                "{" + s.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
            }
            if !profile.scores.isEmpty { fields.append("\"scores\": \(scores(profile.scores))") }
            if !profile.raters.isEmpty {
                let groups = profile.raters.sorted { $0.key < $1.key }.map {
                    "\"\($0.key)\": {\"count\": \($0.value.count), \"scores\": \(scores($0.value.scores))}"
                }
                fields.append("\"raters\": {" + groups.joined(separator: ", ") + "}")
            }
            lines.append("{" + fields.joined(separator: ", ") + "}")
        }
        let stats = try Self.withInput(Array(lines.joined(separator: "\n").utf8)) {
            try Population.stats(book, input: $0, options: Population.Options(format: .jsonl, jobs: 2, limit: 3))
        }
        var fired = [Int](repeating: 0, count: book.rules.count)
        var recommended = [Int](repeating: 0, count: book.rules.count)
        for profile in profiles {
            let prepared = try PreparedProfile(profile, instrument: book.instrument)
            let reference = Advisor(book: book).firedRules(prepared)
            for rule in reference.indices where reference[rule] { fired[rule] += 1 }
            for rule in ReferenceResolution.resolve(book: book, fired: reference, limit: 3).recommended {
                recommended[rule] += 1
            }
        }
        #expect(stats.profiles == 400)
        #expect(stats.fired == fired)
        #expect(stats.recommended == recommended)
    }

    @Test func diffCountsGainsAndLosses() throws {
        let old = try RuleFixtures.load(
            RuleFixtures.file(
                RuleSpec("high-control", when: "control >= 4"), RuleSpec("low-serving", when: "serving < 2.5"))
        )
        let new = try RuleFixtures.load(
            RuleFixtures.file(
                RuleSpec("high-control", when: "control >= 4.5"), RuleSpec("low-serving", when: "serving < 2.5"))
        )
        let text = "id,control,serving\na,4.2,2\nb,4.6,3\nc,3,3\nd,4.1,3\n"
        let diff = try Self.withInput(Array(text.utf8)) {
            try Population.diff(old: old, new: new, input: $0, options: Population.Options(format: .csv, jobs: 2))
        }
        #expect(diff.profiles == 4)
        #expect(diff.changed == 2)
        #expect(diff.lost == ["high-control": 2])
        #expect(diff.gained.isEmpty)
        #expect(diff.examples.map(\.profile) == ["a", "d"])
        let same = try Self.withInput(Array(text.utf8)) {
            try Population.diff(old: old, new: old, input: $0, options: Population.Options(format: .csv, jobs: 1))
        }
        #expect(same.changed == 0)
    }
}
