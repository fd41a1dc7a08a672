extension PopulationPlan {
    /// The CSV header: `id`, `level`, the attributes, then `GROUP.count` and `GROUP.DIMENSION`
    /// for each rater group — or the dimensions alone for combined scores.
    func csvHeader(raters: SyntheticPopulation.Raters) -> [UInt8] {
        var columns = ["id", "level"] + attributes.map(\.name)
        switch raters {
        case .none:
            columns += dimensionNames
        case .all:
            for group in groups {
                columns.append("\(group.name).count")
                columns += dimensionNames.map { "\(group.name).\($0)" }
            }
        }
        return Array(columns.map(CSVText.cell).joined(separator: ",").utf8) + [UInt8(ascii: "\n")]
    }
}

/// Writes one drawn row as a CSV line or a JSON line, from constant fragments prepared once and
/// numbers formatted with integer arithmetic, straight into the output block.
struct RowEncoder {
    private let plan: PopulationPlan
    private let format: SyntheticPopulation.Format
    private let raters: SyntheticPopulation.Raters
    private let fragments: ByteTable
    private let decimals = DecimalTable.shared
    /// Fragment indices: each level, each attribute's values (and, for JSON, its key), each
    /// group's opening, each dimension's key.
    private let levelBase: Int
    private let attributeBases: [Int]
    private let attributeKeyBase: Int
    private let groupBase: Int
    private let dimensionBase: Int
    /// Bytes a row can take at most; the block keeps this much room past its nominal size.
    let maximumRowBytes: Int

    init(plan: PopulationPlan, format: SyntheticPopulation.Format, raters: SyntheticPopulation.Raters) {
        self.plan = plan
        self.format = format
        self.raters = raters
        var strings: [[UInt8]] = []
        func add(_ text: String) { strings.append(Array(text.utf8)) }
        let json = format == .jsonl
        levelBase = strings.count
        for level in plan.levels { add(json ? JSONText.string(level) : CSVText.cell(level)) }
        var bases: [Int] = []
        for attribute in plan.attributes {
            bases.append(strings.count)
            for value in attribute.values { add(json ? JSONText.string(value) : CSVText.cell(value)) }
        }
        attributeBases = bases
        attributeKeyBase = strings.count
        for attribute in plan.attributes { add(",\(JSONText.string(attribute.name)):") }
        groupBase = strings.count
        for group in plan.groups { add("\(JSONText.string(group.name)):{\"count\":") }
        dimensionBase = strings.count
        for name in plan.dimensionNames { add("\(JSONText.string(name)):") }
        fragments = ByteTable(strings)

        // The widest number the scale allows: sign, digits, point, two decimals.
        let numberBytes =
            [plan.centsRange.lowerBound, plan.centsRange.upperBound].map { String(Int($0)).count + 2 }.max() ?? 8
        let longest = { (range: Range<Int>) in range.map { strings[$0].count }.max() ?? 0 }
        var fixed = 64 + plan.idWidth + longest(levelBase..<levelBase + plan.levels.count)
        for (index, attribute) in plan.attributes.enumerated() {
            fixed += 2 + strings[attributeKeyBase + index].count
            fixed += longest(attributeBases[index]..<attributeBases[index] + attribute.values.count)
        }
        let cells = strings[dimensionBase..<dimensionBase + plan.dimensionNames.count].reduce(0) {
            $0 + $1.count + numberBytes + 2
        }
        let perGroup = 48 + cells + (strings[groupBase..<groupBase + plan.groups.count].map(\.count).max() ?? 0)
        maximumRowBytes = fixed + max(plan.groups.count, 1) * perGroup
    }

    /// Writes row `row` (its id from the index) and returns the bytes written.
    func encode(row: Int, _ draw: RowDraw, into start: UnsafeMutablePointer<UInt8>) -> Int {
        var out = start
        switch format {
        case .csv: encodeCSV(row: row, draw, &out)
        case .jsonl: encodeJSON(row: row, draw, &out)
        }
        return out - start
    }

