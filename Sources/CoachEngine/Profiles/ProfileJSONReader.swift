#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The fast path from a JSON profile straight into a `RowBuilder`: one pass over the bytes, no
/// syntax tree, no dictionaries, no strings but the id. It takes only well-formed profiles that
/// fit the instrument, in the plain shapes services send; anything else — an error of any kind,
/// an escape in a key, a duplicate field, an id given as a number — makes it decline, and the
/// caller takes the general path (`JSONParser` → `ProfileDecoder` → `PreparedProfile`), which
/// gives the exact answer or the exact error. The two paths agree on every profile the fast
/// one accepts (a randomized test compares them).
struct ProfileJSONReader: Sendable {
    /// Names as bytes, looked up by comparing bytes.
    private let dimensions: [[UInt8]]
    private let groups: [[UInt8]]
    /// The `self` group's index (a self-rating counts one rater without a count), or -1.
    private let selfGroup: Int
    private let attributes: [[UInt8]]
    private let attributeValues: [[[UInt8]]]
    private let scaleMin: Double
    private let scaleMax: Double

    init(instrument: Instrument) {
        dimensions = instrument.dimensions.map { Array($0.id.utf8) }
        groups = instrument.raterGroups.map { Array($0.name.utf8) }
        selfGroup = instrument.selfGroup ?? -1
        attributes = instrument.attributeNames.map { Array($0.utf8) }
        attributeValues = instrument.attributeNames.indices.map { index in
            instrument.attributeValues(index).map { Array($0.utf8) }
        }
        scaleMin = instrument.scaleMin
        scaleMax = instrument.scaleMax
    }

    /// Reads `bytes` into `builder` (reset first, finished after) and the profile's id into
    /// `id`; false when the general path must decide. A leading byte-order mark is skipped, as
    /// the general parser skips it.
    func read(_ bytes: UnsafeBufferPointer<UInt8>, into builder: inout RowBuilder, id: inout String?) -> Bool {
        builder.reset()
        id = nil
        var cursor = Cursor(bytes: bytes)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { cursor.index = 3 }
        guard read(profile: &cursor, into: &builder, id: &id) else { return false }
        cursor.skipWhitespace()
        guard cursor.index == bytes.count, !builder.isEmpty else { return false }
        builder.finish()
        return true
    }

    private func read(profile cursor: inout Cursor, into builder: inout RowBuilder, id: inout String?) -> Bool {
        var seen = Seen()
        return cursor.object { cursor, key in
            switch key.count {
            case 2 where key.elementsEqual("id".utf8):
                guard seen.insert(61) else { return false }
                if cursor.null() { return true }
                guard let text = cursor.string(), let value = String(validating: text, as: UTF8.self) else {
                    return false
                }
                id = value
                return true
            case 6 where key.elementsEqual("scores".utf8):
                guard seen.insert(62) else { return false }
                return read(scores: &cursor, view: 0, into: &builder)
            case 6 where key.elementsEqual("raters".utf8):
                guard seen.insert(63) else { return false }
                return read(raters: &cursor, into: &builder)
            default:
                // `level` and the instrument's other attributes: a string from the allowed list.
                guard let attribute = Self.index(of: key, in: attributes),
                    seen.insert(attribute)
                else { return false }
                if attribute == 0, cursor.null() { return true }
                guard let text = cursor.string(),
                    let code = Self.index(of: text, in: attributeValues[attribute])
                else { return false }
                builder.setAttribute(attribute, code: code)
                return true
            }
        }
    }

    private func read(scores cursor: inout Cursor, view: Int, into builder: inout RowBuilder) -> Bool {
        var seen = Seen()
        // Scores usually come in the instrument's order: the name after the last one is tried
        // first.
        var next = 0
        return cursor.object { cursor, key in
            guard let dimension = Self.index(of: key, in: dimensions, from: next), seen.insert(dimension)
            else { return false }
            next = dimension + 1
            if cursor.null() { return true }
            guard let value = cursor.number(), value >= scaleMin, value <= scaleMax else { return false }
            builder.setScore(view: view, dimension: dimension, value)
            return true
        }
    }

