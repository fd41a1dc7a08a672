#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads population CSV: a header row names the columns (`id`, `level`, attributes such as
/// `role`, the dimensions for the combined view, `GROUP.dimension` and `GROUP.count` for rater
/// groups); each following line is one profile. Empty cells are missing. Fields may be quoted
/// (RFC 4180: a comma or a doubled quote `""` inside quotes), but a record is one line: a line
/// break inside quotes is not supported, and the record whose quote it leaves open is rejected,
/// as is any line with a quote out of place (so that such a record is never read as two wrong
/// ones). CRLF line ends and a byte-order mark are accepted. A class: every reader thread
/// shares one, and a struct holding the instrument was copied for every row.
final class CSVPopulation: Sendable {
    enum Column: Sendable, Hashable {
        case id
        case attribute(Int)
        case score(view: Int, dimension: Int)
        case count(group: Int)
        case othersCount
    }

    /// A column's destination in plain data, for the per-record loop.
    struct Cell: Sendable {
        /// `combined`: a score of the combined view, which the per-record loop stores itself.
        enum Kind: UInt8, Sendable { case score, combined, id, attribute, count, othersCount }
        var kind: Kind
        /// A score's row slot; an attribute's index; a count's group.
        var target: Int
        /// A score's view.
        var view: Int
        /// An attribute's values: their range in the plan's `attributes`.
        var values: Range<Int> = 0..<0
        /// A combined score's column and the combined ones right after it: how many.
        var run = 0
    }

    /// One allowed value of an attribute, matched against a cell's bytes without making a
    /// String: its length, its first eight bytes as a little-endian word (zero bytes past its
    /// end), where its bytes start in the plan's `text`, and its code.
    struct AttributeValue: Sendable {
        var length: Int
        var prefix: UInt64
        var offset: Int
        var code: Int
    }

    /// What the per-record loop reads, in memory of its own (one copy per reader thread):
    /// where each column's cells go, and every attribute's values (attribute by attribute; a
    /// cell names its range) with their bytes one after another. Written once, then only read.
    final class Plan: @unchecked Sendable {
        let cells: UnsafeMutableBufferPointer<Cell>
        let attributes: UnsafeMutablePointer<AttributeValue>
        let text: UnsafeMutablePointer<UInt8>
        private let attributeCount: Int
        private let textCount: Int

        init(cells: [Cell], attributes: [AttributeValue], text: [UInt8]) {
            self.cells = .allocate(capacity: cells.count)
            _ = self.cells.initialize(from: cells)
            attributeCount = attributes.count
            self.attributes = .allocate(capacity: max(1, attributes.count))
            self.attributes.initialize(from: attributes, count: attributes.count)
            textCount = text.count
            self.text = .allocate(capacity: max(1, text.count))
            self.text.initialize(from: text, count: text.count)
        }

        func copy() -> Plan {
            Plan(
                cells: Array(cells), attributes: Array(UnsafeBufferPointer(start: attributes, count: attributeCount)),
                text: Array(UnsafeBufferPointer(start: text, count: textCount)))
        }

        deinit {
            cells.deallocate()
            attributes.deallocate()
            text.deallocate()
        }
    }

    let instrument: Instrument
    /// Per column of the header, where its cells go; the attributes' values.
    private let plan: Plan
    /// Whether the header has no column of a rater group (no view but the combined one, no
    /// count): then every record leaves the rater groups' views missing and their counts 0.
    let combinedOnly: Bool
    let names: [String]
    private let scaleMin: Double
    private let scaleMax: Double
    /// Per attribute: its name and its values, as text and as bytes (matched without making
    /// a String per cell).
    private let attributeNames: [String]
    private let attributeValues: [[String]]
    private let attributeBytes: [[[UInt8]]]
    private let decimals = DecimalParser.Tables.shared

