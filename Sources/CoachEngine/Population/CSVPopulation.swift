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

    let instrument: Instrument
    let columns: [Column]
    let names: [String]
    private let scaleMin: Double
    private let scaleMax: Double
    /// Per attribute: its name and its values, as text and as bytes (matched without making
    /// a String per cell).
    private let attributeNames: [String]
    private let attributeValues: [[String]]
    private let attributeBytes: [[[UInt8]]]

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
        self.columns = columns
        self.names = names
        scaleMin = instrument.scaleMin
        scaleMax = instrument.scaleMax
        attributeNames = instrument.attributeNames
        attributeValues = instrument.attributeNames.indices.map { instrument.attributeValues($0) }
        attributeBytes = attributeValues.map { values in values.map { Array($0.utf8) } }
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
        if body.contains(UInt8(ascii: "\"")) {
            // Rare: quoted fields take the general path.
            let fields = try Self.split(Array(body)[...])
            guard fields.count == columns.count else {
                throw Self.malformed("the record has \(fields.count) fields; the header has \(columns.count)")
            }
            for (column, field) in fields.enumerated() {
                try field.withUnsafeBufferPointer { (bytes) throws(ProfileError) in
                    try store(bytes, column: column, id: &id, othersCount: &othersCount, builder: &builder)
                }
            }
            if !keepingID { id = nil }
        } else {
            var column = 0
            var fieldStart = 0
            for index in 0...body.count where index == body.count || body[index] == UInt8(ascii: ",") {
                if column < columns.count, index > fieldStart, keepingID || columns[column] != .id {
                    let bytes = UnsafeBufferPointer(rebasing: body[fieldStart..<index])
                    try store(bytes, column: column, id: &id, othersCount: &othersCount, builder: &builder)
                }
                column += 1
                fieldStart = index + 1
            }
            guard column == columns.count else {
                throw Self.malformed("the record has \(column) fields; the header has \(columns.count)")
            }
        }
        try builder.settleGroups(othersCount: othersCount)
        if builder.isEmpty { throw ProfileError("the record has no scores") }
        builder.finish()
    }

    /// Stores one non-empty cell.
    @inline(__always)
    private func store(
        _ bytes: UnsafeBufferPointer<UInt8>,
        column: Int,
        id: inout String?,
        othersCount: inout Int?,
        builder: inout RowBuilder
    ) throws(ProfileError) {
        if bytes.isEmpty { return }
        switch columns[column] {
        case .score(let view, let dimension):
            guard let value = DecimalParser.parse(bytes) else {
                throw ProfileError(
                    "score for '\(names[column])' is '\(String(decoding: bytes, as: UTF8.self))', not a number",
                    field: names[column]
                )
            }
            if !(value >= scaleMin && value <= scaleMax) {
                try ScoreCheck.check(value, name: names[column], instrument: instrument, field: names[column])
            }
            builder.setCell(view: view, dimension: dimension, value)
        case .id:
            id = String(decoding: bytes, as: UTF8.self)
        case .attribute(let index):
            if let code = attributeBytes[index].firstIndex(where: { $0.elementsEqual(bytes) }) {
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
        case .count(let group):
            builder.setCountCell(group: group, try Self.count(bytes, names[column]))
        case .othersCount:
            othersCount = try Self.count(bytes, names[column])
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