    private func encodeCSV(row: Int, _ draw: RowDraw, _ out: inout UnsafeMutablePointer<UInt8>) {
        Self.put(id: row + 1, width: plan.idWidth, &out)
        Self.put(ascii: ",", &out)
        fragments.copy(levelBase + draw.level, &out)
        for index in attributeBases.indices {
            Self.put(ascii: ",", &out)
            fragments.copy(attributeBases[index] + draw.attributes[index], &out)
        }
        let dimensions = plan.dimensionCount
        switch raters {
        case .none:
            cellsCSV(view: 0, draw, &out)
        case .all:
            for group in 0..<plan.groups.count {
                Self.put(ascii: ",", &out)
                Self.put(whole: draw.counts[group], &out)
                if draw.counts[group] > 0 {
                    cellsCSV(view: group, draw, &out)
                } else {
                    for _ in 0..<dimensions { Self.put(ascii: ",", &out) }
                }
            }
        }
        Self.put(ascii: "\n", &out)
    }

    @inline(__always)
    private func cellsCSV(view: Int, _ draw: RowDraw, _ out: inout UnsafeMutablePointer<UInt8>) {
        let cells = draw.cents + view * plan.dimensionCount
        for dimension in 0..<plan.dimensionCount {
            Self.put(ascii: ",", &out)
            let cents = cells[dimension]
            if cents != RowDraw.missing { put(cents: cents, &out) }
        }
    }

