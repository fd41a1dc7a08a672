import Foundation
import Testing

@testable import CoachEngine

/// The reference interpreter: Kleene logic, missing data as unknown, functions and arithmetic.
@Suite struct InterpreterTests {
    // MARK: Three-valued logic

    struct Row: Sendable, CustomTestStringConvertible {
        var a: Truth
        var b: Truth
        var and: Truth
        var or: Truth
        var testDescription: String { "\(a.name), \(b.name)" }
    }

    /// Kleene's strong three-valued logic.
    static let kleene: [Row] = [
        Row(a: .true, b: .true, and: .true, or: .true),
        Row(a: .true, b: .false, and: .false, or: .true),
        Row(a: .true, b: .unknown, and: .unknown, or: .true),
        Row(a: .false, b: .true, and: .false, or: .true),
        Row(a: .false, b: .false, and: .false, or: .false),
        Row(a: .false, b: .unknown, and: .false, or: .unknown),
        Row(a: .unknown, b: .true, and: .unknown, or: .true),
        Row(a: .unknown, b: .false, and: .false, or: .unknown),
        Row(a: .unknown, b: .unknown, and: .unknown, or: .unknown),
    ]

    @Test("Kleene and/or", arguments: kleene)
    func kleeneAndOr(_ row: Row) {
        #expect((row.a && row.b) == row.and)
        #expect((row.a || row.b) == row.or)
    }

    @Test("Kleene not", arguments: [(Truth.true, Truth.false), (.false, .true), (.unknown, .unknown)])
    func kleeneNot(_ value: Truth, _ negated: Truth) {
        #expect(!value == negated)
    }

