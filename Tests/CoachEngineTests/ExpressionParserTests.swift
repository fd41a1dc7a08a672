import Testing

@testable import CoachEngine

/// The expression parser: precedence, the forms of the language, and syntax errors with their
/// exact message and column.
@Suite struct ExpressionParserTests {
    // MARK: Shapes

    struct Shape: Sendable, CustomTestStringConvertible {
        var text: String
        var tree: String
        var testDescription: String { text }
    }

    static let shapes: [Shape] = [
        // and binds tighter than or
        Shape(text: "a or b and c", tree: "(or a (and b c))"),
        Shape(text: "a and b or c", tree: "(or (and a b) c)"),
        Shape(text: "a and b and c", tree: "(and (and a b) c)"),
        Shape(text: "(a or b) and c", tree: "(and (or a b) c)"),
        // not binds tighter than and/or, looser than comparisons
        Shape(text: "not a and b", tree: "(and (not a) b)"),
        Shape(text: "not a or not b", tree: "(or (not a) (not b))"),
        Shape(text: "not control >= 3", tree: "(not (>= control 3))"),
        Shape(text: "not not a", tree: "(not (not a))"),
        Shape(text: "not (control >= 2)", tree: "(not (>= control 2))"),
        // arithmetic
        Shape(text: "a + b * c >= 3", tree: "(>= (+ a (* b c)) 3)"),
        Shape(text: "(a + b) * c", tree: "(* (+ a b) c)"),
        Shape(text: "a - b - c", tree: "(- (- a b) c)"),
        Shape(text: "a / b / c", tree: "(/ (/ a b) c)"),
        Shape(text: "-a * b", tree: "(* (neg a) b)"),
        Shape(text: "a - -b", tree: "(- a (neg b))"),
        Shape(text: "control - commitment >= 1.5", tree: "(>= (- control commitment) 1.5)"),
        // comparisons
        Shape(text: "a < 1", tree: "(< a 1)"),
        Shape(text: "a <= 1", tree: "(<= a 1)"),
        Shape(text: "a > 1", tree: "(> a 1)"),
        Shape(text: "a == 1", tree: "(== a 1)"),
        Shape(text: "a != 1", tree: "(!= a 1)"),
        Shape(text: "3.75 <= a", tree: "(<= 3.75 a)"),
        Shape(text: ".5 < a", tree: "(< 0.5 a)"),
        // band tests
        Shape(text: "control is high", tree: "(is control high)"),
        Shape(text: "commitment is not low", tree: "(is-not commitment low)"),
        Shape(text: "control - commitment is high", tree: "(is (- control commitment) high)"),
        Shape(text: "not control is high", tree: "(not (is control high))"),
        Shape(text: "control is high and commitment is low", tree: "(and (is control high) (is commitment low))"),
        // membership and strings
        Shape(text: #"role in ["manager", "director"]"#, tree: #"(in role "manager" "director")"#),
        Shape(text: "role not in ['supervisor']", tree: #"(not-in role "supervisor")"#),
        Shape(text: #"level == "team""#, tree: #"(== level "team")"#),
        Shape(text: #"not role in ["manager"]"#, tree: #"(not (in role "manager"))"#),
        // function calls
        Shape(text: "mean(a, b, c) >= 3", tree: "(>= (mean a b c) 3)"),
        Shape(text: "abs(self.control - others.control) >= 1", tree: "(>= (abs (- self.control others.control)) 1)"),
        Shape(text: "count(a is high, b is low) >= 2", tree: "(>= (count (is a high) (is b low)) 2)"),
        Shape(text: "max(min(a, b), 2)", tree: "(max (min a b) 2)"),
        // dotted names and literals
        Shape(text: "raters.peers >= 3", tree: "(>= raters.peers 3)"),
        Shape(text: "self.balance <= -1", tree: "(<= self.balance (neg 1))"),
        Shape(text: "true and false", tree: "(and true false)"),
    ]

    @Test("precedence and forms", arguments: shapes)
    func parses(_ shape: Shape) throws {
        let syntax = try Parser.parse(shape.text)
        #expect(syntax.tree == shape.tree)
    }

    @Test func spansCoverTheWholeExpression() throws {
        let text = "(control is high) and commitment is low"
        let syntax = try Parser.parse(text)
        #expect(syntax.span == 0..<text.unicodeScalars.count)
    }

    // MARK: Errors

    struct Failure: Sendable, CustomTestStringConvertible {
        /// The expression, with `1️⃣` where the error must point.
        var marked: String
        var code: String
        var message: String
        var testDescription: String { marked }
    }

    static let failures: [Failure] = [
        Failure(
            marked: "control 1️⃣= 3",
            code: "unexpected-character",
            message: "unexpected character '='; use '==' to compare"
        ),
        Failure(
            marked: "control is high 1️⃣& commitment is low",
            code: "unexpected-character",
            message: "unexpected character '&'; use 'and'"
        ),
        Failure(
            marked: "control is high 1️⃣|| x", code: "unexpected-character", message: "unexpected character '|'; use 'or'"
        ),
        Failure(marked: "1️⃣!control", code: "unexpected-character", message: "unexpected character '!'; use 'not'"),
        Failure(marked: "control 1️⃣@ 3", code: "unexpected-character", message: "unexpected character '@'"),
        Failure(
            marked: "(control >= 3 and commitment is low1️⃣",
            code: "syntax",
            message: "expected ')', found end of expression"
        ),
        Failure(
            marked: "((control >= 3) and commitment is low1️⃣",
            code: "syntax",
            message: "expected ')', found end of expression"
        ),
        Failure(
            marked: "mean(control, commitment1️⃣",
            code: "syntax",
            message: "expected ',' or ')', found end of expression"
        ),
        Failure(
            marked: "control >= 3 1️⃣commitment",
            code: "syntax",
            message: "expected an operator such as 'and', 'or' or '>=', found 'commitment'"
        ),
        Failure(
            marked: "control >= 3 1️⃣)",
            code: "syntax",
            message: "expected an operator such as 'and', 'or' or '>=', found ')'"
        ),
        Failure(
            marked: "control is high 1️⃣commitment is low",
            code: "syntax",
            message: "expected an operator such as 'and', 'or' or '>=', found 'commitment'"
        ),
        Failure(marked: "1️⃣", code: "empty-expression", message: "the condition is empty"),
        Failure(marked: "1️⃣   ", code: "empty-expression", message: "the condition is empty"),
        Failure(marked: #"role == 1️⃣"manager"#, code: "unterminated-string", message: "string is not closed"),
        Failure(marked: "role in [1️⃣'manager]", code: "unterminated-string", message: "string is not closed"),
        Failure(
            marked: "control >= 1️⃣",
            code: "syntax",
            message: "expected a number, a name or '(', found end of expression"
        ),
        Failure(
            marked: "control is 1️⃣3",
            code: "syntax",
            message: "expected a band name such as 'high' after 'is', found number 3"
        ),
        Failure(
            marked: #"role in 1️⃣"manager""#,
            code: "syntax",
            message: #"expected '[' to start a list of values, found string "manager""#
        ),
        Failure(
            marked: "role in [1️⃣manager]",
            code: "syntax",
            message: #"expected a quoted value such as "manager", found 'manager'"#
        ),
        Failure(marked: "self.1️⃣and", code: "syntax", message: "expected a name after '.', found 'and'"),
        Failure(
            marked: "1️⃣3control >= 1",
            code: "bad-number",
            message: "a number runs into a name; put an operator between them"
        ),
    ]

    @Test("syntax errors: message and column", arguments: failures)
    func rejects(_ failure: Failure) {
        let marked = MarkedText(failure.marked)
        let error = #expect(throws: ExpressionError.self) { try Parser.parse(marked.text) }
        #expect(error?.code == failure.code)
        #expect(error?.message == failure.message)
        #expect(error.map { $0.span.lowerBound + 1 } == marked.column())
    }

    // MARK: Depth

    static func nested(_ depth: Int) -> String {
        String(repeating: "(", count: depth) + "control >= 3" + String(repeating: ")", count: depth)
    }

    @Test func nestingUpToTheLimitParses() throws {
        let syntax = try Parser.parse(Self.nested(Parser.Limits().maxDepth))
        #expect(syntax.tree == "(>= control 3)")
    }

    @Test func nestingPastTheLimitIsTooDeep() {
        let limit = Parser.Limits().maxDepth
        let error = #expect(throws: ExpressionError.self) { try Parser.parse(Self.nested(limit + 1)) }
        #expect(error?.code == "expression-too-deep")
        #expect(error?.message == "expression nests deeper than \(limit) levels")
        // The parenthesis one past the limit.
        #expect(error?.span.lowerBound == limit)
    }

    /// Limits with only the depth bounded.
    static let onlyDepth = Parser.Limits(maxDepth: 64, maxTokens: 1_000_000, maxCharacters: 1_000_000)

    /// 20,000 nested parentheses end in an error, not a stack overflow. With the default limits
    /// the character limit is met first, then the token limit; without both, the depth limit
    /// still stops the descent.
    @Test func twentyThousandParenthesesAreAnErrorNotACrash() {
        let text = Self.nested(20_000)
        let byDefault = #expect(throws: ExpressionError.self) { try Parser.parse(text) }
        #expect(byDefault?.code == "expression-too-long")
        #expect(byDefault?.message == "expression is 40012 characters long; the limit is 10000")

        let unlimitedCharacters = Parser.Limits(maxCharacters: 1_000_000)
        let large = #expect(throws: ExpressionError.self) { try Parser.parse(text, limits: unlimitedCharacters) }
        #expect(large?.code == "expression-too-large")
        #expect(large?.message == "expression has more than 4000 tokens")

        let deep = #expect(throws: ExpressionError.self) { try Parser.parse(text, limits: Self.onlyDepth) }
        #expect(deep?.code == "expression-too-deep")
    }

    @Test(arguments: [
        String(repeating: "not ", count: 20_000) + "control >= 3",
        String(repeating: "-", count: 20_000) + "control >= 3",
        String(repeating: "abs(", count: 20_000) + "control" + String(repeating: ")", count: 20_000),
    ])
    func deepPrefixesAreTooDeep(_ text: String) {
        let error = #expect(throws: ExpressionError.self) { try Parser.parse(text, limits: Self.onlyDepth) }
        #expect(error?.code == "expression-too-deep")
    }

    @Test func twentyThousandParenthesesInARuleFileFailToLoad() throws {
        let rules = RuleFixtures.file(RuleSpec("deep", when: Self.nested(20_000)))
        let error = try #require(RuleFixtures.loadError(rules))
        #expect(error.diagnostics.map(\.code) == ["expression-too-long"])
    }
}

extension Syntax {
    /// The tree in prefix form, parentheses made explicit: `(or a (and b c))`.
    var tree: String {
        switch kind {
        case .number(let value): NumberFormatting.short(value)
        case .string(let text): "\"\(text)\""
        case .boolean(let value): "\(value)"
        case .name(let parts): parts.joined(separator: ".")
        case .negate(let operand): "(neg \(operand.tree))"
        case .arithmetic(let op, let left, let right): "(\(op.rawValue) \(left.tree) \(right.tree))"
        case .comparison(let op, let left, let right): "(\(op.rawValue) \(left.tree) \(right.tree))"
        case .band(let operand, let band, _, let negated): "(\(negated ? "is-not" : "is") \(operand.tree) \(band))"
        case .membership(let operand, let values, let negated):
            "(\(negated ? "not-in" : "in") \(operand.tree)\(values.map { " \"\($0.0)\"" }.joined()))"
        case .and(let left, let right): "(and \(left.tree) \(right.tree))"
        case .or(let left, let right): "(or \(left.tree) \(right.tree))"
        case .not(let operand): "(not \(operand.tree))"
        case .call(let name, _, let arguments): "(\(name)\(arguments.map { " " + $0.tree }.joined()))"
        }
    }
}