    /// Plans the columns from the header line; any unknown or repeated column is an error,
    /// since it would make every record wrong.
    init(header line: [UInt8], instrument: Instrument) throws(PopulationError) {
        self.instrument = instrument
        var bytes = line
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        let fields: [[UInt8]]
        do {
            fields = try Self.split(bytes[...])
        } catch {
            throw PopulationError("the header row is not valid CSV: \(error.reason)")
        }
        guard fields.contains(where: { !$0.isEmpty }) else {
            throw PopulationError("the population has no header row: expected column names such as id,level,control,…")
        }
        let layout = RowLayout(instrument)
        var columns: [Column] = []
        var names: [String] = []
        var seen: Set<String> = []
        let groupNames = instrument.raterGroups.map(\.name) + ["others"]
        let dimensionNames = instrument.dimensions.map(\.id)
        let known =
            ["id"] + instrument.attributeNames + dimensionNames
            + groupNames.flatMap { group in [group + ".count"] + dimensionNames.map { "\(group).\($0)" } }
        for (position, field) in fields.enumerated() {
            let name = String(decoding: field, as: UTF8.self).trimmingSpaces.description
            guard seen.insert(name).inserted else {
                throw PopulationError("the header names column '\(name)' twice (column \(position + 1))")
            }
            names.append(name)
            if name == "id" {
                columns.append(.id)
            } else if let attribute = instrument.attributeNames.firstIndex(of: name) {
                columns.append(.attribute(attribute))
            } else if let dimension = instrument.dimensionIndex(name) {
                columns.append(.score(view: 0, dimension: dimension))
            } else if let dot = name.firstIndex(of: "."),
                let group = groupNames.firstIndex(of: String(name[..<dot]))
            {
                let tail = String(name[name.index(after: dot)...])
                let isOthers = group == instrument.raterGroups.count
                if tail == "count" {
                    columns.append(isOthers ? .othersCount : .count(group: group))
                } else if let dimension = instrument.dimensionIndex(tail) {
                    let view = isOthers ? layout.views - 1 : group + 1
                    columns.append(.score(view: view, dimension: dimension))
                } else {
                    throw Self.unknown(name, position, known)
                }
            } else {
                throw Self.unknown(name, position, known)
            }
        }
        guard columns.contains(where: { if case .score = $0 { true } else { false } }) else {
            throw PopulationError(
                "the header names no score column: expected dimensions such as control or GROUP.control"
            )
        }
        attributeValues = instrument.attributeNames.indices.map { instrument.attributeValues($0) }
        var table: [AttributeValue] = []
        var text: [UInt8] = []
        var ranges: [Range<Int>] = []
        for values in attributeValues {
            let first = table.count
            for (code, value) in values.enumerated() {
                let bytes = Array(value.utf8)
                var prefix: UInt64 = 0
                for (index, byte) in bytes.prefix(8).enumerated() { prefix |= UInt64(byte) << UInt64(8 * index) }
                table.append(AttributeValue(length: bytes.count, prefix: prefix, offset: text.count, code: code))
                text += bytes
            }
            ranges.append(first..<table.count)
        }
        var cells = columns.map { column in
            switch column {
            case .id: Cell(kind: .id, target: 0, view: 0)
            case .attribute(let index): Cell(kind: .attribute, target: index, view: 0, values: ranges[index])
            case .score(let view, let dimension):
                Cell(
                    kind: view == 0 ? .combined : .score, target: layout.score(view: view, dimension: dimension),
                    view: view)
            case .count(let group): Cell(kind: .count, target: group, view: 0)
            case .othersCount: Cell(kind: .othersCount, target: 0, view: 0)
            }
        }
        for index in cells.indices.reversed() where cells[index].kind == .combined {
            cells[index].run = 1 + (index + 1 < cells.count ? cells[index + 1].run : 0)
        }
        plan = Plan(cells: cells, attributes: table, text: text)
        combinedOnly = cells.allSatisfy { [.id, .attribute, .combined].contains($0.kind) }
        self.names = names
        scaleMin = instrument.scaleMin
        scaleMax = instrument.scaleMax
        attributeNames = instrument.attributeNames
        attributeBytes = attributeValues.map { values in values.map { Array($0.utf8) } }
    }

    /// A copy with the tables a record reads of its own (the texts, read only for errors, are
    /// shared). Each reader thread takes one: reading a record then touches no reference count
    /// that another thread also writes (a count shared between cores costs more per record
    /// than parsing its numbers).
    func threadCopy() -> CSVPopulation {
        CSVPopulation(copying: self)
    }

    private init(copying other: CSVPopulation) {
        instrument = other.instrument
        plan = other.plan.copy()
        combinedOnly = other.combinedOnly
        names = other.names
        scaleMin = other.scaleMin
        scaleMax = other.scaleMax
        attributeNames = other.attributeNames
        attributeValues = other.attributeValues
        attributeBytes = other.attributeBytes.map { values in values.map { $0.map { $0 } } }
    }

