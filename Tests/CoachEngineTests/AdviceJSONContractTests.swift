import CoachEngine
import Foundation
import Testing

/// The advice JSON is a contract (`coach advise --format json`, `coach batch`, the HTTP
/// service): the documented field names and types never change; fields may be added, and the
/// additions are listed here so that a rename or a removal fails.
@Suite struct AdviceJSONContractTests {
    static let documentedTop: Set = ["id", "level", "recommendations", "fired", "ruleSet"]
    static let addedTop: Set = ["raters"]
    static let documentedRecommendation: Set = [
        "rule", "title", "summary", "why", "actions", "priority", "group", "confidence", "tags", "because",
    ]
    static let documentedBecause: Set = ["condition", "value", "result"]
    static let addedBecause: Set = ["detail"]

    /// The controlling manager: a 360 with every kind of recommendation field filled in.
    static func advice(explain: Bool) throws -> [String: Any] {
        let data = try Data(contentsOf: PackagePaths.examples.appendingPathComponent("controlling-manager.json"))
        let advice = try RuleBook.builtin().advise(try Profile(json: data), options: AdviceOptions(explain: explain))
        let json = advice.json(explained: explain)
        #expect(!json.contains("\n"), "one line per profile")
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func topLevelFields() throws {
        let object = try Self.advice(explain: true)
        #expect(Set(object.keys) == Self.documentedTop.union(Self.addedTop))
        #expect(object["id"] as? String == "controlling-manager")
        #expect(object["level"] as? String == "team")
        #expect((object["fired"] as? [String])?.isEmpty == false)
        let ruleSet = try #require(object["ruleSet"] as? [String: Any])
        #expect(Set(ruleSet.keys) == ["version"])
        #expect(ruleSet["version"] as? String == (try RuleBook.builtin().version))
    }

    @Test func recommendationFields() throws {
        let object = try Self.advice(explain: true)
        let recommendations = try #require(object["recommendations"] as? [[String: Any]])
        #expect(!recommendations.isEmpty)
        for item in recommendations {
            #expect(Set(item.keys) == Self.documentedRecommendation)
            #expect(item["rule"] is String)
            #expect(item["title"] is String)
            #expect(item["summary"] is String)
            #expect(item["why"] is String)
            #expect((item["actions"] as? [String])?.isEmpty == false)
            #expect(item["priority"] is Int)
            #expect(item["group"] is String || item["group"] is NSNull)
            let confidence = try #require(item["confidence"] as? Double)
            #expect((0...1).contains(confidence))
            #expect(item["tags"] is [String])
            let because = try #require(item["because"] as? [[String: Any]])
            #expect(!because.isEmpty)
            for condition in because {
                #expect(Set(condition.keys) == Self.documentedBecause.union(Self.addedBecause))
                #expect(condition["condition"] is String)
                #expect(condition["value"] is Double || condition["value"] is String || condition["value"] is NSNull)
                #expect(condition["result"] is Bool || condition["result"] is NSNull)
            }
        }
        // The ids in `recommendations` are among those in `fired`, in the same order.
        let fired = try #require(object["fired"] as? [String])
        let ids = recommendations.compactMap { $0["rule"] as? String }
        #expect(ids == fired.filter(ids.contains))
    }

    @Test func becauseOnlyWhenExplained() throws {
        let object = try Self.advice(explain: false)
        let recommendations = try #require(object["recommendations"] as? [[String: Any]])
        #expect(!recommendations.isEmpty)
        for item in recommendations {
            #expect(Set(item.keys) == Self.documentedRecommendation.subtracting(["because"]))
        }
    }

    @Test func raterSummaries() throws {
        let object = try Self.advice(explain: false)
        let raters = try #require(object["raters"] as? [String: [String: Any]])
        #expect(Set(raters.keys) == ["self", "manager", "peers", "reports"])
        for (_, summary) in raters {
            #expect(Set(summary.keys) == ["count", "minimum", "used"])
        }
    }

    /// A missing id is null; a missing level is the built-in instrument's `defaultLevel`.
    @Test func missingIDIsNullAndLevelIsTheDefault() throws {
        let advice = try RuleBook.builtin().advise(Profile(scores: ["control": 3]))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(advice.json().utf8)) as? [String: Any]
        )
        #expect(object["id"] is NSNull)
        #expect(object["level"] as? String == "personal")
        #expect(object["recommendations"] as? [Any] != nil)
    }

    @Test func textIsEscaped() throws {
        let book = try RuleFixtures.load(
            RuleFixtures.file(RuleSpec("r", summary: "Quote \" backslash \\ tab \t end {{id}}"))
        )
        let advice = try book.advise(Profile(id: "a\"b\\c\nd", scores: ["control": 3]))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(advice.json().utf8)) as? [String: Any]
        )
        #expect(object["id"] as? String == "a\"b\\c\nd")
        let recommendation = try #require((object["recommendations"] as? [[String: Any]])?.first)
        #expect(recommendation["summary"] as? String == "Quote \" backslash \\ tab \t end a\"b\\c\nd")
    }
}
