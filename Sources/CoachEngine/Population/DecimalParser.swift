/// Parses numbers in CSV cells quickly, bit-identical to `Double(String)`: plain decimals with
/// up to 15 significant digits are exact as `mantissa / 10^k` (one correctly rounded division of
/// two exactly representable values); anything else falls back to the standard library.
enum DecimalParser {
    private static let powers: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// `n / 10` and `n / 100` for the shapes scores come in ("4.5", "4.25"), each made by the
    /// same correctly rounded division as below: a load instead of a division per cell. Made
    /// once and never freed; read-only, so threads share them without reference counting. A
    /// reader keeps a copy of the two pointers (reading the static checks its initialization).
    struct Tables: @unchecked Sendable {
        let tenths: UnsafePointer<Double>
        let hundredths: UnsafePointer<Double>

        static let shared = Tables(tenths: table(count: 100, divisor: 10), hundredths: table(count: 1000, divisor: 100))

        private static func table(count: Int, divisor: Double) -> UnsafePointer<Double> {
            let table = UnsafeMutablePointer<Double>.allocate(capacity: count)
            for n in 0..<count { (table + n).initialize(to: Double(n) / divisor) }
            return UnsafePointer(table)
        }
    }

    /// The number in `bytes`, or nil if it is not one (or not finite).
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ tables: Tables = .shared) -> Double? {
        short(bytes, tables) ?? general(bytes)
    }

    /// The number in `bytes` when it has one of the shapes scores come in ("4", "4.5", "4.25");
    /// nil for anything else, which `parse` reads in general.
    @inline(__always)
    static func short(_ bytes: UnsafeBufferPointer<UInt8>, _ tables: Tables) -> Double? {
        let zero = UInt8(ascii: "0")
        switch bytes.count {
        case 1:
            let d = bytes[0] &- zero
            if d < 10 { return Double(d) }
        case 3:
            let (a, b) = (bytes[0] &- zero, bytes[2] &- zero)
            if a < 10, b < 10, bytes[1] == UInt8(ascii: ".") { return tables.tenths[Int(a) &* 10 &+ Int(b)] }
        case 4:
            let (a, b, c) = (bytes[0] &- zero, bytes[2] &- zero, bytes[3] &- zero)
            if a < 10, b < 10, c < 10, bytes[1] == UInt8(ascii: ".") {
                return tables.hundredths[Int(a) &* 100 &+ Int(b) &* 10 &+ Int(c)]
            }
        default:
            break
        }
        return nil
    }

    /// Any plain decimal: exact as `mantissa / 10^k` up to 15 significant digits.
    private static func general(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let count = bytes.count
        guard count > 0 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var sawDigit = false
        var sawPoint = false
        while index < count {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                sawDigit = true
                if mantissa != 0 || byte != UInt8(ascii: "0") { digits += 1 }
                mantissa = mantissa &* 10 &+ UInt64(byte - UInt8(ascii: "0"))
                if sawPoint { fraction += 1 }
            } else if byte == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                return slow(bytes)
            }
            index += 1
        }
        guard sawDigit else { return nil }
        guard digits <= 15, fraction <= 22 else { return slow(bytes) }
        let value = Double(mantissa) / powers[fraction]
        return negative ? -value : value
    }

    private static func slow(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let text = String(decoding: bytes, as: UTF8.self)
        // Only what a number cell may hold: no "nan", "inf" or hexadecimal.
        guard
            text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 45 || $0 == 43 || $0 == 101 || $0 == 69 }
            ),
            let value = Double(text), value.isFinite
        else { return nil }
        return value
    }
}