    private static func unknown(_ name: String, _ position: Int, _ known: [String]) -> PopulationError {
        PopulationError("unknown column '\(name)' (column \(position + 1))\(Suggestions.didYouMean(name, in: known))")
    }

    /// Splits a line into fields (quotes removed, `""` unescaped). A quote must open a field
    /// and close it just before a comma or the line's end; anything else (a quote inside an
    /// unquoted field, text after a closing quote, a quote left open — a line break inside
    /// quotes leaves one open) is a `malformed-record` error.
    static func split(_ line: ArraySlice<UInt8>) throws(ProfileError) -> [[UInt8]] {
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        var inQuotes = false
        var wasQuoted = false
        var index = line.startIndex
        while index < line.endIndex {
            let byte = line[index]
            if inQuotes {
                if byte != quote {
                    field.append(byte)
                } else if index + 1 < line.endIndex, line[index + 1] == quote {
                    field.append(byte)
                    index += 1
                } else {
                    inQuotes = false
                    wasQuoted = true
                }
            } else if byte == comma {
                fields.append(field)
                field.removeAll(keepingCapacity: true)
                wasQuoted = false
            } else if wasQuoted {
                throw Self.malformed("text after the closing quote of field \(fields.count + 1)")
            } else if byte == quote {
                guard field.isEmpty else {
                    throw Self.malformed(
                        "a quote inside unquoted field \(fields.count + 1); quote the whole field and double the quote")
                }
                inQuotes = true
            } else {
                field.append(byte)
            }
            index += 1
        }
        if inQuotes {
            throw Self.malformed(
                "the quote of field \(fields.count + 1) is not closed (a record is one line: line breaks inside "
                    + "quoted fields are not supported)")
        }
        fields.append(field)
        return fields
    }

    private static func malformed(_ reason: String) -> ProfileError {
        ProfileError(reason, code: .malformedRecord)
    }

    /// Parses one record into `builder` (reset first); `id` receives the record's id as soon as
    /// it is read, so that an error later in the record can name it (unless `keepingID` is
    /// false: statistics never name a record). `line` excludes the newline; a trailing `\r` is
    /// ignored.
    func parse(
        _ line: UnsafeBufferPointer<UInt8>,
        into builder: inout RowBuilder,
        id: inout String?,
        keepingID: Bool = true
    ) throws(ProfileError) {
        builder.reset()
        id = nil
        var end = line.count
        if end > 0, line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let body = UnsafeBufferPointer(rebasing: line[0..<end])
        var othersCount: Int?
        // Unquoted fields, the common case, in one pass; a record with a quote anywhere is read
        // again by the general path (also when the pass failed first: that path decides the
        // error, as it always has).
        let quoted: Bool
        do {
            quoted = try !parseUnquoted(body, into: &builder, id: &id, othersCount: &othersCount, keepingID: keepingID)
        } catch {
            guard body.contains(UInt8(ascii: "\"")) else { throw error }
            quoted = true
        }
        if quoted {
            builder.reset()
            id = nil
            othersCount = nil
            let fields = try Self.split(Array(body)[...])
            let cells = plan.cells
            guard fields.count == cells.count else {
                throw Self.malformed("the record has \(fields.count) fields; the header has \(cells.count)")
            }
            for (column, field) in fields.enumerated() {
                try field.withUnsafeBufferPointer { (bytes) throws(ProfileError) in
                    try store(
                        bytes, column: column, cell: cells[column], id: &id, othersCount: &othersCount,
                        builder: &builder)
                }
            }
            if !keepingID { id = nil }
        }
        try builder.settleGroups(othersCount: othersCount)
        if builder.isEmpty { throw ProfileError("the record has no scores") }
        builder.finish()
    }

