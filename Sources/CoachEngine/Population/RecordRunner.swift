/// Per-thread state for running a population through a rule book: parses a record (CSV or JSON
/// line) into a prepared row, evaluates the compiled rules and resolves the recommendations,
/// reusing its scratch memory from record to record.
final class RecordRunner {
    let book: RuleBook
    let csv: CSVPopulation?
    private var builder: RowBuilder
    /// The last record's prepared row and attribute codes (the builder's memory, which lives
    /// as long as this evaluator).
    let row: UnsafePointer<Double>
    let rowCodes: UnsafePointer<Int>
    private let evaluator: RowRunner
    /// Per rule, whether it fired for the last record.
    let fired: UnsafeMutableBufferPointer<Bool>
    /// The recommended rules of the last record, best first.
    let recommended: UnsafeMutableBufferPointer<Int32>
    private(set) var recommendedCount = 0
    /// Resolution's input, output and scratch: one word per rule (bit 0: this record).
    private let firedWords: UnsafeMutableBufferPointer<UInt64>
    private let recommendedWords: UnsafeMutableBufferPointer<UInt64>
    private let resolutionScratch: UnsafeMutableBufferPointer<UInt64>
    /// The id of the last record.
    private(set) var id: String?
    /// The fast path for JSON records.
    private let jsonReader: ProfileJSONReader

    init(book: RuleBook, csv: CSVPopulation?) {
        self.book = book
        self.csv = csv?.threadCopy()
        builder = RowBuilder(instrument: book.instrument, book: book.compiled)
        row = builder.row
        rowCodes = builder.rowCodes
        jsonReader = book.jsonReader
        evaluator = RowRunner(book.compiled)
        let rules = max(1, book.rules.count)
        fired = .allocate(capacity: rules)
        fired.initialize(repeating: false)
        recommended = .allocate(capacity: rules)
        recommended.initialize(repeating: 0)
        firedWords = .allocate(capacity: rules)
        firedWords.initialize(repeating: 0)
        recommendedWords = .allocate(capacity: rules)
        recommendedWords.initialize(repeating: 0)
        // Room for any limit a caller passes (at most the number of rules matters).
        resolutionScratch = .allocate(capacity: book.compiled.resolution.scratchWords(limit: rules))
        resolutionScratch.initialize(repeating: 0)
    }

    deinit {
        fired.deallocate()
        recommended.deallocate()
        firedWords.deallocate()
        recommendedWords.deallocate()
        resolutionScratch.deallocate()
    }

    /// Parses one record into the row builder, without evaluating it.
    func prepare(_ line: UnsafeBufferPointer<UInt8>) throws(ProfileError) {
        if let csv {
            try csv.parse(line, into: &builder, id: &id)
        } else {
            try Self.prepareJSON(line, jsonReader: jsonReader, into: &builder, id: &id)
        }
    }

    /// Parses the records of `block` (its non-blank lines) one after another into the row
    /// (`row`, `rowCodes`), without their ids, calling `body` after each with the error that
    /// rejected it, or nil. The loop keeps the reader and the builder in locals, so that a
    /// record costs no reference counting or exclusivity check on this evaluator.
    @inline(__always)
    func prepareEach(_ block: LineBlock, _ body: (ProfileError?) -> Void) {
        var builder = self.builder
        var id: String?
        let jsonReader = self.jsonReader
        block.bytes.withUnsafeBufferPointer { bytes in
            @inline(__always)
            func each(_ read: (UnsafeBufferPointer<UInt8>) throws(ProfileError) -> Void) {
                for range in block.lines {
                    let line = UnsafeBufferPointer(rebasing: bytes[range])
                    if isBlankLine(line) { continue }
                    do throws(ProfileError) {
                        try read(line)
                        body(nil)
                    } catch {
                        body(error)
                    }
                }
            }
            // The reader unwrapped once, outside the loop: unwrapping it per record retained it.
            if let csv {
                each { (line) throws(ProfileError) in try csv.parse(line, into: &builder, id: &id, keepingID: false) }
            } else {
                each { (line) throws(ProfileError) in
                    try Self.prepareJSON(line, jsonReader: jsonReader, into: &builder, id: &id)
                }
            }
        }
        // The builder's own state (which views it must clear) goes on to the next record.
        self.builder = builder
        self.id = nil
    }

    /// Parses one JSON line into `builder`: the fast path, else the general parser.
    @inline(__always)
    private static func prepareJSON(
        _ line: UnsafeBufferPointer<UInt8>,
        jsonReader: ProfileJSONReader,
        into builder: inout RowBuilder,
        id: inout String?
    ) throws(ProfileError) {
        if jsonReader.read(line, into: &builder, id: &id) { return }
        // An id the fast path read before it declined is not reported for a record that fails.
        id = nil
        // The line reader bounds a record's length; the fast path above does not count it.
        let profile = try Profile(json: Array(line), limits: ProfileLimits(maxBytes: .max))
        id = profile.id
        _ = try PreparedProfile(profile, builder: &builder)
    }

    /// Parses and evaluates one record with the recommendation limit `limit`.
    func evaluate(_ line: UnsafeBufferPointer<UInt8>, limit: Int) throws(ProfileError) {
        try prepare(line)
        evaluator.evaluate(row: row, codes: rowCodes, fired: fired.baseAddress.unsafelyUnwrapped)
        resolve(limit: limit)
    }

    /// Resolves the last record's fired rules (`Resolution`, on one word per rule), without
    /// allocating.
    private func resolve(limit: Int) {
        let resolution = book.compiled.resolution
        let rules = book.rules.count
        let limit = min(max(0, limit), rules)
        for rule in 0..<rules { firedWords[rule] = fired[rule] ? 1 : 0 }
        resolution.resolve(
            fired: firedWords.baseAddress.unsafelyUnwrapped,
            into: recommendedWords.baseAddress.unsafelyUnwrapped,
            stride: 1, words: 1, rows: { _ in 1 }, limit: limit,
            scratch: resolutionScratch.baseAddress.unsafelyUnwrapped)
        recommendedCount = 0
        resolution.rank.withUnsafeBufferPointer { rank in
            for position in 0..<rank.count where recommendedWords[Int(rank[position])] != 0 {
                recommended[recommendedCount] = rank[position]
                recommendedCount += 1
            }
        }
    }

    /// The last record as a prepared profile (for advice text, confidence and explanations).
    func prepared() -> PreparedProfile {
        PreparedProfile(builder: builder, id: id)
    }

    /// The advice for the last record, as `RuleBook.advise` gives it.
    func advice(explain: Bool) -> Advice {
        Advisor(book: book).advice(
            prepared(),
            ranked: book.compiled.rank.filter { fired[$0] },
            recommended: (0..<recommendedCount).map { Int(recommended[$0]) },
            explain: explain
        )
    }
}
