/// Parses numbers in CSV cells and JSON Lines scores quickly, bit-identical to `Double(String)`,
/// and accepting exactly what it accepts (finite values only; no `nan`, `inf` or hexadecimal).
///
/// A number `[+-] digits [. digits] [e|E [+-] digits]` with at most 19 significant digits is
/// read into an integer significand w and a power of ten e. When w ≤ 2⁵³ and
/// |e| ≤ 22, both w and 10^|e| are exact doubles, so `w × 10^e` or `w ÷ 10^-e` is one correctly
/// rounded operation: the standard library's answer (Clinger's fast path). Anything else — more
/// digits, a larger power, a form outside that syntax — is handed to the standard library.
enum DecimalParser {
    /// 10⁰ … 10²²: every one an exact double.
    private static let powers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// 2⁵³: every whole number up to it is an exact double.
    private static let exactLimit: UInt64 = 1 << 53

    /// `n / 10`, `n / 100` and `n / 1000` for the shapes scores come in most ("4.5", "4.25",
    /// "4.375"), each made by the same correctly rounded division as `general`: a load instead
    /// of a division per cell (a division's latency showed in the profile of three-decimal
    /// scores; a scale's values touch a few lines of the 80 kB thousandths table). Made once and
    /// never freed; read-only, so threads share them without reference counting. A reader keeps
    /// a copy of the pointers (reading the static checks its initialization).
    struct Tables: @unchecked Sendable {
        let tenths: UnsafePointer<Double>
        let hundredths: UnsafePointer<Double>
        let thousandths: UnsafePointer<Double>
        /// 10⁰ … 10²², as `powers`, without the array's checks.
        let powers: UnsafePointer<Double>

        static let shared = Tables(
            tenths: table(count: 100, divisor: 10),
            hundredths: table(count: 1000, divisor: 100),
            thousandths: table(count: 10000, divisor: 1000),
            powers: copy(DecimalParser.powers)
        )

        private static func copy(_ values: [Double]) -> UnsafePointer<Double> {
            let table = UnsafeMutablePointer<Double>.allocate(capacity: values.count)
            table.initialize(from: values, count: values.count)
            return UnsafePointer(table)
        }

        private static func table(count: Int, divisor: Double) -> UnsafePointer<Double> {
            let table = UnsafeMutablePointer<Double>.allocate(capacity: count)
            for n in 0..<count { (table + n).initialize(to: Double(n) / divisor) }
            return UnsafePointer(table)
        }
    }