    /// Reads a record of unquoted fields into `builder`; false, having stopped, when it meets a
    /// quote (the general path reads such a record). The usual cells are read by `scan`,
    /// without calls; it stops at any other (a score of another shape or outside the scale, an
    /// id to keep, an attribute value that is not allowed, a count, a field beyond the
    /// header's), which `store` reads once its end is found, and the scan goes on after it.
    @inline(__always)
    private func parseUnquoted(
        _ body: UnsafeBufferPointer<UInt8>,
        into builder: inout RowBuilder,
        id: inout String?,
        othersCount: inout Int?,
        keepingID: Bool
    ) throws(ProfileError) -> Bool {
        let count = body.count
        let cells = plan.cells
        guard let base = body.baseAddress, count > 0 else {
            // One empty field.
            guard cells.count == 1 else {
                throw Self.malformed("the record has 1 fields; the header has \(cells.count)")
            }
            return true
        }
        var scan = Scan(
            base: base, count: count, cells: cells, row: builder.combinedScores(),
            codes: builder.attributeCodes(), plan: plan, scaleMin: scaleMin, scaleMax: scaleMax, tables: decimals,
            keepingID: keepingID)
        defer { if scan.combinedGiven { builder.noteCombinedGiven() } }
        while !scan.run() {
            // The cell at `scan.column`, from `scan.fieldStart`, is not one the scan reads.
            let (column, fieldStart) = (scan.column, scan.fieldStart)
            let index = Self.delimiter(in: body, from: fieldStart)
            if index < count, base[index] == UInt8(ascii: "\"") { return false }
            if column < cells.count, index > fieldStart, keepingID || cells[column].kind != .id {
                try store(
                    UnsafeBufferPointer(start: base + fieldStart, count: index - fieldStart), column: column,
                    cell: cells[column], id: &id, othersCount: &othersCount, builder: &builder)
            }
            scan.column += 1
            scan.fieldStart = index + 1
            if index == count { break }
        }
        guard scan.column == cells.count else {
            throw Self.malformed("the record has \(scan.column) fields; the header has \(cells.count)")
        }
        return true
    }

    /// The per-record loop over the usual cells, in plain memory and without calls: scores of
    /// the combined view in the shapes `DecimalParser.cell` reads and inside the scale (stored
    /// straight into the row), empty cells, attribute values (matched as bytes, their codes
    /// stored), and ids when they are not kept.
    struct Scan {
        let base: UnsafePointer<UInt8>
        let count: Int
        let cells: UnsafeMutableBufferPointer<Cell>
        let row: UnsafeMutablePointer<Double>
        let codes: UnsafeMutablePointer<Int>
        let attributes: UnsafePointer<AttributeValue>
        let text: UnsafePointer<UInt8>
        let scaleMin: Double
        let scaleMax: Double
        let tables: DecimalParser.Tables
        let keepingID: Bool
        /// The next cell: its column and where it starts.
        var column = 0
        var fieldStart = 0
        /// Whether a score of the combined view was stored.
        var combinedGiven = false

        init(
            base: UnsafePointer<UInt8>, count: Int, cells: UnsafeMutableBufferPointer<Cell>,
            row: UnsafeMutablePointer<Double>, codes: UnsafeMutablePointer<Int>, plan: Plan, scaleMin: Double,
            scaleMax: Double, tables: DecimalParser.Tables, keepingID: Bool
        ) {
            self.base = base
            self.count = count
            self.cells = cells
            self.row = row
            self.codes = codes
            attributes = UnsafePointer(plan.attributes)
            text = UnsafePointer(plan.text)
            self.scaleMin = scaleMin
            self.scaleMax = scaleMax
            self.tables = tables
            self.keepingID = keepingID
        }

