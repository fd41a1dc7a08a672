import Foundation
import Testing

@testable import CoachEngine

/// `coach rules`: the table, its filters and its JSON form.
@Suite struct RuleTableTests {
    static func book() throws -> RuleBook {
        try RuleFixtures.load(
            RuleFixtures.file(
                RuleSpec("a", when: "control is high", priority: 80, group: "g", levels: ["team"]),
                RuleSpec("b", when: "balance >= 1"),
                RuleSpec("c", when: "raters.peers >= 1", levels: ["organization"])
            ))
    }

    @Test func aTableWithEveryColumn() throws {
        let table = try RuleTable(Self.book())
        #expect(
            table.text == """
                id  title       priority  group  levels        place
                a   Title of a  80        g      team          Rules/x.yaml:2
                b   Title of b  50        -      all           Rules/x.yaml:12
                c   Title of c  50        -      organization  Rules/x.yaml:19
                3 rules
                """ + "\n"
        )
    }

    @Test func filtersByLevelDimensionAndTag() throws {
        let book = try Self.book()
        #expect(try RuleTable(book, filter: .init(level: "team")).rules.map(\.id) == ["a", "b"])
        // `balance` reads every dimension through the derived scores.
        #expect(try RuleTable(book, filter: .init(dimension: "control")).rules.map(\.id) == ["a", "b"])
        #expect(try RuleTable(book, filter: .init(dimension: "people")).rules.map(\.id) == ["b"])
        #expect(try RuleTable(book, filter: .init(tag: "none")).rules.isEmpty)
        let builtin = try RuleBook.builtin()
        let strengths = try RuleTable(builtin, filter: .init(tag: "strength")).rules
        #expect(!strengths.isEmpty)
        #expect(strengths.allSatisfy { $0.advice.tags.contains("strength") })
    }

    @Test func anUnknownFilterSaysWhatWasMeant() throws {
        let book = try Self.book()
        #expect(throws: RuleTableError.self) { try RuleTable(book, filter: .init(dimension: "contrl")) }
        do {
            _ = try RuleTable(book, filter: .init(level: "teem"))
            Issue.record("an unknown level was accepted")
        } catch {
            #expect(error.message == "unknown level 'teem'; did you mean 'team'?")
        }
    }

    @Test func jsonListsEveryField() throws {
        let table = try RuleTable(Self.book(), filter: .init(level: "team"))
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(table.json.utf8)) as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows[0]["id"] as? String == "a")
        #expect(rows[0]["priority"] as? Int == 80)
        #expect(rows[0]["levels"] as? [String] == ["team"])
        #expect(rows[0]["dimensions"] as? [String] == ["control"])
        #expect(rows[0]["file"] as? String == "Rules/x.yaml")
        #expect(rows[0]["line"] as? Int == 2)
        #expect(rows[1]["levels"] is NSNull)
    }
}