    /// The number in `bytes`, or nil if it is not one (or not finite). The shapes scores come in
    /// (`4`, `4.5`, `4.25`, `4.375`) are read here, from the tables; every other text out of
    /// line.
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ tables: Tables = .shared) -> Double? {
        let zero = UInt8(ascii: "0")
        let point = UInt8(ascii: ".")
        switch bytes.count {
        case 1:
            let d = bytes[0] &- zero
            if d < 10 { return Double(d) }
        case 3:
            let (a, b) = (bytes[0] &- zero, bytes[2] &- zero)
            if a < 10, b < 10, bytes[1] == point { return tables.tenths[Int(a) &* 10 &+ Int(b)] }
        case 4:
            let (a, b, c) = (bytes[0] &- zero, bytes[2] &- zero, bytes[3] &- zero)
            if a < 10, b < 10, c < 10, bytes[1] == point {
                return tables.hundredths[Int(a) &* 100 &+ Int(b) &* 10 &+ Int(c)]
            }
        case 5:
            let (a, b, c, d) = (bytes[0] &- zero, bytes[2] &- zero, bytes[3] &- zero, bytes[4] &- zero)
            if a < 10, b < 10, c < 10, d < 10, bytes[1] == point {
                return tables.thousandths[Int(a) &* 1000 &+ Int(b) &* 100 &+ Int(c) &* 10 &+ Int(d)]
            }
        default:
            break
        }
        return general(bytes)
    }

    /// The number that starts at `start` in `base` and ends at a comma or at `end` (a CSV cell),
    /// read in the same pass that finds its end, with the index of that comma (or `end`); nil
    /// when the cell is empty, is not of the syntax `[+-] digits [. digits] [e|E [+-] digits]`,
    /// has more than 19 digits before its exponent, or when its value takes more than one
    /// exact operation (a significand above 2⁵³, a power of ten beyond ±22): the caller then
    /// hands the cell to `parse`, which decides. A value given here has the bits `parse` (and
    /// `Double(String)`) gives: `d`, `d.d`, `d.dd`, `d.ddd` from the tables, anything else
    /// by one correctly rounded multiplication or division of two exact doubles.
    ///
    /// `d.ddd,`, `d.dd,`, `d,`, `d.d,` and `d.dddddd` (ending the record or before a comma)
    /// with eight bytes to read are recognized in one word (`word`), each with its length a
    /// constant, so that the next cell's start does not wait for this one's bytes; any other
    /// cell is read byte by byte.
    @inline(always)
    static func cell(
        _ base: UnsafePointer<UInt8>, from start: Int, end: Int, _ tables: Tables
    ) -> (value: Double, end: Int)? {
        if start + 8 <= end {
            let x = word(base + start)
            if let n = thousandths(x) { return (tables.thousandths[n], start + 5) }
            if let n = hundredths(x) { return (tables.hundredths[n], start + 4) }
            if let n = units(x) { return (Double(n), start + 1) }
            if let n = tenths(x) { return (tables.tenths[n], start + 3) }
            if start + 8 == end || base[start + 8] == UInt8(ascii: ","), let n = millionths(x) {
                return (Double(n) / tables.powers[6], start + 8)
            }
        }
        return scanned(base, from: start, end: end, tables)
    }

    /// The eight bytes at `bytes` as a little-endian word, each less `0`: digits become 0…9,
    /// '.' 0x1E and ',' 0x1C. A byte b of it is a digit when neither b nor b + 0x76 has its high
    /// bit: a carry out of a byte happens only when that byte's own high bit is set, so no byte
    /// is taken for a digit that is not one.
    @inline(always)
    static func word(_ bytes: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes).loadUnaligned(as: UInt64.self)) ^ 0x3030_3030_3030_3030
    }

    /// n when `x` (a `word`) starts with `d.ddd,` (n = dddd), else nil.
    @inline(always)
    static func thousandths(_ x: UInt64) -> Int? {
        guard x & 0xFF00_0000_FF00 == 0x1C00_0000_1E00, (x &+ 0x76_7676_0076 | x) & 0x80_8080_0080 == 0 else {
            return nil
        }
        let high: UInt64 = (x & 0xFF) &* 1000 &+ (x >> 16 & 0xFF) &* 100
        let low: UInt64 = (x >> 24 & 0xFF) &* 10 &+ (x >> 32 & 0xFF)
        return Int(high &+ low)
    }

    /// n when `x` (a `word`) starts with `d.dd,` (n = ddd), else nil.
    @inline(always)
    static func hundredths(_ x: UInt64) -> Int? {
        guard x & 0xFF_0000_FF00 == 0x1C_0000_1E00, (x &+ 0x7676_0076 | x) & 0x8080_0080 == 0 else { return nil }
        let high: UInt64 = (x & 0xFF) &* 100 &+ (x >> 16 & 0xFF) &* 10
        return Int(high &+ (x >> 24 & 0xFF))
    }

    /// n when `x` (a `word`) starts with `d.d,` (n = dd), else nil.
    @inline(always)
    static func tenths(_ x: UInt64) -> Int? {
        guard x & 0xFF00_FF00 == 0x1C00_1E00, (x &+ 0x76_0076 | x) & 0x80_0080 == 0 else { return nil }
        return Int((x & 0xFF) &* 10 &+ (x >> 16 & 0xFF))
    }

    /// d when `x` (a `word`) starts with `d,`, else nil.
    @inline(always)
    static func units(_ x: UInt64) -> Int? {
        guard x & 0xFF00 == 0x1C00, (x &+ 0x76 | x) & 0x80 == 0 else { return nil }
        return Int(x & 0xFF)
    }

    /// n when `x` (a `word`) is `d.dddddd` (n = ddddddd; the caller checks the byte after),
    /// else nil: the point taken out, the seven digits after a zero are eight, made one number
    /// by three multiplications (as simdjson and fast_float do).
    @inline(always)
    static func millionths(_ x: UInt64) -> Int? {
        guard x & 0xFF00 == 0x1E00 else { return nil }
        let digits = x & ~0xFFFF | (x & 0xFF) << 8
        guard (digits &+ 0x7676_7676_7676_7676 | digits) & 0x8080_8080_8080_8080 == 0 else { return nil }
        let pairs = digits &* 10 &+ digits >> 8
        let mask: UInt64 = 0xFF_0000_00FF
        let high: UInt64 = (pairs & mask) &* 0xF_4240_0000_0064
        return Int((high &+ (pairs >> 16 & mask) &* 0x2710_0000_0001) >> 32)
    }

    /// `cell` byte by byte.
    @inline(always)
    private static func scanned(
        _ base: UnsafePointer<UInt8>, from start: Int, end: Int, _ tables: Tables
    ) -> (value: Double, end: Int)? {
        var index = start
        var negative = false
        if index < end, base[index] == UInt8(ascii: "-") || base[index] == UInt8(ascii: "+") {
            negative = base[index] == UInt8(ascii: "-")
            index += 1
        }
        var significand: UInt64 = 0
        let integerDigits = digits(base, &index, end, into: &significand)
        var fractionDigits = 0
        if index < end, base[index] == UInt8(ascii: ".") {
            index += 1
            fractionDigits = digits(base, &index, end, into: &significand)
        }
        // At most 19 digits: the significand did not wrap.
        let digitCount = integerDigits + fractionDigits
        guard digitCount > 0, digitCount <= 19 else { return nil }
        var value: Double
        if index == end || base[index] == UInt8(ascii: ",") {
            if integerDigits <= 1, fractionDigits <= 3 {
                // Below 10^(1 + fractionDigits): an entry of the table for that many decimals.
                let n = Int(significand)
                value =
                    fractionDigits == 3
                    ? tables.thousandths[n]
                    : fractionDigits == 2 ? tables.hundredths[n] : fractionDigits == 1 ? tables.tenths[n] : Double(n)
            } else {
                guard significand <= exactLimit else { return nil }
                value = Double(Int64(bitPattern: significand)) / tables.powers[fractionDigits]
            }
        } else if base[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < end, base[index] == UInt8(ascii: "-") || base[index] == UInt8(ascii: "+") {
                exponentNegative = base[index] == UInt8(ascii: "-")
                index += 1
            }
            let exponentStart = index
            var written = 0
            while index < end {
                let digit = base[index] &- UInt8(ascii: "0")
                if digit >= 10 { break }
                // Saturates far beyond any double's range.
                written = Swift.min(written &* 10 &+ Int(digit), 1_000_000)
                index += 1
            }
            guard index > exponentStart, index == end || base[index] == UInt8(ascii: ",") else { return nil }
            let exponent = (exponentNegative ? -written : written) - fractionDigits
            guard significand <= exactLimit else { return nil }
            if significand == 0 {
                value = 0
            } else if exponent >= 0, exponent <= 22 {
                value = Double(Int64(bitPattern: significand)) * tables.powers[exponent]
            } else if exponent < 0, exponent >= -22 {
                value = Double(Int64(bitPattern: significand)) / tables.powers[-exponent]
            } else {
                return nil
            }
        } else {
            return nil
        }
        return (negative ? -value : value, index)
    }

    /// Reads the digits at `index` into `significand` (wrapping past 19 digits), moving
    /// `index` past them; how many there were.
    @inline(always)
    private static func digits(
        _ base: UnsafePointer<UInt8>, _ index: inout Int, _ end: Int, into significand: inout UInt64
    ) -> Int {
        let start = index
        while index < end {
            let digit = base[index] &- UInt8(ascii: "0")
            if digit >= 10 { break }
            significand = significand &* 10 &+ UInt64(digit)
            index += 1
        }
        return index - start
    }

    /// Any text: exact by one operation when the syntax and the digits allow (other numbers of
    /// decimals, signs, exponents, leading and trailing zeros), else the standard library.
    @inline(never)
    static func general(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        if let value = plain(bytes) { return value }
        guard let number = Decomposed(bytes) else { return slow(bytes) }
        return number.exactValue ?? slow(bytes)
    }

    /// A plain decimal (`[+-] digits [. digits]`, at most 19 bytes, so its significand cannot
    /// wrap) whose significand is at most 2⁵³: one loop and one division; nil for anything else.
    @inline(__always)
    private static func plain(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let count = bytes.count
        guard count > 0, count <= 19, let base = bytes.baseAddress else { return nil }
        var index = 0
        let negative = base[0] == UInt8(ascii: "-")
        if negative || base[0] == UInt8(ascii: "+") { index = 1 }
        let start = index
        var significand: UInt64 = 0
        var point = -1
        while index < count {
            let digit = base[index] &- UInt8(ascii: "0")
            if digit < 10 {
                significand = significand &* 10 &+ UInt64(digit)
            } else if base[index] == UInt8(ascii: "."), point < 0 {
                point = index
            } else {
                return nil
            }
            index += 1
        }
        let fraction = point < 0 ? 0 : count - 1 - point
        let digits = count - start - (point < 0 ? 0 : 1)
        guard digits > 0, significand <= exactLimit else { return nil }
        let value = Double(Int64(bitPattern: significand)) / powers[fraction]
        return negative ? -value : value
    }

    /// The standard library's reading of `bytes`, restricted to what a number cell may hold:
    /// digits, `.`, signs and `e`/`E`, finite.
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

    /// A number of the syntax `[+-] digits [. digits] [e|E [+-] digits]` (a digit before or after
    /// the point) as sign, significand and power of ten, when its digits fit 19 after leading
    /// zeros and trailing zeros are dropped.
    struct Decomposed {
        var negative: Bool
        var significand: UInt64
        var exponent: Int

        /// Nil when `bytes` is not of that syntax or has too many significant digits.
        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            let count = bytes.count
            var index = 0
            guard count > 0 else { return nil }
            negative = bytes[0] == UInt8(ascii: "-")
            if negative || bytes[0] == UInt8(ascii: "+") { index = 1 }
            significand = 0
            exponent = 0
            var digits = 0
            var significant = 0
            /// Zeros met after the last nonzero digit, not yet multiplied in.
            var zeros = 0
            var sawPoint = false
            while index < count {
                let byte = bytes[index]
                let digit = byte &- UInt8(ascii: "0")
                if digit < 10 {
                    digits += 1
                    if sawPoint { exponent -= 1 }
                    if digit == 0 {
                        if significant > 0 { zeros += 1 }
                    } else {
                        significant += zeros + 1
                        guard significant <= 19 else { return nil }
                        for _ in 0..<zeros { significand &*= 10 }
                        significand = significand &* 10 &+ UInt64(digit)
                        zeros = 0
                    }
                } else if byte == UInt8(ascii: "."), !sawPoint {
                    sawPoint = true
                } else {
                    break
                }
                index += 1
            }
            guard digits > 0 else { return nil }
            exponent += zeros
            if index < count {
                guard bytes[index] | 0x20 == UInt8(ascii: "e") else { return nil }
                index += 1
                var exponentNegative = false
                if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                    exponentNegative = bytes[index] == UInt8(ascii: "-")
                    index += 1
                }
                guard index < count else { return nil }
                var written = 0
                while index < count {
                    let digit = bytes[index] &- UInt8(ascii: "0")
                    guard digit < 10 else { return nil }
                    // Saturates far beyond any double's range; the sum below cannot overflow.
                    written = min(written * 10 + Int(digit), 1_000_000)
                    index += 1
                }
                exponent += exponentNegative ? -written : written
            }
        }

        /// The correctly rounded double, when one exact operation gives it; nil otherwise.
        var exactValue: Double? {
            var value: Double
            if significand == 0 {
                value = 0
            } else if significand > DecimalParser.exactLimit {
                return nil
            } else if exponent >= 0, exponent <= 22 {
                value = Double(significand) * DecimalParser.powers[exponent]
            } else if exponent < 0, exponent >= -22 {
                value = Double(significand) / DecimalParser.powers[-exponent]
            } else if exponent > 22, exponent <= 22 + 16 {
                // w·10^(e−22) may still be a whole number up to 2⁵³: then one multiplication.
                let (scaled, overflow) = significand.multipliedReportingOverflow(
                    by: UInt64(DecimalParser.powers[exponent - 22]))
                guard !overflow, scaled <= DecimalParser.exactLimit else { return nil }
                value = Double(scaled) * DecimalParser.powers[22]
            } else {
                return nil
            }
            return negative ? -value : value
        }
    }
}