    private func read(raters cursor: inout Cursor, into builder: inout RowBuilder) -> Bool {
        var seen = Seen()
        return cursor.object { cursor, key in
            let others = key.elementsEqual("others".utf8)
            guard let group = others ? groups.count : Self.index(of: key, in: groups),
                seen.insert(group)
            else { return false }
            let view = group + 1
            var count: Int?
            var sawScores = false
            let fits = cursor.object { cursor, field in
                if field.elementsEqual("count".utf8), count == nil {
                    guard let value = cursor.number(), value >= 0, value < 1e9, value == value.rounded() else {
                        return false
                    }
                    count = Int(value)
                    return true
                }
                if field.elementsEqual("scores".utf8), !sawScores {
                    sawScores = true
                    return read(scores: &cursor, view: view, into: &builder)
                }
                return false
            }
            guard fits else { return false }
            if others {
                guard let count else { return false }
                builder.setOthers(count: count)
            } else {
                guard let count = count ?? (group == selfGroup ? 1 : nil) else { return false }
                builder.setGroup(group, count: count)
            }
            return true
        }
    }
}

extension ProfileJSONReader {
    /// The index of the name in `names` whose bytes `key` holds (`names[first]` tried first),
    /// or nil: lengths compared before bytes.
    @inline(__always)
    fileprivate static func index(
        of key: UnsafeBufferPointer<UInt8>, in names: [[UInt8]], from first: Int = 0
    ) -> Int? {
        if first < names.count, equal(names[first], key) { return first }
        for index in names.indices where index != first && equal(names[index], key) { return index }
        return nil
    }

    @inline(__always)
    private static func equal(_ name: [UInt8], _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard name.count == key.count else { return false }
        return name.withUnsafeBufferPointer { name in
            guard let a = name.baseAddress, let b = key.baseAddress else { return true }
            return memcmp(a, b, key.count) == 0
        }
    }
}

/// Which fields of an object were read, by index; an index of 64 or more is never "new", so
/// that a very large instrument simply takes the general path.
private struct Seen {
    private var bits: UInt64 = 0

    /// Whether `index` is new (and notes it).
    mutating func insert(_ index: Int) -> Bool {
        guard index >= 0, index < 64 else { return false }
        let bit: UInt64 = 1 << UInt64(index)
        defer { bits |= bit }
        return bits & bit == 0
    }
}

/// A position in JSON bytes with the few readers the fast path needs; each returns nil or
/// false, without moving on, when the input is not what it reads.
private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// An object whose keys have no escapes; `field` reads each value and says whether it fit.
    mutating func object(_ field: (inout Cursor, UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return false }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return true
        }
        while true {
            skipWhitespace()
            guard let key = string() else { return false }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
            index += 1
            skipWhitespace()
            guard field(&self, key) else { return false }
            skipWhitespace()
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { return false }
            index += 1
            return true
        }
    }

    /// A string without escapes or control characters, as its raw bytes.
    mutating func string() -> UnsafeBufferPointer<UInt8>? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        var end = start
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") {
                index = end + 1
                return UnsafeBufferPointer(rebasing: bytes[start..<end])
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            end += 1
        }
        return nil
    }

    /// `null`.
    mutating func null() -> Bool {
        guard index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
            bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
        else { return false }
        index += 4
        return true
    }

    /// A number in strict JSON syntax, converted exactly as `Double(String)` does.
    mutating func number() -> Double? {
        let start = index
        var end = index
        func digits() -> Int {
            let from = end
            while end < bytes.count, bytes[end] >= UInt8(ascii: "0"), bytes[end] <= UInt8(ascii: "9") { end += 1 }
            return end - from
        }
        if end < bytes.count, bytes[end] == UInt8(ascii: "-") { end += 1 }
        let leadingZero = end < bytes.count && bytes[end] == UInt8(ascii: "0")
        let integer = digits()
        guard integer > 0, !(leadingZero && integer > 1) else { return nil }
        if end < bytes.count, bytes[end] == UInt8(ascii: ".") {
            end += 1
            guard digits() > 0 else { return nil }
        }
        if end < bytes.count, bytes[end] == UInt8(ascii: "e") || bytes[end] == UInt8(ascii: "E") {
            end += 1
            if end < bytes.count, bytes[end] == UInt8(ascii: "+") || bytes[end] == UInt8(ascii: "-") { end += 1 }
            guard digits() > 0 else { return nil }
        }
        guard let value = DecimalParser.parse(UnsafeBufferPointer(rebasing: bytes[start..<end])), value.isFinite
        else { return nil }
        index = end
        return value
    }
}
