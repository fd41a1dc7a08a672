import Foundation
import Testing

@testable import CoachEngine

/// The score parser against the standard library: the same bits for every accepted text, the
/// same texts accepted, and populations whose scores are written in any shape read alike.
@Suite("Decimal parser")
struct DecimalParserTests {
    /// What a score cell must read as: the standard library's value when the text holds only
    /// what a number cell may (digits, point, signs, `e`) and the value is finite; else nil.
    static func expected(_ text: String) -> Double? {
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || [UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "e"), UInt8(ascii: "E")]
                    .contains(byte)
        }
        guard allowed, let value = Double(text), value.isFinite else { return nil }
        return value
    }

    static func parsed(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { DecimalParser.parse($0) }
    }

    /// A random number text: sign, leading zeros, 1–25 digits, a point anywhere (or none),
    /// trailing zeros, and an exponent from −30 to 30 (with its own sign and leading zeros).
    static func randomText(_ random: inout SplitMix64) -> String {
        func pick(_ count: UInt64) -> Int { Int(random.next() % count) }
        var text = ""
        switch pick(4) {
        case 0: text += "-"
        case 1: text += "+"
        default: break
        }
        if pick(4) == 0 { text += String(repeating: "0", count: 1 + pick(4)) }
        let digitCount = 1 + pick(25)
        var digits = (0..<digitCount).map { _ in Character(String(pick(10))) }
        if pick(4) == 0 { digits += Array(repeating: "0", count: 1 + pick(8)) }
        if pick(4) != 0 { digits.insert(".", at: pick(UInt64(digits.count + 1))) }
        text += String(digits)
        if pick(3) == 0 {
            text += pick(2) == 0 ? "e" : "E"
            let exponent = pick(61) - 30
            if exponent < 0 {
                text += "-"
            } else if pick(2) == 0 {
                text += "+"
            }
            if pick(5) == 0 { text += "0" }
            text += String(abs(exponent))
        }
        return text
    }

    @Test func randomTextsParseToTheStandardLibrarysBits() {
        var random = SplitMix64(seed: 14)
        var mismatches: [String] = []
        for _ in 0..<200_000 {
            let text = Self.randomText(&random)
            if Self.parsed(text)?.bitPattern != Self.expected(text)?.bitPattern { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    /// Scores in the shapes they come in, exhaustively from 0 to 9.999 (the thousandths table):
    /// every thousandth, also with six decimals, signs, leading zeros and exponents.
    @Test func everyThousandthBelowTenParsesToTheStandardLibrarysBits() {
        var mismatches: [String] = []
        for n in 0...9_999 {
            let (whole, part) = (n / 1_000, n % 1_000)
            let three = "\(whole).\(String(part + 1_000).dropFirst())"
            for text in [three, three + "000", "+" + three, "0" + three, "-" + three, "\(n)e-3", "\(n)E-0003"] {
                if Self.parsed(text)?.bitPattern != Self.expected(text)?.bitPattern { mismatches.append(text) }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    @Test(arguments: [
        // Halfway and near-halfway cases around 2⁵³.
        "9007199254740993", "9007199254740992", "9007199254740991", "9007199254740994", "9007199254740995",
        "9007199254740993.0000000001", "900719925474099.3e1", "9007199254740993e-16", "18014398509481985",
        // 0.1 and friends: inexact decimals.
        "0.1", "0.2", "0.3", "0.7", "2.675", "1.005", "0.1e1", "1e-1", "100e-3",
        // Near the scale bounds 1 and 5, closer than a double can tell.
        "4.9999999999999999", "5.0000000000000001", "4.999999999999999", "5.000000000000001",
        "0.99999999999999999", "1.0000000000000001", "0.9999999999999999", "1.000000000000000222",
        "5.00000000000000000000000000000", "0000000000000000000000005", "4.99999999999999999999999999999",
        // Exponents at and beyond the exact powers.
        "1e22", "1e23", "9e22", "1e-22", "1e-23", "3.5e0", "35E-1", "35e+1", "0.35e1", "350e-2", "1.e5", ".5e1",
        "12345678901234567e-17", "123456789012345678901234567890e-29", "1e37", "9007199254740992e22",
        "9007199254740993e22", "1e308", "1.7976931348623157e308", "1.7976931348623159e308", "1e309",
        // Underflow, also inside a long mantissa.
        "1e-400", "4.9e-324", "2.5e-324", "2.4e-324", "0.0000000000000000000000000000001e-300",
        "1" + String(repeating: "0", count: 400) + "e-800", "0." + String(repeating: "0", count: 400) + "1",
        "-0", "-0.0", "+0", "0e999", "-0e-999", "0.000", "00000.00000",
        // Very long digit strings.
        String(repeating: "3", count: 800), "3." + String(repeating: "375", count: 300),
        "1." + String(repeating: "0", count: 500) + "1", "2.5" + String(repeating: "0", count: 500),
        // Exponents with many digits.
        "1e0000000000000000000000001", "1e-0000000000000000000000001", "1e99999999999999999999",
        "1e-99999999999999999999", "0e99999999999999999999",
    ])
    func adversarialTextsParseToTheStandardLibrarysBits(text: String) {
        #expect(Self.parsed(text)?.bitPattern == Self.expected(text)?.bitPattern)
    }

    /// Malformed and borderline texts: what the parser did before this fast path, kept.
    @Test(
        arguments: [
            ("1.", 1.0), (".5", 0.5), ("-.5", -0.5), ("+5.", 5.0), ("+.5", 0.5), ("00.5", 0.5), ("007", 7.0),
            ("1.e5", 100_000), (".5e1", 5), ("1E+05", 100_000),
            ("", nil), (".", nil), ("+", nil), ("-", nil), ("1e", nil), ("1e+", nil), ("1e-", nil), ("e5", nil),
            (".e5", nil), ("--1", nil), ("+-1", nil), ("-+1", nil), ("1..2", nil), ("1.2.3", nil), ("1,5", nil),
            ("1e5.5", nil), ("1e5e5", nil), (" 1", nil), ("1 ", nil), ("1_0", nil), ("nan", nil), ("NaN", nil),
            ("inf", nil), ("-infinity", nil), ("0x10", nil), ("0x1p3", nil), ("1e400", nil), ("-1e400", nil),
            ("x", nil), ("4,5", nil), ("١", nil),
        ] as [(String, Double?)])
    func malformedTextsAreRejectedAsBefore(text: String, value: Double?) {
        #expect(Self.parsed(text)?.bitPattern == value?.bitPattern)
        #expect(Self.parsed(text)?.bitPattern == Self.expected(text)?.bitPattern)
    }

    /// The same population, its scores written as three-decimal eighths and in other shapes of
    /// the same numbers, gives the same statistics: CSV and JSON Lines (whose syntax has no `+`
    /// and no leading zeros).
    @Test func scoreShapesDoNotChangeStatistics() throws {
        let book = try RuleBook.builtin()
        var random = SplitMix64(seed: 7)
        let dimensions = ["control", "commitment", "serving", "directing"]
        let rows = (0..<400).map { _ in dimensions.map { _ in 1000 + 125 * Int(random.next() % 33) } }
        let eighths = { (n: Int) in "\(n / 1000).\(String(n % 1000 + 1000).dropFirst())" }
        let jsonShapes: [(Int) -> String] = [
            eighths, { "\($0)e-3" }, { "\($0 * 10)0000E-0008" }, { "\(eighths($0))0e0" },
        ]
        let csvShapes = jsonShapes + [{ "+\(eighths($0))" }, { "00\(eighths($0))" }, { "\($0)000000e-9" }]
        var results: [(label: String, stats: PopulationStats)] = []
        for shape in csvShapes {
            let records = rows.enumerated().map { index, row in
                "p\(index),team,manager," + row.map(shape).joined(separator: ",")
            }
            let text = "id,level,role," + dimensions.joined(separator: ",") + "\n" + records.joined(separator: "\n")
            results.append(("CSV \(shape(3375))", try Self.stats(text, .csv, book)))
        }
        for shape in jsonShapes {
            let records = rows.enumerated().map { index, row in
                let scores = zip(dimensions, row).map { "\"\($0)\": \(shape($1))" }.joined(separator: ", ")
                return #"{"id": "p\#(index)", "level": "team", "role": "manager", "scores": {\#(scores)}}"#
            }
            results.append(("JSONL \(shape(3375))", try Self.stats(records.joined(separator: "\n"), .jsonl, book)))
        }
        for (label, stats) in results {
            #expect(stats.profiles == 400 && stats.rejected == 0, "\(label): \(stats.profiles), \(stats.rejected)")
            #expect(stats == results[0].stats, "\(label)")
        }
    }

    static func stats(_ text: String, _ format: PopulationFormat, _ book: RuleBook) throws -> PopulationStats {
        try PopulationTests.withInput(Array(text.utf8)) { descriptor in
            try Population.stats(book, input: descriptor, options: Population.Options(format: format, jobs: 1))
        }
    }
}
