/// Something about how a population was read that a person should hear once per run, not once
/// per record; the records are processed as usual all the same (each yields its output or
/// error record). Today there is one: a JSON Lines input that looks like one pretty-printed
/// JSON document. New notices may be added.
public struct PopulationNotice: Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable name, such as `pretty-printed-json`.
    public var code: String
    /// What was noticed, one line.
    public var message: String

    /// The message.
    public var description: String { message }

    /// The first record of a JSON Lines input opens a JSON value that the line does not close
    /// (a line that is only `{`, say) or is a list: the input is most likely one JSON document
    /// written over many lines, which a population reads as that many broken records.
    public static let prettyPrintedJSON = PopulationNotice(
        code: "pretty-printed-json",
        message:
            "the input looks like one JSON document over many lines; a population is JSON Lines, one profile per line"
    )

    /// Whether `line`, the first record of a JSON Lines input, looks like the start of one
    /// document over many lines: it opens more objects or lists than it closes (outside
    /// strings), or it starts a list.
    static func startsMultilineDocument(_ line: some Collection<UInt8>) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        var first: UInt8?
        for byte in line {
            if first == nil, byte != 0x20, byte != 0x09, byte != 0x0D { first = byte }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return depth > 0 || first == UInt8(ascii: "[")
    }
}
