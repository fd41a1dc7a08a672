import Foundation
import Testing

@testable import CoachEngine

/// The CSV record scan against the paths it stands in for: `DecimalParser.cell` (a score read in
/// the pass that finds its cell's end, eight bytes at a time for the usual shapes) against the
/// standard library on random and adversarial cells, and whole records read by the scan against
/// the same records read by the general (quoted) path.
@Suite("CSV record scan")
struct CSVScanTests {
    /// `DecimalParser.cell` on `text` followed by `tail`: the value and where the cell ends, or
    /// nil.
    static func cell(_ text: String, tail: String) -> (value: Double, end: Int)? {
        let bytes = Array((text + tail).utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return DecimalParser.cell(base, from: 0, end: buffer.count, .shared)
        }
    }

    /// A value `cell` gives must be the standard library's, and the cell must end where the
    /// text does; a text `cell` declines is left to `parse`, which the other suite checks.
    static func mismatch(_ text: String, tails: [String] = [",", ",3.375,4.5", ",,,,,,,,", ""]) -> String? {
        let expected = DecimalParserTests.expected(text)
        for tail in tails {
            guard let (value, end) = cell(text, tail: tail) else { continue }
            if value.bitPattern != expected?.bitPattern || end != text.utf8.count {
                return "'\(text)' + '\(tail)': \(value) ending at \(end)"
            }
        }
        return nil
    }

