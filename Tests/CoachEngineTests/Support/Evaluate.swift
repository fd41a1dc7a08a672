import Testing

@testable import CoachEngine

/// Evaluates one expression for one profile with the reference interpreter, so that a test can
/// see `unknown` (which a rule only shows as "did not fire") and exact numbers.
enum Evaluate {
    /// The truth of a condition, written as a rule's `when`.
    static func truth(_ when: String, _ profile: Profile) throws -> Truth {
        let book = try RuleFixtures.load(RuleFixtures.file(RuleSpec("r", when: when)))
        let rule = try #require(book.rules.first)
        let prepared = try PreparedProfile(profile, instrument: book.instrument)
        return ReferenceInterpreter.truth(rule.condition.root, prepared, leaves: rule.condition.leaves)
    }

    /// The value of a numeric expression; nil when it is unknown.
    static func value(_ expression: String, _ profile: Profile) throws -> Double? {
        let instrument = try RuleFixtures.load([]).instrument
        var checker = Checker(instrument: instrument)
        let checked = checker.numeric(text: expression) { offset in
            CoachEngine.SourceLocation(file: "expression", line: 1, column: offset + 1)
        }
        try #require(checker.diagnostics.isEmpty, "\(checker.diagnostics.map(\.summary))")
        let (numeric, _) = try #require(checked)
        let prepared = try PreparedProfile(profile, instrument: instrument)
        let value = ReferenceInterpreter.value(numeric, prepared, leaves: checker.leaves)
        return value.isNaN ? nil : value
    }
}

/// Whether two numbers agree to well within printing precision.
func isClose(_ a: Double?, _ b: Double?, tolerance: Double = 1e-9) -> Bool {
    switch (a, b) {
    case (nil, nil): true
    case (let a?, let b?): Swift.abs(a - b) <= tolerance
    default: false
    }
}
