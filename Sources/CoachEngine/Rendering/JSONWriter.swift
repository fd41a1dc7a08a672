/// Writes JSON with fields in a fixed, documented order (a `JSONEncoder` sorts or scrambles
/// them). Strings are escaped per RFC 8259; numbers print in their shortest exact form.
package struct JSONWriter {
    /// The JSON written so far, as UTF-8.
    package private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    package init() { bytes.reserveCapacity(1_024) }

    /// The JSON written so far.
    package var output: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    package mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    package mutating func endObject() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    package mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    package mutating func endArray() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes `"key":` — the next value belongs to it.
    package mutating func key(_ name: String) {
        separate()
        Self.escape(name, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
    }

    package mutating func string(_ value: String) {
        separate()
        Self.escape(value, into: &bytes)
    }

    package mutating func number(_ value: Double) {
        separate()
        bytes += (value.isFinite ? Self.format(value) : "null").utf8
    }

    package mutating func integer(_ value: Int) {
        separate()
        bytes += String(value).utf8
    }

    package mutating func bool(_ value: Bool) {
        separate()
        bytes += (value ? "true" : "false").utf8
    }

    package mutating func null() {
        separate()
        bytes += "null".utf8
    }

    /// `key: value` for the common kinds.
    package mutating func field(_ name: String, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }

    package mutating func field(_ name: String, _ value: Double) {
        key(name)
        number(value)
    }

    package mutating func field(_ name: String, _ value: Int) {
        key(name)
        integer(value)
    }

    /// `"ruleSet": {"version": …}`, which every document from a rule set carries.
    package mutating func ruleSet(version: String) {
        key("ruleSet")
        beginObject()
        field("version", version)
        endObject()
    }

    package mutating func field(_ name: String, strings: [String]) {
        key(name)
        beginArray()
        for value in strings { string(value) }
        endArray()
    }

    /// Integers without a fraction (`3`, not `3.0`); others in Swift's shortest round-trip form.
    package static func format(_ value: Double) -> String {
        if value == value.rounded(), Swift.abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// Appends `text` as a JSON string: runs of plain bytes are copied whole; quotes,
    /// backslashes and control characters are escaped (UTF-8 passes through).
    package static func escape(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                switch byte {
                case 0x22: output += #"\""#.utf8
                case 0x5C: output += #"\\"#.utf8
                case 0x0A: output += #"\n"#.utf8
                case 0x0D: output += #"\r"#.utf8
                case 0x09: output += #"\t"#.utf8
                default:
                    let hex = String(byte, radix: 16)
                    output += ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8
                }
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Appends `text` as a JSON string to a `String`.
    package static func escape(_ text: String, into output: inout String) {
        var bytes: [UInt8] = []
        escape(text, into: &bytes)
        output += String(decoding: bytes, as: UTF8.self)
    }
}