        /// Reads cells until the record's end (true, with `column` the number of fields) or a
        /// cell it does not read (false, `column` and `fieldStart` naming it). A function of its
        /// own, small enough that the number and attribute readers are inlined into its loop;
        /// what it reads of `self` it reads once, into locals, since a store into the row could
        /// otherwise be taken to change them.
        @inline(never)
        mutating func run() -> Bool {
            let (base, count, cells, row, codes) = (self.base, self.count, self.cells, self.row, self.codes)
            let (scaleMin, scaleMax, tables, keepingID) = (self.scaleMin, self.scaleMax, self.tables, self.keepingID)
            let (attributes, text) = (self.attributes, self.text)
            var column = self.column
            var start = fieldStart
            var stored = false
            defer {
                self.column = column
                fieldStart = start
                if stored { combinedGiven = true }
            }
            let cellCount = cells.count
            let comma = UInt8(ascii: ",")
            while column < cellCount {
                let cell = cells[column]
                var end: Int
                if cell.kind == .combined {
                    // Cells of the usual shapes, on their own path.
                    let (read, next) = Self.usual(
                        base, count, start, cells.baseAddress.unsafelyUnwrapped + column, cell.run, row, tables,
                        (scaleMin, scaleMax))
                    if read > 0 {
                        stored = true
                        column &+= read
                        start = next
                        continue
                    }
                    // A number first, an empty cell only when it is none.
                    if let number = DecimalParser.cell(base, from: start, end: count, tables),
                        number.value >= scaleMin, number.value <= scaleMax
                    {
                        row[cell.target] = number.value
                        stored = true
                        end = number.end
                    } else if start == count || base[start] == comma {
                        end = start
                    } else {
                        return false
                    }
                } else if start == count || base[start] == comma {
                    end = start
                } else {
                    switch cell.kind {
                    case .attribute:
                        end = CSVPopulation.delimiter(in: UnsafeBufferPointer(start: base, count: count), from: start)
                        guard end == count || base[end] == comma,
                            let code = Self.match(
                                base + start, end - start, readable: count - start, attributes + cell.values.lowerBound,
                                cell.values.count, text)
                        else { return false }
                        codes[cell.target] = code
                    case .id where !keepingID:
                        end = CSVPopulation.delimiter(in: UnsafeBufferPointer(start: base, count: count), from: start)
                        guard end == count || base[end] == comma else { return false }
                    default:
                        return false
                    }
                }
                column &+= 1
                if end == count { return true }
                start = end &+ 1
            }
            // More fields than the header has columns.
            return false
        }

        /// Reads the cells of the usual shapes inside the scale from `start` (the `run` cells at
        /// `cells` being combined scores) into `row`: `d.ddd,`, `d.dd,`, `d,`, `d.d,` and `d.dddddd,`, as
        /// `DecimalParser.cell` reads them. It stops at any other cell, and at the record's last
        /// (no comma after it): how many it read, and where the next cell starts. A function of
        /// its own, with few values live, so that its loop keeps them all in registers; each
        /// shape moves on by its own constant, so the next cell's start does not wait on this
        /// one's bytes.
        @inline(never)
        private static func usual(
            _ base: UnsafePointer<UInt8>, _ count: Int, _ start: Int, _ cells: UnsafePointer<Cell>, _ run: Int,
            _ row: UnsafeMutablePointer<Double>, _ tables: DecimalParser.Tables, _ scale: (min: Double, max: Double)
        ) -> (read: Int, next: Int) {
            var read = 0
            var start = start
            while read < run, start &+ 8 <= count {
                let x = DecimalParser.word(base + start)
                let value: Double
                if let n = DecimalParser.thousandths(x) {
                    value = tables.thousandths[n]
                    guard value >= scale.min, value <= scale.max else { break }
                    start &+= 6
                } else if let n = DecimalParser.hundredths(x) {
                    value = tables.hundredths[n]
                    guard value >= scale.min, value <= scale.max else { break }
                    start &+= 5
                } else if let n = DecimalParser.units(x) {
                    value = Double(n)
                    guard value >= scale.min, value <= scale.max else { break }
                    start &+= 2
                } else if let n = DecimalParser.tenths(x) {
                    value = tables.tenths[n]
                    guard value >= scale.min, value <= scale.max else { break }
                    start &+= 4
                } else if start &+ 8 < count, base[start &+ 8] == UInt8(ascii: ","), let n = DecimalParser.millionths(x)
                {
                    value = Double(n) / tables.powers[6]
                    guard value >= scale.min, value <= scale.max else { break }
                    start &+= 9
                } else {
                    break
                }
                row[cells[read].target] = value
                read &+= 1
            }
            return (read, start)
        }

        /// The code of the attribute value among `values` (`count` of them, their bytes in
        /// `text`) that the `length` bytes at `cell` hold, or nil; `readable` bytes may be read
        /// from `cell`. Its first eight bytes (zero bytes past its end) are compared as one word
        /// with each value's, the rest only for a value of the same length and first eight bytes.
        @inline(always)
        private static func match(
            _ cell: UnsafePointer<UInt8>, _ length: Int, readable: Int, _ values: UnsafePointer<AttributeValue>,
            _ count: Int, _ text: UnsafePointer<UInt8>
        ) -> Int? {
            var prefix: UInt64
            if readable >= 8 {
                prefix = UInt64(littleEndian: UnsafeRawPointer(cell).loadUnaligned(as: UInt64.self))
                if length < 8 { prefix &= (UInt64(1) << UInt64(8 * length)) &- 1 }
            } else {
                prefix = 0
                for index in 0..<Swift.min(length, 8) { prefix |= UInt64(cell[index]) << UInt64(8 * index) }
            }
            for index in 0..<count {
                let value = values[index]
                guard value.length == length, value.prefix == prefix else { continue }
                if length <= 8 || memcmp(cell + 8, text + value.offset + 8, length - 8) == 0 {
                    return value.code
                }
            }
            return nil
        }
    }

