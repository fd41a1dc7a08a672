import Testing

@testable import CoachEngine

/// `when` written as a structured tree (`all`/`any`/`not`) means the same as the expression it
/// stands for, and errors inside it, or inside block and quoted scalars, point at the exact
/// line and column.
@Suite struct StructuredConditionTests {
    static let structured = """
        rules:
          - id: structured
            title: Structured
            when:
              all:
                - control is high
                - any: [commitment is low, serving is low]
                - not: level == "organization"
            advice:
              summary: Structured.
              why: Why.
              actions: [One.]
          - id: expression
            title: Expression
            when: control is high and (commitment is low or serving is low) and not (level == "organization")
            advice:
              summary: Expression.
              why: Why.
              actions: [One.]

        """

    /// Every combination of high/mid/missing control, low/mid/missing commitment and serving,
    /// and each level (or none).
    static let profiles: [Profile] = {
        var profiles: [Profile] = []
        for control in [4.5, 3.0, nil] as [Double?] {
            for commitment in [2.0, 3.0, nil] as [Double?] {
                for serving in [2.0, 4.0, nil] as [Double?] {
                    for level in ["team", "organization", nil] as [String?] {
                        var scores: [String: Double] = [:]
                        scores["control"] = control
                        scores["commitment"] = commitment
                        scores["serving"] = serving
                        // A profile needs at least one score.
                        scores["people"] = 3
                        profiles.append(Profile(id: "p\(profiles.count)", level: level, scores: scores))
                    }
                }
            }
        }
        return profiles
    }()

    @Test func structuredAndExpressionAgreeOnEveryProfile() throws {
        let book = try RuleFixtures.load(Self.structured)
        let structured = try #require(book.rule(id: "structured"))
        let expression = try #require(book.rule(id: "expression"))
        var truths: Set<Truth> = []
        for profile in Self.profiles {
            let prepared = try PreparedProfile(profile, instrument: book.instrument)
            let a = ReferenceInterpreter.truth(structured.condition.root, prepared, leaves: structured.condition.leaves)
            let b = ReferenceInterpreter.truth(expression.condition.root, prepared, leaves: expression.condition.leaves)
            #expect(a == b, "profile \(profile.scores) at \(profile.level ?? "no level")")
            truths.insert(a)

            let fired = try book.advise(profile).fired
            #expect(fired.contains("structured") == fired.contains("expression"))
        }
        // The table reaches all three outcomes.
        #expect(truths == [.true, .false, .unknown])
    }