    private func encodeJSON(row: Int, _ draw: RowDraw, _ out: inout UnsafeMutablePointer<UInt8>) {
        Self.put(#"{"id":""#, &out)
        Self.put(id: row + 1, width: plan.idWidth, &out)
        Self.put(#"","level":"#, &out)
        fragments.copy(levelBase + draw.level, &out)
        for index in attributeBases.indices {
            fragments.copy(attributeKeyBase + index, &out)
            fragments.copy(attributeBases[index] + draw.attributes[index], &out)
        }
        switch raters {
        case .none:
            Self.put(#","scores":{"#, &out)
            cellsJSON(view: 0, draw, &out)
            Self.put("}", &out)
        case .all:
            Self.put(#","raters":{"#, &out)
            var first = true
            for group in 0..<plan.groups.count where draw.counts[group] > 0 {
                if !first { Self.put(ascii: ",", &out) }
                first = false
                fragments.copy(groupBase + group, &out)
                Self.put(whole: draw.counts[group], &out)
                Self.put(#","scores":{"#, &out)
                cellsJSON(view: group, draw, &out)
                Self.put("}}", &out)
            }
            Self.put("}", &out)
        }
        Self.put("}\n", &out)
    }

    @inline(__always)
    private func cellsJSON(view: Int, _ draw: RowDraw, _ out: inout UnsafeMutablePointer<UInt8>) {
        let cells = draw.cents + view * plan.dimensionCount
        var first = true
        for dimension in 0..<plan.dimensionCount {
            let cents = cells[dimension]
            if cents == RowDraw.missing { continue }
            if !first { Self.put(ascii: ",", &out) }
            first = false
            fragments.copy(dimensionBase + dimension, &out)
            put(cents: cents, &out)
        }
    }

    @inline(__always)
    private static func put(ascii: Unicode.Scalar, _ out: inout UnsafeMutablePointer<UInt8>) {
        out.pointee = UInt8(ascii: ascii)
        out += 1
    }

    /// A short ASCII literal.
    @inline(__always)
    private static func put(_ text: StaticString, _ out: inout UnsafeMutablePointer<UInt8>) {
        let count = text.utf8CodeUnitCount
        out.update(from: text.utf8Start, count: count)
        out += count
    }

    /// `p` and the 1-based row number, zero-padded to `width` digits.
    @inline(__always)
    private static func put(id: Int, width: Int, _ out: inout UnsafeMutablePointer<UInt8>) {
        out.pointee = UInt8(ascii: "p")
        var value = id
        var index = width
        while index > 0 {
            out[index] = UInt8(truncatingIfNeeded: 48 + value % 10)
            value /= 10
            index -= 1
        }
        out += width + 1
    }

    /// A whole number ≥ 0.
    @inline(__always)
    private static func put(whole value: Int, _ out: inout UnsafeMutablePointer<UInt8>) {
        if value < 10 {
            out.pointee = UInt8(truncatingIfNeeded: 48 + value)
            out += 1
            return
        }
        var digits = 0
        var rest = value
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        rest = value
        for index in stride(from: digits - 1, through: 0, by: -1) {
            out[index] = UInt8(truncatingIfNeeded: 48 + rest % 10)
            rest /= 10
        }
        out += digits
    }

    /// Hundredths as a decimal with exactly two places: 407 → `4.07`, -5 → `-0.05`.
    @inline(__always)
    private func put(cents: Int, _ out: inout UnsafeMutablePointer<UInt8>) {
        if let text = decimals.text(cents) {
            // The common case on a 1–5 scale: four bytes from a table, in one store.
            UnsafeMutableRawPointer(out).storeBytes(of: text, as: UInt32.self)
            out += 4
            return
        }
        var magnitude = cents
        if cents < 0 {
            Self.put(ascii: "-", &out)
            magnitude = -cents
        }
        Self.put(whole: magnitude / 100, &out)
        let fraction = magnitude % 100
        out[0] = UInt8(ascii: ".")
        out[1] = UInt8(truncatingIfNeeded: 48 + fraction / 10)
        out[2] = UInt8(truncatingIfNeeded: 48 + fraction % 10)
        out += 3
    }
}

/// `1.00` to `9.99` as four ASCII bytes each, packed in a `UInt32` in memory order.
///
/// `@unchecked Sendable`: written once in `init`, only read afterwards.
final class DecimalTable: @unchecked Sendable {
    static let shared = DecimalTable()

    private let words: UnsafeMutablePointer<UInt32>

    private init() {
        words = .allocate(capacity: 900)
        for cents in 100..<1000 {
            let bytes: [UInt8] = [
                UInt8(48 + cents / 100), UInt8(ascii: "."), UInt8(48 + cents / 10 % 10), UInt8(48 + cents % 10),
            ]
            var word: UInt32 = 0
            withUnsafeMutableBytes(of: &word) { $0.copyBytes(from: bytes) }
            words[cents - 100] = word
        }
    }

    deinit { words.deallocate() }

    /// The text of `cents` hundredths when it has one digit before the point, else nil.
    @inline(__always)
    func text(_ cents: Int) -> UInt32? {
        UInt(bitPattern: cents &- 100) < 900 ? words[cents - 100] : nil
    }
}

/// Constant byte strings laid end to end in one allocation, copied out by index without
/// reference counting or bounds checks in the row loop.
///
/// `@unchecked Sendable`: written once in `init`, only read afterwards.
final class ByteTable: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<UInt8>
    /// Where each string starts; one more entry marks the end of the last.
    private let starts: UnsafeMutablePointer<Int>

    init(_ strings: [[UInt8]]) {
        let total = strings.reduce(0) { $0 + $1.count }
        storage = .allocate(capacity: max(total, 1))
        starts = .allocate(capacity: strings.count + 1)
        var offset = 0
        for (index, string) in strings.enumerated() {
            starts[index] = offset
            for byte in string {
                storage[offset] = byte
                offset += 1
            }
        }
        starts[strings.count] = offset
    }

    deinit {
        storage.deallocate()
        starts.deallocate()
    }

    /// Copies string `index` to `out` and moves `out` past it.
    @inline(__always)
    func copy(_ index: Int, _ out: inout UnsafeMutablePointer<UInt8>) {
        let start = starts[index]
        let count = starts[index + 1] - start
        out.update(from: storage + start, count: count)
        out += count
    }
}

/// CSV cells: quoted only when they must be (a comma, a quote or a line break).
enum CSVText {
    static func cell(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        var quoted = "\""
        for character in text { quoted += character == "\"" ? "\"\"" : String(character) }
        return quoted + "\""
    }
}

/// JSON strings for names taken from the instrument, escaped as advice JSON escapes them.
enum JSONText {
    static func string(_ text: String) -> String {
        var result = ""
        JSONWriter.escape(text, into: &result)
        return result
    }
}