    /// The index of the first comma or quote in `body` from `start`, or its end: eight bytes at
    /// a time (a byte equal to the one sought becomes a zero byte, found by the borrow trick).
    @inline(__always)
    static func delimiter(in body: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let count = body.count
        var index = start
        if let base = body.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                let commas = word ^ (ones &* UInt64(UInt8(ascii: ",")))
                let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
                let found = ((commas &- ones) & ~commas | (quotes &- ones) & ~quotes) & highs
                if found != 0 { return index + found.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < count, body[index] != UInt8(ascii: ","), body[index] != UInt8(ascii: "\"") { index += 1 }
        return index
    }

    /// Stores one non-empty cell: a score inside the scale here (the usual shapes inline, any
    /// other number through `DecimalParser.general`), anything else (other columns, errors) out
    /// of line.
    @inline(__always)
    private func store(
        _ bytes: UnsafeBufferPointer<UInt8>,
        column: Int,
        cell: Cell,
        id: inout String?,
        othersCount: inout Int?,
        builder: inout RowBuilder
    ) throws(ProfileError) {
        if cell.kind == .score || cell.kind == .combined, let value = DecimalParser.parse(bytes, decimals),
            value >= scaleMin, value <= scaleMax
        {
            builder.setCell(slot: cell.target, view: cell.view, value)
            return
        }
        try storeInGeneral(bytes, column: column, cell: cell, id: &id, othersCount: &othersCount, builder: &builder)
    }

    @inline(never)
    private func storeInGeneral(
        _ bytes: UnsafeBufferPointer<UInt8>,
        column: Int,
        cell: Cell,
        id: inout String?,
        othersCount: inout Int?,
        builder: inout RowBuilder
    ) throws(ProfileError) {
        if bytes.isEmpty { return }
        switch cell.kind {
        case .score, .combined:
            guard let value = DecimalParser.parse(bytes, decimals) else {
                throw ProfileError(
                    "score for '\(names[column])' is '\(String(decoding: bytes, as: UTF8.self))', not a number",
                    field: names[column]
                )
            }
            if !(value >= scaleMin && value <= scaleMax) {
                try ScoreCheck.check(value, name: names[column], instrument: instrument, field: names[column])
            }
            builder.setCell(slot: cell.target, view: cell.view, value)
        case .id:
            id = String(decoding: bytes, as: UTF8.self)
        case .attribute:
            let index = cell.target
            let candidates = attributeBytes[index]
            for code in candidates.indices where Self.equal(candidates[code], bytes) {
                builder.setAttribute(index, code: code)
                return
            }
            let value = String(decoding: bytes, as: UTF8.self)
            let allowed = attributeValues[index]
            let name = attributeNames[index]
            throw ProfileError(
                "unknown \(name) '\(value)'; expected one of: \(allowed.joined(separator: ", "))"
                    + Suggestions.inParentheses(value, in: allowed),
                field: name
            )
        case .count:
            builder.setCountCell(group: cell.target, try Self.count(bytes, names[column]))
        case .othersCount:
            othersCount = try Self.count(bytes, names[column])
        }
    }

    /// Whether a cell holds exactly `value`'s bytes.
    @inline(__always)
    private static func equal(_ value: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard value.count == bytes.count else { return false }
        return value.withUnsafeBufferPointer { value in
            for index in 0..<bytes.count where value[index] != bytes[index] { return false }
            return true
        }
    }

    private static func count(_ bytes: UnsafeBufferPointer<UInt8>, _ name: String) throws(ProfileError) -> Int {
        guard let value = DecimalParser.parse(bytes), value == value.rounded(), value >= 0, value < 1e9 else {
            throw ProfileError(
                "'\(name)' is '\(String(decoding: bytes, as: UTF8.self))', not a whole number of raters",
                field: name
            )
        }
        return Int(value)
    }
}
