import Foundation
import Testing

@testable import CoachEngine

/// The JSON fast path against the general path (`JSONParser` → `ProfileDecoder` →
/// `PreparedProfile`) on randomized profiles, well-formed and damaged: whenever the fast path
/// accepts, the rows are identical bit for bit; whenever it declines, the caller's answer is
/// still the general path's, error included.
@Suite("JSON profile fast path")
struct ProfileJSONReaderTests {
    /// Ways to damage or vary a JSON profile line; variation 0 leaves it as it is.
    static let variationCount = 28

    static func vary(_ line: String, _ number: Int) -> String {
        switch number {
        case 0: line
        case 1: line.replacingOccurrences(of: ",", with: " ,\n\t ").replacingOccurrences(of: ":", with: ": ")
        case 2: line.replacingOccurrences(of: "\"control\":4", with: "\"control\":7")
        case 3: line.replacingOccurrences(of: "\"control\":3", with: "\"control\":\"3\"")
        case 4: line.replacingOccurrences(of: "\"serving\":", with: "\"serving\":null,\"x\":")
        case 5: line.replacingOccurrences(of: "\"planning\":", with: "\"planning\":2,\"planning\":")
        case 6: line.replacingOccurrences(of: "\"level\":\"team\"", with: "\"level\":\"galaxy\"")
        case 7: line.replacingOccurrences(of: "\"role\":\"", with: "\"role\":\"pilot")
        case 8: line.replacingOccurrences(of: "\"role\":\"individual-contributor\",", with: "")
        case 9: line.replacingOccurrences(of: "\"count\":", with: "\"count\":2.5,\"c\":")
        case 10: line.replacingOccurrences(of: "\"peers\":{\"count\":", with: "\"peers\":{\"scores\":{},\"count\":")
        case 11: line.replacingOccurrences(of: "{\"id\":\"", with: "{\"id\":\"a\\\"b")
        case 12: line.replacingOccurrences(of: "{\"id\":\"", with: "{\"id\":12,\"role2\":\"")
        case 13: "\u{FEFF}" + line
        case 14: line + " x"
        case 15: String(line.dropLast(3))
        case 16:
            line.replacingOccurrences(
                of: "\"raters\":{", with: "\"raters\":{\"others\":{\"count\":5,\"scores\":{\"goals\":2.5}},")
        case 17:
            line.replacingOccurrences(of: "\"raters\":{", with: "\"raters\":{\"others\":{\"scores\":{\"goals\":2.5}},")
        case 18: line.replacingOccurrences(of: "\"self\":{\"count\":1,", with: "\"self\":{")
        case 19: line.replacingOccurrences(of: "4.", with: "4.0e0")
        case 20: line.replacingOccurrences(of: ":2", with: ":02")
        case 21: line.replacingOccurrences(of: ":3.", with: ":-3.")
        case 22:
            line.replacingOccurrences(of: "\"scores\":{", with: "\"scores\":{\"commitment\":2.1234567890123456789,")
        case 23: "{\"scores\": {}}"
        case 24: "[]"
        case 25: line.replacingOccurrences(of: "\"level\":\"team\",", with: "\"level\":null,")
        case 26: line.replacingOccurrences(of: "\"peers\":{\"count\":", with: "\"peers\":{\"count\":0,\"x\":")
        case 27: line.replacingOccurrences(of: "\"reports\":{\"count\":", with: "\"reports\":{\"count\":1")
        default: line
        }
    }

    @Test("fast and general paths agree on every line", arguments: [1, 2, 3, 4] as [UInt64])
    func agree(seed: UInt64) throws {
        let book = try RuleBook.builtin()
        let population = SyntheticPopulation(instrument: book.instrument, seed: seed, count: 200)
        let lines = String(decoding: population.bytes(.jsonl), as: UTF8.self).split(separator: "\n").map(String.init)
        var accepted = 0
        var compared = 0
        var declined = 0
        for (index, line) in lines.enumerated() {
            for number in 0..<Self.variationCount where (index + number) % 5 == 0 || number == 0 {
                let text = Self.vary(line, number)
                let bytes = Array(text.utf8)
                compared += 1

                var builder = RowBuilder(instrument: book.instrument, book: book.compiled)
                var id: String?
                let fast = bytes.withUnsafeBufferPointer { book.jsonReader.read($0, into: &builder, id: &id) }

                let general = Result { () throws(ProfileError) -> PreparedProfile in
                    try PreparedProfile(try Profile(json: bytes), instrument: book.instrument)
                }
                if !fast { declined += 1 }
                if fast {
                    accepted += 1
                    let prepared = try general.get()
                    #expect(id == prepared.id, "\(text)")
                    #expect(builder.values.map(\.bitPattern) == prepared.values.map(\.bitPattern), "\(text)")
                    #expect(builder.codes == prepared.codes, "\(text)")
                    #expect(builder.usable == prepared.usable, "\(text)")
                    #expect(builder.hasRaters == prepared.hasRaters, "\(text)")
                }

                // The public entry point answers exactly as the general path does, either way.
                let viaJSON = Result { () throws(ProfileError) in try book.advise(json: bytes).json() }
                let viaProfile = Result { () throws(ProfileError) in
                    try book.advise(try Profile(json: bytes)).json()
                }
                switch (viaJSON, viaProfile) {
                case (.success(let a), .success(let b)): #expect(a == b, "\(text)")
                case (.failure(let a), .failure(let b)): #expect(a == b, "\(text)")
                default: Issue.record("one path failed and the other did not: \(text)")
                }
            }
        }
        // The fast path carries the plain shapes: every unvaried synthetic line at least.
        #expect(accepted >= lines.count)
        #expect(declined > compared / 10)
        #expect(compared > lines.count * 5)
    }
}
