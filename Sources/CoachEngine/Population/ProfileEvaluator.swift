/// Per-thread state for running a population through a rule book: parses a record (CSV or JSON
/// line) into a prepared row, evaluates the compiled rules and resolves the recommendations,
/// reusing its scratch memory from record to record.
final class ProfileEvaluator {
    let book: RuleBook
    let csv: CSVPopulation?
    /// The compiled tables resolution reads, flattened for the per-record loop.
    private let rank: [Int32]
    private let groups: [Int32]
    private let suppressStarts: [Int32]
    private let suppressTargets: [Int32]
    private var builder: RowBuilder
    /// The last record's prepared row and attribute codes (the builder's memory, which lives
    /// as long as this evaluator).
    let row: UnsafePointer<Double>
    let rowCodes: UnsafePointer<Int>
    private let evaluator: RowEvaluator
    /// Per rule, whether it fired for the last record.
    let fired: UnsafeMutableBufferPointer<Bool>
    /// The recommended rules of the last record, best first.
    let recommended: UnsafeMutableBufferPointer<Int32>
    private(set) var recommendedCount = 0
    private let removed: UnsafeMutableBufferPointer<Bool>
    private let groupTaken: UnsafeMutableBufferPointer<Bool>
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
        let compiled = book.compiled
        rank = compiled.rank.map { Int32($0) }
        groups = compiled.groups.map { Int32($0) }
        var starts: [Int32] = [0]
        var targets: [Int32] = []
        for list in compiled.suppresses {
            targets += list.map { Int32($0) }
            starts.append(Int32(targets.count))
        }
        suppressStarts = starts
        suppressTargets = targets
        evaluator = RowEvaluator(book.compiled)
        let rules = max(1, book.rules.count)
        fired = .allocate(capacity: rules)
        fired.initialize(repeating: false)
        recommended = .allocate(capacity: rules)
        recommended.initialize(repeating: 0)
        removed = .allocate(capacity: rules)
        removed.initialize(repeating: false)
        groupTaken = .allocate(capacity: max(1, book.compiled.groupCount))
        groupTaken.initialize(repeating: false)
    }

    deinit {
        fired.deallocate()
        recommended.deallocate()
        removed.deallocate()
        groupTaken.deallocate()
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

    /// Resolution on the compiled tables, without allocating: rank order, suppression by every
    /// fired rule, one per group, the limit.
    private func resolve(limit: Int) {
        for index in removed.indices { removed[index] = false }
        for index in groupTaken.indices { groupTaken[index] = false }
        let ruleCount = rank.count
        suppressStarts.withUnsafeBufferPointer { starts in
            suppressTargets.withUnsafeBufferPointer { targets in
                for rule in 0..<ruleCount where fired[rule] {
                    for index in Int(starts[rule])..<Int(starts[rule + 1]) { removed[Int(targets[index])] = true }
                }
            }
        }
        recommendedCount = 0
        rank.withUnsafeBufferPointer { rank in
            groups.withUnsafeBufferPointer { groups in
                for position in 0..<rank.count {
                    let rule = Int(rank[position])
                    guard fired[rule], !removed[rule] else { continue }
                    guard recommendedCount < limit else { break }
                    let group = Int(groups[rule])
                    if group >= 0 {
                        if groupTaken[group] { continue }
                        groupTaken[group] = true
                    }
                    recommended[recommendedCount] = Int32(rule)
                    recommendedCount += 1
                }
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
