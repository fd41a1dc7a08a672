import Foundation
import Testing

@testable import CoachEngine

/// Profiles as they arrive: bad ones are rejected with a one-line reason a person can act on
/// (and the field at fault), never silently repaired; good ones decode exactly.
@Suite struct ProfileTests {
    struct Bad: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        var reason: String
        var field: String?
        var testDescription: String { name }
    }

    static let bad: [Bad] = [
        Bad(
            name: "score above the scale",
            json: #"{"scores": {"control": 7}}"#,
            reason: "score for 'control' is 7, outside the scale 1–5",
            field: "scores.control"
        ),
        Bad(
            name: "score below the scale",
            json: #"{"scores": {"control": 0.5}}"#,
            reason: "score for 'control' is 0.5, outside the scale 1–5",
            field: "scores.control"
        ),
        Bad(
            name: "score as a string",
            json: #"{"scores": {"control": "4.5"}}"#,
            reason: "score for 'control' must be a number, found a string",
            field: "scores.control"
        ),
        Bad(
            name: "score as a boolean",
            json: #"{"scores": {"control": true}}"#,
            reason: "score for 'control' must be a number, found a boolean",
            field: "scores.control"
        ),
        Bad(
            name: "NaN names its field",
            json: #"{"scores": {"control": NaN}}"#,
            reason: "score for 'control' is not a finite number",
            field: "scores.control"
        ),
        Bad(
            name: "Infinity names its field",
            json: #"{"scores": {"control": Infinity}}"#,
            reason: "score for 'control' is not a finite number",
            field: "scores.control"
        ),
        Bad(
            name: "-Infinity in a rater group names its field",
            json: #"{"raters": {"peers": {"count": 4, "scores": {"control": -Infinity}}}}"#,
            reason: "score for 'control' is not a finite number",
            field: "raters.peers.scores.control"
        ),
        Bad(
            name: "a number too large for a double names its field",
            json: #"{"scores": {"control": 1e400}}"#,
            reason: "score for 'control' is not a finite number",
            field: "scores.control"
        ),
        Bad(
            name: "a negative number too large for a double names its field",
            json: #"{"scores": {"control": -1e400}}"#,
            reason: "score for 'control' is not a finite number",
            field: "scores.control"
        ),
        Bad(
            name: "an infinite count of raters",
            json: #"{"raters": {"peers": {"count": 1e400, "scores": {"control": 3}}}}"#,
            reason: "'raters.peers.count' must be a whole number of raters from 0, found a number that is not finite",
            field: "raters.peers.count"
        ),
        Bad(
            name: "a word that is neither JSON nor a number",
            json: #"{"scores": {"control": Nope}}"#,
            reason: "malformed JSON at line 1, column 24: expected a value, found 'N' "
                + "(NaN and Infinity are not JSON numbers)"
        ),
        Bad(
            name: "unknown dimension",
            json: #"{"scores": {"control": 4, "contrl": 4}}"#,
            reason: "unknown dimension 'contrl'; did you mean 'control'?",
            field: "scores.contrl"
        ),
        Bad(
            name: "score given twice",
            json: #"{"scores": {"control": 4, "control": 5}}"#,
            reason: "score for 'control' appears twice",
            field: "scores.control"
        ),
        Bad(
            name: "unknown level",
            json: #"{"level": "teem", "scores": {"control": 4}}"#,
            reason: "unknown level 'teem'; expected one of: personal, team, organization (did you mean 'team'?)",
            field: "level"
        ),
        Bad(
            name: "level not a string",
            json: #"{"level": 2, "scores": {"control": 4}}"#,
            reason: "'level' must be a string, found a number",
            field: "level"
        ),
        Bad(
            name: "unknown role",
            json: #"{"role": "manger", "scores": {"control": 4}}"#,
            reason: "unknown role 'manger'; expected one of: "
                + "individual-contributor, supervisor, manager, director, executive (did you mean 'manager'?)",
            field: "role"
        ),
        Bad(
            name: "unknown field",
            json: #"{"rol": "manager", "scores": {"control": 4}}"#,
            reason: "unknown field 'rol'; did you mean 'role'?",
            field: "rol"
        ),
        Bad(
            name: "unknown rater group",
            json: #"{"raters": {"peer": {"count": 3, "scores": {"control": 4}}}}"#,
            reason: "unknown rater group 'peer'; expected one of: "
                + "self, manager, peers, reports, others (did you mean 'peers'?)",
            field: "raters.peer"
        ),
        Bad(
            name: "missing count for peers",
            json: #"{"raters": {"peers": {"scores": {"control": 4}}}}"#,
            reason: "'raters.peers' needs a 'count' of raters",
            field: "raters.peers.count"
        ),
        Bad(
            name: "fractional count",
            json: #"{"raters": {"peers": {"count": 2.5, "scores": {"control": 4}}}}"#,
            reason: "'raters.peers.count' must be a whole number of raters from 0, found 2.5",
            field: "raters.peers.count"
        ),
        Bad(
            name: "bad score in a group below its minimum",
            json: #"{"raters": {"peers": {"count": 2, "scores": {"control": 9}}}}"#,
            reason: "score for 'control' is 9, outside the scale 1–5",
            field: "raters.peers.scores.control"
        ),
        Bad(
            name: "unknown key in a group",
            json: #"{"raters": {"peers": {"count": 3, "score": {"control": 4}}}}"#,
            reason: "unknown field 'score' in 'raters.peers'; did you mean 'scores'?",
            field: "raters.peers.score"
        ),
        Bad(
            name: "no scores at all",
            json: #"{"id": "p1", "scores": {}}"#,
            reason: "the profile has no scores: give 'scores' or 'raters'",
            field: "scores"
        ),
        Bad(
            name: "broken JSON",
            json: #"{"scores": {"control": 4}"#,
            reason: "malformed JSON at line 1, column 26: unexpected end of input: the object is not closed"
        ),
        Bad(
            name: "trailing comma",
            json: "{\"scores\": {\n  \"control\": 4,\n}}",
            reason: "malformed JSON at line 3, column 1: expected a quoted key, found '}'"
        ),
        Bad(
            name: "two values",
            json: #"{"scores": {"control": 4}} {}"#,
            reason: "malformed JSON at line 1, column 28: unexpected data after the JSON value"
        ),
        Bad(name: "empty input", json: "", reason: "the input is empty: expected a JSON profile"),
        Bad(name: "only whitespace", json: " \n\t ", reason: "the input is empty: expected a JSON profile"),
        Bad(
            name: "an array instead of an object",
            json: #"[{"scores": {"control": 4}}]"#,
            reason: "a profile is a JSON object, found a list"
        ),
        Bad(
            name: "a string instead of an object", json: #""p1""#, reason: "a profile is a JSON object, found a string"),
    ]

    /// Decodes and checks a profile against the built-in instrument, as `coach advise` does.
    static func check(_ json: String) throws {
        let book = try RuleFixtures.load([])
        try book.validate(try Profile(json: Data(json.utf8)))
    }

    @Test("rejected with a one-line reason", arguments: bad)
    func rejects(_ test: Bad) throws {
        let error = #expect(throws: ProfileError.self) { try Self.check(test.json) }
        #expect(error?.reason == test.reason)
        #expect(error?.field == test.field)
        #expect(error?.reason.contains("\n") == false)
    }

    @Test func withoutKeepingThemTheParserRefusesNumbersThatAreNotFinite() {
        // `coach stats --merge` reads its shards this way: NaN is not a count.
        for text in ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"] {
            #expect(throws: ProfileError.self) { try JSONParser.parse(Array("[\(text)]".utf8)) }
        }
    }

    @Test func aRecordNumberPrefixesTheReason() {
        #expect(ProfileError("score for 'control' is 7", record: 3).description == "record 3: score for 'control' is 7")
        #expect(ProfileError("score for 'control' is 7").description == "score for 'control' is 7")
    }

    // MARK: Good profiles

    static let good = """
        {
          "id": "p1",
          "level": "team",
          "role": "manager",
          "scores": {"control": 4.5, "commitment": 2, "serving": null},
          "raters": {
            "self": {"scores": {"control": 4}},
            "peers": {"count": 4, "scores": {"control": 4.25, "commitment": 2.5}}
          }
        }
        """

    static let expected = Profile(
        id: "p1",
        level: "team",
        attributes: ["role": "manager"],
        scores: ["control": 4.5, "commitment": 2],
        raters: [
            "self": .init(count: 1, scores: ["control": 4]),
            "peers": .init(count: 4, scores: ["control": 4.25, "commitment": 2.5]),
        ]
    )

    @Test func aGoodProfileDecodesExactly() throws {
        let profile = try Profile(json: Data(Self.good.utf8))
        #expect(profile == Self.expected)
        let book = try RuleFixtures.load([])
        try book.validate(profile)
    }

    @Test func aGoodProfileRoundTrips() throws {
        let profile = try Profile(json: Data(Self.good.utf8))
        let again = try Profile(json: Self.json(profile))
        #expect(again == profile)
    }

    @Test(arguments: ["controlling-manager", "initiating-contributor", "organization-both-low", "self-only"])
    func exampleProfilesRoundTrip(_ name: String) throws {
        let data = try Data(contentsOf: PackagePaths.examples.appendingPathComponent("\(name).json"))
        let profile = try Profile(json: data)
        #expect(profile.id == name)
        #expect(try Profile(json: Self.json(profile)) == profile)
        let book = try RuleFixtures.load([])
        try book.validate(profile)
    }

    @Test func aByteOrderMarkIsTolerated() throws {
        let profile = try Profile(json: Data([0xEF, 0xBB, 0xBF] + Array(#"{"scores": {"control": 4}}"#.utf8)))
        #expect(profile.scores == ["control": 4])
    }

    /// The profile JSON of a `Profile`, as documented.
    static func json(_ profile: Profile) throws -> Data {
        var object: [String: Any] = ["scores": profile.scores]
        object["id"] = profile.id
        object["level"] = profile.level
        for (name, value) in profile.attributes { object[name] = value }
        if !profile.raters.isEmpty {
            object["raters"] = profile.raters.mapValues { ["count": $0.count, "scores": $0.scores] }
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