    @Test func structuredConditionReadsAsAnExpression() throws {
        let book = try RuleFixtures.load(Self.structured)
        #expect(
            book.rule(id: "structured")?.when
                == #"(control is high) and ((commitment is low) or (serving is low)) and (not (level == "organization"))"#
        )
    }

    @Test func errorsInsideLeavesPointAtTheLeaf() throws {
        let marked = MarkedText(
            """
            rules:
              - id: structured
                title: Structured
                when:
                  all:
                    - 1️⃣contrl is high
                    - any: [commitment is 2️⃣lwo, serving is low]
                    - not: 3️⃣levl == "organization"
                    - any:
                        - |
                          serving is low
                          and 4️⃣peer.serving is low
                advice:
                  summary: Structured.
                  why: Why.
                  actions: [One.]

            """
        )
        let error = try #require(RuleFixtures.loadError(marked.text))
        #expect(
            error.diagnostics.map(\.message) == [
                "unknown variable 'contrl'; did you mean 'control'?",
                "unknown band 'lwo'; did you mean 'low'?",
                "unknown variable 'levl'; did you mean 'level'?",
                "unknown rater group 'peer'; did you mean 'peers'?",
            ]
        )
        #expect(
            error.diagnostics.map(\.location)
                == ["1️⃣", "2️⃣", "3️⃣", "4️⃣"].map { marked.location($0, file: "Rules/x.yaml") }
        )
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        var name: String
        /// The lines after `when:`, indented under it, with `1️⃣` where the error must point.
        var when: String
        var message: String
        var testDescription: String { name }
    }

    static let malformed: [Malformed] = [
        Malformed(
            name: "two keys in one node",
            when: "      1️⃣all: [control is high]\n      any: [commitment is low]",
            message: "a structured condition is one of 'all: [...]', 'any: [...]' or 'not: ...'"
        ),
        Malformed(
            name: "misspelt key",
            when: "      1️⃣alll: [control is high]",
            message: "a structured condition is one of 'all: [...]', 'any: [...]' or 'not: ...'; "
                + "found 'alll'; did you mean 'all'?"
        ),
        Malformed(
            name: "empty all",
            when: "      all: 1️⃣[]",
            message: "'all' needs at least one condition"
        ),
        Malformed(
            name: "any not a list",
            when: "      any: 1️⃣control is high",
            message: "'any' must be a list, found a string"
        ),
    ]

    @Test("malformed trees", arguments: malformed)
    func rejectsMalformedTrees(_ test: Malformed) throws {
        let marked = MarkedText(
            "rules:\n  - id: r\n    title: R\n    when:\n\(test.when)\n"
                + "    advice:\n      summary: S.\n      why: W.\n      actions: [A.]\n"
        )
        let error = try #require(RuleFixtures.loadError(marked.text))
        #expect(error.diagnostics.map(\.message) == [test.message])
        #expect(error.diagnostics.first?.location == marked.location(file: "Rules/x.yaml"))
    }

    @Test func nestingIsBounded() throws {
        var when = "control is high"
        for _ in 0..<40 { when = "{not: \(when)}" }
        let error = try #require(RuleFixtures.loadError(RuleFixtures.file(RuleSpec("r", when: when))))
        #expect(error.diagnostics.map(\.code) == ["expression-too-deep"])
    }

    // MARK: Scalar styles

    struct Styled: Sendable, CustomTestStringConvertible {
        var name: String
        /// The `when:` line and any continuation lines, with `1️⃣` at the misspelt name.
        var when: String
        var testDescription: String { name }
    }

    static let styles: [Styled] = [
        Styled(name: "plain", when: "    when: control is high and 1️⃣contrl is low"),
        Styled(name: "plain over two lines", when: "    when: control is high\n      and 1️⃣contrl is low"),
        Styled(name: "double-quoted", when: #"    when: "control is high and 1️⃣contrl is low""#),
        Styled(
            name: "double-quoted with escapes",
            when: #"    when: "role == \"manager\" and 1️⃣contrl is low""#
        ),
        Styled(name: "single-quoted with a doubled quote", when: "    when: 'role == ''manager'' and 1️⃣contrl is low'"),
        Styled(name: "literal block", when: "    when: |\n      control is high\n      and 1️⃣contrl is low"),
        Styled(name: "literal block, strip", when: "    when: |-\n      control is high\n      and 1️⃣contrl is low"),
        Styled(
            name: "folded block",
            when: "    when: >\n      control is high\n      and commitment is low\n      and 1️⃣contrl is low"
        ),
        Styled(
            name: "literal block with a blank line",
            when: "    when: |\n      control is high\n\n      and 1️⃣contrl is low"
        ),
        Styled(name: "after a comment", when: "    when: # the pattern\n      control is high and 1️⃣contrl is low"),
    ]

    @Test("errors point into every scalar style", arguments: styles)
    func pointsIntoScalarStyles(_ test: Styled) throws {
        let marked = MarkedText(
            "rules:\n  - id: r\n    title: R\n\(test.when)\n"
                + "    advice:\n      summary: S.\n      why: W.\n      actions: [A.]\n"
        )
        let error = try #require(RuleFixtures.loadError(marked.text))
        #expect(error.diagnostics.map(\.message) == ["unknown variable 'contrl'; did you mean 'control'?"])
        #expect(error.diagnostics.first?.location == marked.location(file: "Rules/x.yaml"))
    }
}
