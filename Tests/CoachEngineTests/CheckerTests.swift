import Testing

@testable import CoachEngine

/// The checker, through loading small rule files: names, bands, functions, types and ranges are
/// load errors at the place they are written, with the likely intent where one is near.
@Suite struct CheckerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        /// The `when`, with `1️⃣` where the error must point.
        var when: String
        var code: String
        var message: String
        var notes: [String] = []
        var testDescription: String { when }
    }

    static let errors: [Case] = [
        Case(
            when: "1️⃣contrl is high",
            code: "unknown-variable",
            message: "unknown variable 'contrl'; did you mean 'control'?"
        ),
        Case(
            when: "1️⃣self.contrl >= 3",
            code: "unknown-variable",
            message: "unknown variable 'self.contrl'; did you mean 'control'?"
        ),
        Case(
            when: "1️⃣peer.control >= 3",
            code: "unknown-rater-group",
            message: "unknown rater group 'peer'; did you mean 'peers'?"
        ),
        Case(
            when: "1️⃣raters.peer >= 3",
            code: "unknown-rater-group",
            message: "unknown rater group 'peer'; did you mean 'peers'?"
        ),
        Case(
            when: "1️⃣raters >= 3",
            code: "unknown-variable",
            message: "'raters' needs a group: raters.peers, raters.others"
        ),
        Case(
            when: "control is 1️⃣hihg",
            code: "unknown-band",
            message: "unknown band 'hihg'; did you mean 'high'?",
            notes: ["bands: low, mid, high"]
        ),
        Case(
            when: "control is not 1️⃣medium",
            code: "unknown-band",
            message: "unknown band 'medium'",
            notes: ["bands: low, mid, high"]
        ),
        Case(
            when: "1️⃣maen(control, commitment) >= 3",
            code: "unknown-function",
            message: "unknown function 'maen'; did you mean 'mean'?",
            notes: ["functions: mean, min, max, abs, count"]
        ),
        Case(
            when: "1️⃣avg(control, commitment) >= 3",
            code: "unknown-function",
            message: "unknown function 'avg'",
            notes: ["functions: mean, min, max, abs, count"]
        ),
        Case(
            when: "1️⃣abs(control, commitment) >= 1",
            code: "arity",
            message: "abs(…) takes exactly one argument, found 2"
        ),
        Case(
            when: "control >= 1️⃣6",
            code: "threshold-out-of-range",
            message: "threshold 6 is outside the range of 'control' (1 to 5)"
        ),
        Case(
            when: "1️⃣0.5 > commitment",
            code: "threshold-out-of-range",
            message: "threshold 0.5 is outside the range of 'commitment' (1 to 5)"
        ),
        Case(
            when: "control + commitment >= 1️⃣11",
            code: "threshold-out-of-range",
            message: "threshold 11 is outside the range of 'control + commitment' (2 to 10)"
        ),
        Case(
            when: "balance <= 1️⃣-5",
            code: "threshold-out-of-range",
            message: "threshold -5 is outside the range of 'balance' (-4 to 4)"
        ),
        Case(
            when: "raters.peers >= 1️⃣-1",
            code: "threshold-out-of-range",
            message: "threshold -1 is outside the range of 'raters.peers' (from 0 up)"
        ),
        Case(
            when: "1️⃣balance is high",
            code: "band-out-of-scale",
            message: "band 'high' applies to scores on the 1–5 scale; 'balance' ranges beyond it",
            notes: ["compare it with a number instead, e.g. 'balance >= 1'"]
        ),
        Case(
            when: "1️⃣control - commitment is not low",
            code: "band-out-of-scale",
            message: "band 'low' applies to scores on the 1–5 scale; 'control - commitment' ranges beyond it",
            notes: ["compare it with a number instead, e.g. 'control - commitment >= 1'"]
        ),
        Case(
            when: "1️⃣raters.peers is high",
            code: "band-out-of-scale",
            message: "band 'high' applies to scores on the 1–5 scale; 'raters.peers' ranges beyond it",
            notes: ["compare it with a number instead, e.g. 'raters.peers >= 1'"]
        ),
        Case(
            when: "1️⃣control",
            code: "type",
            message: "expected a condition, found a number ('control'); compare it, e.g. 'control >= 3'"
        ),
        Case(
            when: "1️⃣level > 3",
            code: "type",
            message: "cannot compare a number with a string"
        ),
        Case(
            when: #"1️⃣level < "team""#,
            code: "type",
            message: "strings compare only with '==' and '!='; '<' needs numbers"
        ),
        Case(
            when: "1️⃣(control is high) >= 3",
            code: "type",
            message: "'>=' compares numbers or strings, not conditions; use 'and', 'or' or 'not'"
        ),
        Case(
            when: "1️⃣role is high",
            code: "type",
            message: "'is high' tests a score; 'role' is not a number"
        ),
        Case(
            when: #"1️⃣control in ["manager"]"#,
            code: "type",
            message: "'in' tests a string attribute such as 'role'; 'control' is not one"
        ),
        Case(
            when: #"role == 1️⃣"manger""#,
            code: "unknown-value",
            message: "'manger' is not a value of 'role'; did you mean 'manager'?",
            notes: ["'role' is one of: individual-contributor, supervisor, manager, director, executive"]
        ),
        Case(
            when: #"role in ["manager", 1️⃣"directer"]"#,
            code: "unknown-value",
            message: "'directer' is not a value of 'role'; did you mean 'director'?",
            notes: ["'role' is one of: individual-contributor, supervisor, manager, director, executive"]
        ),
        Case(
            when: #"level != 1️⃣"teem""#,
            code: "unknown-value",
            message: "'teem' is not a value of 'level'; did you mean 'team'?",
            notes: ["'level' is one of: personal, team, organization"]
        ),
    ]

    @Test("one error, at the marker", arguments: errors)
    func reportsAtTheMarker(_ test: Case) throws {
        let marked = MarkedText(RuleFixtures.file(RuleSpec("r", when: test.when)))
        let error = try #require(RuleFixtures.loadError(marked.text))
        let diagnostic = try #require(error.diagnostics.first)
        #expect(error.diagnostics.count == 1, "\(error.rendered)")
        #expect(diagnostic.code == test.code)
        #expect(diagnostic.message == test.message)
        #expect(diagnostic.notes == test.notes)
        #expect(diagnostic.location == marked.location(file: "Rules/x.yaml"))
    }

    @Test func aConjunctionOfNumbersIsTwoTypeErrors() throws {
        let marked = MarkedText(RuleFixtures.file(RuleSpec("r", when: "1️⃣control and 2️⃣commitment")))
        let error = try #require(RuleFixtures.loadError(marked.text))
        #expect(error.diagnostics.map(\.code) == ["type", "type"])
        #expect(
            error.diagnostics.map(\.message) == [
                "expected a condition, found a number ('control'); compare it, e.g. 'control >= 3'",
                "expected a condition, found a number ('commitment'); compare it, e.g. 'commitment >= 3'",
            ]
        )
        #expect(
            error.diagnostics.map(\.location) == [
                marked.location("1️⃣", file: "Rules/x.yaml"), marked.location("2️⃣", file: "Rules/x.yaml"),
            ]
        )
    }

    static let accepted = [
        "raters.peers >= 3",
        "raters.others == 0",
        "self.balance <= -1",
        "others.balance >= 1 and self.balance < 0",
        "others.control - self.control >= 1",
        "manager.leadership - reports.leadership >= 1",
        "peers.leadership is not low",
        "management is high and leadership is low",
        "mean(control, commitment) is low",
        "count(control is high, commitment is low, serving is low) >= 2",
        "abs(balance) >= 1",
        "min(control, commitment) >= 1 and max(control, commitment) <= 5",
        "balance >= -4 and balance <= 4",
        #"role in ["manager", "director"]"#,
        #"role not in ["individual-contributor"]"#,
        #"level == "team""#,
        // A literal on the left, written as a quoted YAML scalar.
        #"'"organization" != level'"#,
        "not (control >= 2)",
        "true",
    ]

    @Test("accepted", arguments: accepted)
    func loads(_ when: String) throws {
        let book = try RuleFixtures.load(RuleFixtures.file(RuleSpec("r", when: when)))
        #expect(book.rules.map(\.id) == ["r"])
    }

    @Test func templateNamesAreCheckedWhereTheyAreWritten() throws {
        let marked = MarkedText(
            RuleFixtures.file(RuleSpec("r", summary: "Your control is {{1️⃣contrl}}; peers say {{2️⃣peer.control}}."))
        )
        let error = try #require(RuleFixtures.loadError(marked.text))
        #expect(
            error.diagnostics.map(\.message) == [
                "unknown variable 'contrl'; did you mean 'control'?",
                "unknown rater group 'peer'; did you mean 'peers'?",
            ]
        )
        #expect(
            error.diagnostics.map(\.location) == [
                marked.location("1️⃣", file: "Rules/x.yaml"), marked.location("2️⃣", file: "Rules/x.yaml"),
            ]
        )
    }

    // MARK: Rendered like a compiler

    struct Rendered: Sendable, CustomTestStringConvertible {
        var name: String
        /// The rule file, with `1️⃣` where the caret must be.
        var marked: String
        var expected: String
        var testDescription: String { name }
    }

    static let rendered: [Rendered] = [
        Rendered(
            name: "unknown variable",
            marked: """
                rules:
                  - id: lopsided
                    title: Lopsided
                    when: 1️⃣contrl is high and commitment is low
                    advice:
                      summary: Lopsided.
                      why: Because.
                      actions: [Act.]

                """,
            expected: """
                Rules/x.yaml:4:11: error: unknown variable 'contrl'; did you mean 'control'?
                4 |     when: contrl is high and commitment is low
                  |           ^~~~~~
                1 error; the rule set was not loaded
                """
        ),
        Rendered(
            name: "threshold in a block scalar",
            marked: """
                rules:
                  - id: lopsided
                    title: Lopsided
                    when: |
                      control is high
                      and commitment < 1️⃣0.5
                    advice:
                      summary: Lopsided.
                      why: Because.
                      actions: [Act.]

                """,
            expected: """
                Rules/x.yaml:6:24: error: threshold 0.5 is outside the range of 'commitment' (1 to 5)
                6 |       and commitment < 0.5
                  |                        ^~~
                1 error; the rule set was not loaded
                """
        ),
        Rendered(
            name: "unknown attribute value, with a note",
            marked: """
                rules:
                  - id: managers
                    title: Managers
                    when: role == 1️⃣"manger"
                    advice:
                      summary: Managers.
                      why: Because.
                      actions: [Act.]

                """,
            expected: """
                Rules/x.yaml:4:19: error: 'manger' is not a value of 'role'; did you mean 'manager'?
                4 |     when: role == "manger"
                  |                   ^~~~~~~~
                note: 'role' is one of: individual-contributor, supervisor, manager, director, executive
                1 error; the rule set was not loaded
                """
        ),
        Rendered(
            name: "band on balance",
            marked: """
                rules:
                  - id: leans
                    title: Leans
                    when: "1️⃣balance is high"
                    advice:
                      summary: Leans.
                      why: Because.
                      actions: [Act.]

                """,
            expected: """
                Rules/x.yaml:4:12: error: band 'high' applies to scores on the 1–5 scale; 'balance' ranges beyond it
                4 |     when: "balance is high"
                  |            ^~~~~~~~~~~~~~~
                note: compare it with a number instead, e.g. 'balance >= 1'
                1 error; the rule set was not loaded
                """
        ),
    ]

    /// A long line is quoted in part, cut around the error, and the caret still points at it.
    @Test(arguments: [0, 40, 200])
    func longLinesAreCutAroundTheCaret(_ padding: Int) throws {
        let before = Array(repeating: "control >= 1 and", count: padding / 8 + 1).joined(separator: " ")
        let after = Array(repeating: "and commitment >= 1", count: 10).joined(separator: " ")
        let marked = MarkedText(RuleFixtures.file(RuleSpec("r", when: "\(before) 1️⃣contrl is high \(after)")))
        let error = try #require(RuleFixtures.loadError(marked.text))
        #expect(error.diagnostics.first?.location == marked.location(file: "Rules/x.yaml"))
        let lines = error.rendered.split(separator: "\n").map(String.init)
        try #require(lines.count >= 3)
        let (quoted, caret) = (Array(lines[1].unicodeScalars), Array(lines[2].unicodeScalars))
        let column = try #require(caret.firstIndex(of: "^"))
        let underlined = String(String.UnicodeScalarView(quoted[column..<min(quoted.count, column + 6)]))
        #expect(underlined == "contrl", "\(lines[1])\n\(lines[2])")
        #expect(lines[2].hasSuffix("^~~~~~"))
        #expect(lines[1].unicodeScalars.count <= 110)
    }

    @Test("rendered with source line and caret", arguments: rendered)
    func rendersLikeACompiler(_ test: Rendered) throws {
        let marked = MarkedText(test.marked)
        let error = try #require(RuleFixtures.loadError(marked.text))
        #expect(error.rendered == test.expected)
        #expect(error.diagnostics.first?.location == marked.location(file: "Rules/x.yaml"))
    }
}
