/// Reads population CSV: a header row names the columns (`id`, `level`, attributes such as
/// `role`, the dimensions for the combined view, `GROUP.dimension` and `GROUP.count` for rater
/// groups); each following line is one profile. Empty cells are missing. Fields may be quoted
/// (RFC 4180); CRLF line ends and a byte-order mark are accepted.
struct CSVPopulation: Sendable {
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

    /// Plans the columns from the header line; any unknown or repeated column is an error,
    /// since it would make every record wrong.
    init(header line: [UInt8], instrument: Instrument) throws(PopulationError) {
        self.instrument = instrument
        var bytes = line
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard let fields = Self.split(bytes[...]), !fields.isEmpty,
            fields.contains(where: { !$0.isEmpty })
        else {
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
    }

    private static func unknown(_ name: String, _ position: Int, _ known: [String]) -> PopulationError {
        PopulationError("unknown column '\(name)' (column \(position + 1))\(Suggestions.didYouMean(name, in: known))")
    }

    /// Splits a line into fields (quotes removed, `""` unescaped); nil when a quote is not closed.
    static func split(_ line: ArraySlice<UInt8>) -> [[UInt8]]? {
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        var inQuotes = false
        var index = line.startIndex
        while index < line.endIndex {
            let byte = line[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < line.endIndex, line[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: ",") {
                fields.append(field)
                field.removeAll(keepingCapacity: true)
            } else if byte == UInt8(ascii: "\""), field.isEmpty {
                inQuotes = true
            } else {
                field.append(byte)
            }
            index += 1
        }
        if inQuotes { return nil }
        fields.append(field)
        return fields
    }

    /// Parses one record into `builder` (reset first) and returns its id. `line` excludes the
    /// newline; a trailing `\r` is ignored.
    func parse(_ line: UnsafeBufferPointer<UInt8>, into builder: inout RowBuilder) throws(ProfileError) -> String? {
        builder.reset()
        var end = line.count
        if end > 0, line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let body = UnsafeBufferPointer(rebasing: line[0..<end])
        if body.contains(UInt8(ascii: "\"")) {
            // Rare: quoted fields take the general path.
            guard let fields = Self.split(Array(body)[...]) else {
                throw ProfileError("a quoted field is not closed")
            }
            return try fields.withUnsafeFieldPointers { (pointers) throws(ProfileError) -> String? in
                try parse(fields: pointers, into: &builder)
            }
        }
        var fieldCount = 1
        var index = 0
        var id: String?
        var fieldStart = 0
        var column = 0
        var groupSeen = [Bool](repeating: false, count: instrument.raterGroups.count)
        var counts = [Int](repeating: -1, count: instrument.raterGroups.count)
        var othersSeen = false
        var othersCount: Int?
        func cell(_ start: Int, _ stop: Int) throws(ProfileError) {
            guard column < columns.count else { return }
            let bytes = UnsafeBufferPointer(rebasing: body[start..<stop])
            try store(
                bytes,
                column: column,
                id: &id,
                builder: &builder,
                groupSeen: &groupSeen,
                counts: &counts,
                othersSeen: &othersSeen,
                othersCount: &othersCount
            )
        }
        while index < body.count {
            if body[index] == UInt8(ascii: ",") {
                try cell(fieldStart, index)
                column += 1
                fieldCount += 1
                fieldStart = index + 1
            }
            index += 1
        }
        try cell(fieldStart, body.count)
        guard fieldCount == columns.count else {
            throw ProfileError("the record has \(fieldCount) fields; the header has \(columns.count)")
        }
        try finishGroups(&builder, groupSeen: groupSeen, counts: counts, othersSeen: othersSeen, othersCount: othersCount)
        return id
    }

    private func parse(fields: [UnsafeBufferPointer<UInt8>], into builder: inout RowBuilder) throws(ProfileError)
        -> String?
    {
        guard fields.count == columns.count else {
            throw ProfileError("the record has \(fields.count) fields; the header has \(columns.count)")
        }
        var id: String?
        var groupSeen = [Bool](repeating: false, count: instrument.raterGroups.count)
        var counts = [Int](repeating: -1, count: instrument.raterGroups.count)
        var othersSeen = false
        var othersCount: Int?
        for (column, field) in fields.enumerated() {
            try store(
                field,
                column: column,
                id: &id,
                builder: &builder,
                groupSeen: &groupSeen,
                counts: &counts,
                othersSeen: &othersSeen,
                othersCount: &othersCount
            )
        }
        try finishGroups(&builder, groupSeen: groupSeen, counts: counts, othersSeen: othersSeen, othersCount: othersCount)
        return id
    }

    private func store(
        _ bytes: UnsafeBufferPointer<UInt8>,
        column: Int,
        id: inout String?,
        builder: inout RowBuilder,
        groupSeen: inout [Bool],
        counts: inout [Int],
        othersSeen: inout Bool,
        othersCount: inout Int?
    ) throws(ProfileError) {
        if bytes.isEmpty { return }
        switch columns[column] {
        case .id:
            id = String(decoding: bytes, as: UTF8.self)
        case .attribute(let index):
            let value = String(decoding: bytes, as: UTF8.self)
            let allowed = instrument.attributeValues(index)
            let name = instrument.attributeNames[index]
            guard let code = allowed.firstIndex(of: value) else {
                throw ProfileError(
                    "unknown \(name) '\(value)'\(Suggestions.didYouMean(value, in: allowed)); "
                        + "expected one of: \(allowed.joined(separator: ", "))",
                    field: name
                )
            }
            builder.setAttribute(index, code: code)
        case .score(let view, let dimension):
            guard let value = DecimalParser.parse(bytes) else {
                throw ProfileError(
                    "score for '\(names[column])' is '\(String(decoding: bytes, as: UTF8.self))', not a number",
                    field: names[column]
                )
            }
            try ScoreCheck.check(value, name: names[column], instrument: instrument, field: names[column])
            builder.setScore(view: view, dimension: dimension, value)
            if view > 0, view <= groupSeen.count { groupSeen[view - 1] = true }
            if view == groupSeen.count + 1 { othersSeen = true }
        case .count(let group):
            counts[group] = try Self.count(bytes, names[column])
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

    private func finishGroups(
        _ builder: inout RowBuilder,
        groupSeen: [Bool],
        counts: [Int],
        othersSeen: Bool,
        othersCount: Int?
    ) throws(ProfileError) {
        // A group is present when it has scores or raters; a count of 0 with no scores is absent.
        for group in groupSeen.indices where groupSeen[group] || counts[group] > 0 {
            let name = instrument.raterGroups[group].name
            if counts[group] >= 0 {
                builder.setGroup(group, count: counts[group])
            } else if instrument.selfGroup == group {
                builder.setGroup(group, count: 1)
            } else {
                throw ProfileError("'\(name)' has scores but no '\(name).count'", field: "\(name).count")
            }
        }
        if othersSeen || othersCount != nil {
            guard let othersCount else {
                throw ProfileError("'others' has scores but no 'others.count'", field: "others.count")
            }
            builder.setOthers(count: othersCount)
        }
        if builder.isEmpty {
            throw ProfileError("the record has no scores")
        }
        builder.finish()
    }
}

extension Array where Element == [UInt8] {
    /// Calls `body` with each field as a buffer pointer.
    fileprivate func withUnsafeFieldPointers<R>(
        _ body: ([UnsafeBufferPointer<UInt8>]) throws(ProfileError) -> R
    ) throws(ProfileError) -> R {
        let copies = map { field -> UnsafeMutableBufferPointer<UInt8> in
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: Swift.max(1, field.count))
            _ = buffer.initialize(from: field)
            return UnsafeMutableBufferPointer(rebasing: buffer[0..<field.count])
        }
        defer { for copy in copies { copy.deallocate() } }
        return try body(copies.map { UnsafeBufferPointer($0) })
    }
}
