/// A strict RFC 8259 JSON parser into `DataValue`, over UTF-8 bytes. It keeps object keys in
/// order, reports the line and column of a syntax error (Foundation's decoder on Linux says
/// only "not valid JSON"), and bounds nesting so that hostile input cannot exhaust the stack.
struct JSONParser {
    private let bytes: [UInt8]
    /// The deepest nesting of arrays and objects accepted.
    private let maxDepth: Int
    /// Whether `NaN`, `Infinity`, `-Infinity` and numbers too large for a `Double` (`1e400`) are
    /// read as non-finite numbers rather than refused here.
    private let keepsNonFinite: Bool
    private var index = 0
    private var depth = 0

    /// Parses one JSON value that fills the whole input (whitespace around it is fine), nested
    /// at most `maxDepth` deep. With `keepingNonFinite`, a number that is not finite (`NaN`,
    /// `Infinity`, `-Infinity`, `1e400`) becomes a non-finite `.number` for the caller to refuse
    /// by its field (the profile decoder does: `scores.control`); otherwise it is a syntax error.
    static func parse(
        _ bytes: [UInt8], maxDepth: Int = ProfileLimits.default.maxDepth, keepingNonFinite: Bool = false
    ) throws(ProfileError) -> DataValue {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth, keepsNonFinite: keepingNonFinite)
        parser.skipWhitespace()
        if parser.index == bytes.count {
            throw ProfileError("the input is empty: expected a JSON profile", code: .emptyInput)
        }
        let value = try parser.value()
        parser.skipWhitespace()
        if parser.index < bytes.count { throw parser.failure("unexpected data after the JSON value") }
        return value
    }

    private init(bytes: [UInt8], maxDepth: Int, keepsNonFinite: Bool) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.keepsNonFinite = keepsNonFinite
    }

    private func failure(_ message: String, code: ProfileError.Code = .malformedJSON) -> ProfileError {
        let place = TextPosition(offset: index, in: bytes)
        let what = code == .malformedJSON ? "malformed JSON" : "JSON"
        return ProfileError(
            "\(what) at line \(place.line), column \(place.column): \(message)",
            code: code,
            line: place.line,
            column: place.column
        )
    }

    private func describeCurrent() -> String {
        guard index < bytes.count else { return "the end of the input" }
        let byte = bytes[index]
        if byte >= 0x21, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16))"
    }

    private mutating func skipWhitespace() {
        while index < bytes.count,
            bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09
        {
            index += 1
        }
    }

    private mutating func value() throws(ProfileError) -> DataValue {
        guard index < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "N") where keepsNonFinite && spells("NaN"): return try literal("NaN", .number(.nan))
        case UInt8(ascii: "I") where keepsNonFinite && spells("Infinity"):
            return try literal("Infinity", .number(.infinity))
        case UInt8(ascii: "-") where keepsNonFinite && spells("-Infinity"):
            return try literal("-Infinity", .number(-.infinity))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default:
            let hint =
                bytes[index] == UInt8(ascii: "N") || bytes[index] == UInt8(ascii: "I")
                ? " (NaN and Infinity are not JSON numbers)" : ""
            throw failure("expected a value, found \(describeCurrent())\(hint)")
        }
    }

    /// Whether the input at the current place starts with `word`.
    private func spells(_ word: String) -> Bool {
        bytes[index...].starts(with: word.utf8)
    }

    private mutating func literal(_ word: String, _ value: DataValue) throws(ProfileError) -> DataValue {
        for byte in word.utf8 {
            guard index < bytes.count, bytes[index] == byte else { throw failure("expected '\(word)'") }
            index += 1
        }
        return value
    }

    private mutating func enter() throws(ProfileError) {
        depth += 1
        if depth > maxDepth { throw failure("nesting deeper than \(maxDepth) levels, the limit", code: .tooDeep) }
    }

    private mutating func object() throws(ProfileError) -> DataValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var pairs: [(String, DataValue)] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(pairs)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw failure("expected a quoted key, found \(describeCurrent())")
            }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw failure("expected ':' after the key \"\(key)\", found \(describeCurrent())")
            }
            index += 1
            skipWhitespace()
            pairs.append((key, try value()))
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input: the object is not closed") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else {
                throw failure("expected ',' or '}', found \(describeCurrent())")
            }
            index += 1
            return .object(pairs)
        }
    }

    private mutating func array() throws(ProfileError) -> DataValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var items: [DataValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try value())
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input: the list is not closed") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else {
                throw failure("expected ',' or ']', found \(describeCurrent())")
            }
            index += 1
            return .array(items)
        }
    }

    private mutating func number() throws(ProfileError) -> Double {
        let start = index
        func digits() -> Int {
            let from = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            return index - from
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let leadingZero = index < bytes.count && bytes[index] == UInt8(ascii: "0")
        let integerDigits = digits()
        guard integerDigits > 0 else { throw failure("expected digits in a number") }
        if leadingZero, integerDigits > 1 { throw failure("numbers do not start with 0") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw failure("expected digits after the decimal point") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits() > 0 else { throw failure("expected digits in the exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        let value = Double(text) ?? (bytes[start] == UInt8(ascii: "-") ? -.infinity : .infinity)
        guard value.isFinite || keepsNonFinite else { throw failure("number \(text) is out of range") }
        return value
    }

    private mutating func string() throws(ProfileError) -> String {
        index += 1
        var buffer: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: buffer, as: UTF8.self) else {
                    throw failure("a string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u")
                        else { throw failure("a lone surrogate in a \\u escape") }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw failure("a lone surrogate in a \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw failure("an invalid \\u escape") }
                    buffer.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    index -= 1
                    throw failure("an invalid escape '\\\(Character(Unicode.Scalar(escape)))'")
                }
            case 0x00..<0x20:
                throw failure("a control character inside a string (escape it)")
            default:
                buffer.append(byte)
                index += 1
            }
        }
        throw failure("unexpected end of input: a string is not closed")
    }

    private mutating func hex4() throws(ProfileError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw failure("a \\u escape needs four hex digits")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }
}
