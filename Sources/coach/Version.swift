import ArgumentParser
import CoachEngine

/// What `coach --version` prints: the version of the program and of the rule set built into it
/// (the content hash that advice reports as `ruleSet.version`).
enum Version {
    /// The version of `coach`, `CoachEngine` and `CoachServer`, released together.
    static let coach = "0.1.0"

    /// `coach 0.1.0` and `built-in rules <hash> (N rules)`, one a line.
    static func text() throws -> String {
        let book = try RuleOptions(rules: nil).loadBook()
        let rules = book.rules.count
        return "coach \(coach)\nbuilt-in rules \(book.version) (\(rules) rule\(rules == 1 ? "" : "s"))\n"
    }
}