    @Test func randomNumberTextsGiveTheStandardLibrarysBits() {
        var random = SplitMix64(seed: 141)
        var mismatches: [String] = []
        for _ in 0..<100_000 {
            if let mismatch = Self.mismatch(DecimalParserTests.randomText(&random)) { mismatches.append(mismatch) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    /// Every thousandth below 10 in the shapes read eight bytes at a time (`d.ddd`, `d.dd`,
    /// `d.d`, `d`) and around them: trailing zeros, signs, exponents, six decimals.
    @Test func everyThousandthBelowTenInEveryShape() {
        var mismatches: [String] = []
        var fast = 0
        for n in 0...9_999 {
            let (whole, part) = (n / 1_000, n % 1_000)
            let three = "\(whole).\(String(part + 1_000).dropFirst())"
            let texts = [
                three, String(three.dropLast()), String(three.dropLast(2)), "\(whole)", three + "000", "+" + three,
                "-" + three, "0" + three, "\(n)e-3", "\(n)E-0003", "." + String(three.dropFirst(2)),
            ]
            for text in texts {
                if let mismatch = Self.mismatch(text) { mismatches.append(mismatch) }
            }
            if Self.cell(three, tail: ",4.125,3") != nil { fast += 1 }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
        #expect(fast == 10_000)
    }

    /// Random cells of bytes that sit near the ones the word test looks for (digits, `.`, `,`,
    /// signs, `e`, `/` and `:` beside the digits, `"`, bytes with the high bit): a cell taken
    /// as a number is one, and ends at its first comma.
    @Test func randomBytesNeverPassForANumberTheyAreNot() {
        let alphabet: [UInt8] =
            Array("0123456789".utf8) + Array("0123456789".utf8) + Array("..,,+-eE/:\" ".utf8)
            + [0x00, 0x2F, 0x3A, 0x7F, 0x80, 0x8A, 0xAE, 0xAC, 0xB0, 0xB9, 0xFF]
        var random = SplitMix64(seed: 1414)
        var mismatches: [String] = []
        for _ in 0..<300_000 {
            let length = 1 + Int(random.next() % 14)
            let bytes = (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            let comma = bytes.firstIndex(of: UInt8(ascii: ",")) ?? bytes.count
            let text = Array(bytes[..<comma])
            let got: (value: Double, end: Int)? = bytes.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return nil }
                return DecimalParser.cell(base, from: 0, end: buffer.count, .shared)
            }
            guard let got else { continue }
            let expected = String(validating: text, as: UTF8.self).flatMap(DecimalParserTests.expected)
            if got.value.bitPattern != expected?.bitPattern || got.end != comma {
                mismatches.append("\(bytes): \(got.value) ending at \(got.end)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    @Test(arguments: [
        "3.375", "3.37", "3.3", "3", "0.000", "9.999", "5.000", "1.0", "3.3750", "13.375", "3..375", "3.3.5",
        "-3.375", "+3.375", "3.375e0", "3.375E+0", "3.37e-1", "3e0", "3.", ".375", "3.375 ",
        " 3.375", "3.375\"", "\"3.375", "3:375", "3/375", "3.3/5", "3.37:", "0x3", "3.375000", "3.3333333", "3.333333",
        "3.33333", "9.999999", "0.000001", "3.33333\"", "3.3333:3",
        "4.99999999999999999", "5.00000000000000001", "1e22", "1e23", "1e-22", "9007199254740993",
        "00000000000000000003.375", "3.3750000000000000000000000", "",
    ])
    func adversarialCellsGiveTheStandardLibrarysBits(text: String) {
        #expect(Self.mismatch(text) == nil)
    }

    // MARK: Whole records

    static let header =
        "id,level,role,control,commitment,serving,directing,systems,people,goals,purpose,self.count,self.control"

    /// A random cell for a score column: the usual shapes, other spellings, empty, and one in
    /// ten out of the scale or not a number.
    static func scoreCell(_ random: inout SplitMix64) -> String {
        let n = 1_000 + Int(random.next() % 4_001)
        let three = "\(n / 1_000).\(String(n % 1_000 + 1_000).dropFirst())"
        switch random.next() % 40 {
        case 0: return ""
        case 1: return String(three.dropLast())
        case 2: return "\(n / 1_000)"
        case 3: return three + "000"
        case 4: return "+" + three
        case 5: return "\(n)e-3"
        case 6: return "7.250"
        case 7: return "0.5"
        case 8: return "abc"
        case 9: return "3.3.3"
        case 10: return String(three.dropLast(2))
        default: return three
        }
    }

    /// A random record for `header`: sometimes with a bad attribute, a field short or over.
    static func record(_ index: Int, _ random: inout SplitMix64) -> String {
        let levels = ["team", "personal", "organization", "", "teem", "Team"]
        let roles = ["manager", "individual-contributor", "supervisor", "director", "executive", "", "individual"]
        var fields = [
            "p\(index)", levels[Int(random.next() % UInt64(levels.count))],
            roles[Int(random.next() % UInt64(roles.count))],
        ]
        for _ in 0..<8 { fields.append(scoreCell(&random)) }
        switch random.next() % 4 {
        case 0: fields += ["", ""]
        case 1: fields += ["1", scoreCell(&random)]
        case 2: fields += ["0", ""]
        default: fields += ["", scoreCell(&random)]
        }
        switch random.next() % 20 {
        case 0: fields.removeLast()
        case 1: fields.append("3.5")
        default: break
        }
        return fields.joined(separator: ",") + (random.next() % 8 == 0 ? "\r" : "")
    }

    /// What a record reads as: the row's bits, the codes and the id, or the error's text.
    static func read(_ line: String, _ csv: CSVPopulation, _ builder: inout RowBuilder) -> String {
        var id: String?
        do throws(ProfileError) {
            try Array(line.utf8).withUnsafeBufferPointer { (bytes) throws(ProfileError) in
                try csv.parse(bytes, into: &builder, id: &id)
            }
            return "\(builder.values.map(\.bitPattern)) \(builder.codes) \(id ?? "-")"
        } catch {
            return "error \(error.reason) \(id ?? "-")"
        }
    }

    /// Each record read by the scan as the general path reads it with its id quoted (a quote
    /// sends a record there): the same row, codes and id, or the same error. Both go on with the
    /// builders of the records before, as a run does.
    @Test func recordsReadAsTheQuotedPathReadsThem() throws {
        let book = try RuleBook.builtin()
        let csv = try CSVPopulation(header: Array(Self.header.utf8), instrument: book.instrument)
        var scanned = RowBuilder(instrument: book.instrument, book: book.compiled)
        var quoted = RowBuilder(instrument: book.instrument, book: book.compiled)
        var random = SplitMix64(seed: 2024)
        var differences: [String] = []
        var accepted = 0
        for index in 0..<20_000 {
            let line = Self.record(index, &random)
            let fieldCount = line.split(separator: ",", omittingEmptySubsequences: false).count
            let plain = Self.read(line, csv, &scanned)
            let general = Self.read("\"p\(index)\"" + line.dropFirst("p\(index)".count), csv, &quoted)
            if !plain.hasPrefix("error") { accepted += 1 }
            // With a field short or over, the general path names the count before any cell.
            if fieldCount != 13 {
                if !plain.hasPrefix("error") || !general.hasPrefix("error") { differences.append(line) }
            } else if plain != general {
                differences.append("\(line)\n  scan:    \(plain)\n  general: \(general)")
            }
        }
        #expect(differences.isEmpty, "\(differences.prefix(5).joined(separator: "\n"))")
        #expect(accepted > 2_000)
    }

    /// Statistics of a CSV of combined scores (whose rater columns the columnar evaluator holds
    /// instead of copying) equal those of the same CSV with an empty rater column (copied row
    /// by row), over several chunks and blocks, rejected records among them.
    @Test func heldRaterColumnsGiveTheStatisticsOfCopiedOnes() throws {
        let book = try RuleBook.builtin()
        let dimensions = book.instrument.dimensions.map(\.id)
        var random = SplitMix64(seed: 77)
        var rows: [[String]] = []
        for index in 0..<9_000 {
            let level = ["team", "personal", "organization", ""][Int(random.next() % 4)]
            let scores = dimensions.map { _ in Self.scoreCell(&random) }
            rows.append(["p\(index)", level, "manager"] + scores)
        }
        let header = ["id", "level", "role"] + dimensions
        let combined = ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n")
        let withRaters = ([header + ["peers.count"]] + rows.map { $0 + [""] })
            .map { $0.joined(separator: ",") }.joined(separator: "\n")
        let held = try DecimalParserTests.stats(combined, .csv, book)
        let copied = try DecimalParserTests.stats(withRaters, .csv, book)
        #expect(held.profiles > 1_000 && held.rejected > 0)
        #expect(held == copied)
    }

    /// A header of combined scores only, read after records with rater groups by the same
    /// builder (the rater slots written by those must not leak into it), and the other way.
    @Test func combinedRecordsAfterRecordsWithRaters() throws {
        let book = try RuleBook.builtin()
        let csv = try CSVPopulation(header: Array(Self.header.utf8), instrument: book.instrument)
        var builder = RowBuilder(instrument: book.instrument, book: book.compiled)
        var fresh = RowBuilder(instrument: book.instrument, book: book.compiled)
        let lines = [
            "p1,team,manager,4.500,2.000,3.125,1.250,4.000,3.000,2.500,3.750,1,4.875",
            "p2,team,manager,4.500,2.000,3.125,1.250,4.000,3.000,2.500,3.750,,",
            "p3,personal,,1.000,,5.000,,,,,,1,",
            "p4,team,manager,4.500,2.000,3.125,1.250,4.000,3.000,2.500,3.750,,",
        ]
        for line in lines {
            #expect(Self.read(line, csv, &builder) == Self.read(line, csv, &fresh), "\(line)")
            fresh = RowBuilder(instrument: book.instrument, book: book.compiled)
        }
    }
}