    /// The same table through rules: `control >= 3` is true, `control >= 5` false, and
    /// `commitment >= 3` unknown for a profile without commitment.
    @Test("Kleene logic in conditions", arguments: kleene)
    func kleeneInConditions(_ row: Row) throws {
        let leaf: [Truth: String] = [.true: "control >= 3", .false: "control >= 5", .unknown: "commitment >= 3"]
        let profile = Profile(scores: ["control": 4])
        let (a, b) = (try #require(leaf[row.a]), try #require(leaf[row.b]))
        #expect(try Evaluate.truth("\(a) and \(b)", profile) == row.and)
        #expect(try Evaluate.truth("\(a) or \(b)", profile) == row.or)
        #expect(try Evaluate.truth("not (\(a))", profile) == !row.a)
    }

    // MARK: Missing data is unknown

    struct Missing: Sendable, CustomTestStringConvertible {
        var when: String
        var truth: Truth
        var testDescription: String { when }
    }

    /// For a profile with `control` 4 and nothing else.
    static let missing: [Missing] = [
        Missing(when: "commitment >= 2", truth: .unknown),
        Missing(when: "commitment < 2", truth: .unknown),
        Missing(when: "not (commitment >= 2)", truth: .unknown),
        Missing(when: "commitment is low", truth: .unknown),
        Missing(when: "commitment is not low", truth: .unknown),
        Missing(when: "control - commitment >= 1", truth: .unknown),
        Missing(when: "control is high and commitment is low", truth: .unknown),
        Missing(when: "control is low and commitment is low", truth: .false),
        Missing(when: "control is high or commitment is low", truth: .true),
        Missing(when: "leadership >= 1", truth: .unknown),
        Missing(when: "self.control >= 1", truth: .unknown),
        Missing(when: "raters.peers == 0", truth: .true),
        Missing(when: #"level == "team""#, truth: .unknown),
        Missing(when: #"role in ["manager"]"#, truth: .unknown),
        Missing(when: #"role not in ["manager"]"#, truth: .unknown),
    ]

    @Test("missing values are unknown", arguments: missing)
    func missingIsUnknown(_ test: Missing) throws {
        #expect(try Evaluate.truth(test.when, Profile(scores: ["control": 4])) == test.truth)
    }

    @Test func aRuleReadingAMissingScoreDoesNotFire() throws {
        let book = try RuleFixtures.load(
            RuleFixtures.file(
                RuleSpec("gap", when: "control - commitment >= 1"),
                RuleSpec("negated", when: "not (control >= 2)"),
                RuleSpec("negated-band", when: "not (commitment is high)"),
                RuleSpec("known", when: "control >= 2")
            )
        )
        let withoutCommitment = try book.advise(Profile(scores: ["control": 4]))
        #expect(withoutCommitment.fired == ["known"])
        let withoutControl = try book.advise(Profile(scores: ["commitment": 2]))
        #expect(withoutControl.fired == ["negated-band"])
        let withBoth = try book.advise(Profile(scores: ["control": 1.5, "commitment": 4]), options: .init(limit: 10))
        #expect(withBoth.fired == ["negated"])
    }

    @Test func anExplicitNullScoreIsMissing() throws {
        let profile = try Profile(json: Data(#"{"scores": {"control": 4, "commitment": null}}"#.utf8))
        #expect(try Evaluate.truth("commitment < 5", profile) == .unknown)
    }

    // MARK: Functions and arithmetic

    struct Value: Sendable, CustomTestStringConvertible {
        var expression: String
        var value: Double?
        var testDescription: String { expression }
    }

    /// For a profile with control 4, commitment 2, serving 3.5 and nothing else.
    static let values: [Value] = [
        Value(expression: "mean(control, commitment)", value: 3),
        Value(expression: "mean(control, commitment, serving)", value: 9.5 / 3),
        Value(expression: "min(control, commitment, serving)", value: 2),
        Value(expression: "max(control, commitment, serving)", value: 4),
        Value(expression: "abs(commitment - control)", value: 2),
        Value(expression: "abs(control - commitment)", value: 2),
        Value(expression: "-control + 1", value: -3),
        Value(expression: "control - commitment * 2", value: 0),
        Value(expression: "(control - commitment) * 2", value: 4),
        Value(expression: "control / commitment", value: 2),
        Value(expression: "count(control is high, commitment is low, serving is high)", value: 2),
        Value(expression: "count(control is low)", value: 0),
        // Unknown when any argument is unknown.
        Value(expression: "mean(control, people)", value: nil),
        Value(expression: "min(control, people)", value: nil),
        Value(expression: "max(control, people)", value: nil),
        Value(expression: "abs(people)", value: nil),
        Value(expression: "count(control is high, people is low)", value: nil),
        Value(expression: "control + people", value: nil),
        // Dividing by zero is unknown, not infinity.
        Value(expression: "control / (commitment - 2)", value: nil),
        Value(expression: "control / (serving - serving)", value: nil),
        // Counts of absent groups are zero, not unknown.
        Value(expression: "raters.peers", value: 0),
        Value(expression: "raters.others", value: 0),
    ]

    @Test("values", arguments: values)
    func evaluates(_ test: Value) throws {
        let profile = Profile(scores: ["control": 4, "commitment": 2, "serving": 3.5])
        let value = try Evaluate.value(test.expression, profile)
        #expect(isClose(value, test.value), "\(test.expression) = \(value.map { "\($0)" } ?? "unknown")")
    }

    @Test func divisionByZeroMakesAComparisonUnknown() throws {
        let profile = Profile(scores: ["control": 4, "commitment": 2])
        #expect(try Evaluate.truth("control / (commitment - 2) >= 1", profile) == .unknown)
        #expect(try Evaluate.truth("not (control / (commitment - 2) >= 1)", profile) == .unknown)
    }

    /// A gap between two scores written with one decimal meets a threshold it meets on paper,
    /// although 4.1 - 3.1 is 0.9999999999999996 in binary (comparisons allow 1e-9).
    @Test(arguments: [
        (4.1, 3.1, "control - commitment >= 1"),
        (4.1, 2.6, "control - commitment >= 1.5"),
        (3.1, 4.1, "commitment - control >= 1"),
        (3.1, 4.1, "abs(control - commitment) >= 1"),
    ])
    func gapsMeetThresholdsAsWritten(_ control: Double, _ commitment: Double, _ when: String) throws {
        let profile = Profile(scores: ["control": control, "commitment": commitment])
        let truth = try Evaluate.truth(when, profile)
        #expect(truth == .true, "\(when) with control \(control), commitment \(commitment)")
    }

    @Test func aGapOnItsThresholdHoldsAndSaysSo() throws {
        let book = try RuleFixtures.load(RuleFixtures.file(RuleSpec("gap", when: "control - commitment >= 1")))
        let profile = Profile(scores: ["control": 4.1, "commitment": 3.1])
        let rule = try #require(book.rule(id: "gap"))
        let prepared = try PreparedProfile(profile, instrument: book.instrument)
        let leaf = try #require(rule.condition.leaves.first)
        let result = Explanation.result(leaf, ReferenceInterpreter.test(leaf, prepared, leaves: rule.condition.leaves))
        #expect(result.detail == "control - commitment 1.00 ≥ 1")
        #expect(result.result == .true)
    }

    @Test func bandBoundsFollowTheInstrument() throws {
        // low ≤ 2.5 < mid < 3.75 ≤ high
        let cases: [(Double, low: Truth, mid: Truth, high: Truth)] = [
            (2.5, .true, .false, .false),
            (2.51, .false, .true, .false),
            (3.74, .false, .true, .false),
            (3.75, .false, .false, .true),
        ]
        for (score, low, mid, high) in cases {
            let profile = Profile(scores: ["control": score])
            #expect(try Evaluate.truth("control is low", profile) == low, "\(score)")
            #expect(try Evaluate.truth("control is mid", profile) == mid, "\(score)")
            #expect(try Evaluate.truth("control is high", profile) == high, "\(score)")
            #expect(try Evaluate.truth("control is not high", profile) == !high, "\(score)")
        }
    }

    @Test func derivedScoresFollowTheInstrumentFormulas() throws {
        let profile = Profile(scores: Profiles.sides(management: 4, leadership: 2.5))
        #expect(isClose(try Evaluate.value("management", profile), 4))
        #expect(isClose(try Evaluate.value("leadership", profile), 2.5))
        #expect(isClose(try Evaluate.value("balance", profile), -1.5))
        #expect(isClose(try Evaluate.value("overall", profile), 3.25))
        // One dimension missing makes its side (and everything built on it) unknown.
        let partial = Profile(scores: Profiles.sides(management: 4, leadership: 2.5).filter { $0.key != "serving" })
        #expect(isClose(try Evaluate.value("management", partial), 4))
        #expect(try Evaluate.value("leadership", partial) == nil)
        #expect(try Evaluate.value("balance", partial) == nil)
    }

    @Test func stringAttributes() throws {
        let profile = Profile(level: "team", attributes: ["role": "manager"], scores: ["control": 3])
        #expect(try Evaluate.truth(#"level == "team""#, profile) == .true)
        #expect(try Evaluate.truth(#"level != "team""#, profile) == .false)
        #expect(try Evaluate.truth(#"'"team" == level'"#, profile) == .true)
        #expect(try Evaluate.truth(#"role in ["manager", "director"]"#, profile) == .true)
        #expect(try Evaluate.truth(#"role not in ["manager", "director"]"#, profile) == .false)
        #expect(try Evaluate.truth(#"role in ["director"]"#, profile) == .false)
    }
}
