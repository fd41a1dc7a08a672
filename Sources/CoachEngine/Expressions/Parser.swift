/// Parses an expression into `Syntax` by recursive descent. Precedence, loosest first: `or`,
/// `and`, `not`, comparisons and `is`/`in` tests, `+ -`, `* /`, unary minus. Nesting deeper than
/// `maxDepth` is an error, never a stack overflow.
struct Parser {
    /// Bounds on one expression (set through `LoadLimits`, whose defaults they take).
    struct Limits: Sendable {
        var maxDepth = 64
        var maxTokens = 4_000
        var maxCharacters = 10_000
    }

    private var tokens: [Token]
    private var index = 0
    private var depth = 0
    private let limits: Limits

    /// Parses `text` whole; anything left after the expression is an error.
    static func parse(_ text: String, limits: Limits = Limits()) throws(ExpressionError) -> Syntax {
        try parse(scalars: Array(text.unicodeScalars), limits: limits)
    }

    /// Parses text already split into Unicode scalars (offsets count them).
    static func parse(scalars: [Unicode.Scalar], limits: Limits = Limits()) throws(ExpressionError) -> Syntax {
        if scalars.count > limits.maxCharacters {
            throw ExpressionError(
                code: "expression-too-long",
                message: "expression is \(scalars.count) characters long; the limit is \(limits.maxCharacters)",
                span: limits.maxCharacters..<(limits.maxCharacters + 1)
            )
        }
        var parser = Parser(tokens: try Lexer.tokenize(scalars, maxTokens: limits.maxTokens), limits: limits)
        if parser.current.kind == .end {
            throw ExpressionError(code: "empty-expression", message: "the condition is empty", span: 0..<0)
        }
        let syntax = try parser.parseOr()
        guard parser.current.kind == .end else {
            throw parser.unexpected(expecting: "an operator such as 'and', 'or' or '>='")
        }
        return syntax
    }

    private init(tokens: [Token], limits: Limits) {
        self.tokens = tokens
        self.limits = limits
    }

    private var current: Token { tokens[index] }

    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func unexpected(expecting what: String) -> ExpressionError {
        let token = current
        let span = token.kind == .end ? token.span.lowerBound..<(token.span.lowerBound + 1) : token.span
        return ExpressionError(
            code: "syntax",
            message: "expected \(what), found \(token.display)",
            span: span
        )
    }

    private mutating func accept(_ symbol: Token.Symbol) -> Bool {
        if current.kind == .symbol(symbol) {
            _ = advance()
            return true
        }
        return false
    }

    private mutating func accept(_ keyword: Token.Keyword) -> Bool {
        if current.kind == .keyword(keyword) {
            _ = advance()
            return true
        }
        return false
    }

    private mutating func expect(_ symbol: Token.Symbol, _ what: String) throws(ExpressionError) -> Token {
        guard current.kind == .symbol(symbol) else { throw unexpected(expecting: what) }
        return advance()
    }

    private mutating func enter(at span: Range<Int>) throws(ExpressionError) {
        depth += 1
        if depth > limits.maxDepth {
            throw ExpressionError(
                code: "expression-too-deep",
                message: "expression nests deeper than \(limits.maxDepth) levels",
                span: span
            )
        }
    }

    private mutating func parseOr() throws(ExpressionError) -> Syntax {
        var left = try parseAnd()
        while accept(.or) {
            let right = try parseAnd()
            left = Syntax(kind: .or(left, right), span: left.span.lowerBound..<right.span.upperBound)
        }
        return left
    }

    private mutating func parseAnd() throws(ExpressionError) -> Syntax {
        var left = try parseNot()
        while accept(.and) {
            let right = try parseNot()
            left = Syntax(kind: .and(left, right), span: left.span.lowerBound..<right.span.upperBound)
        }
        return left
    }

    private mutating func parseNot() throws(ExpressionError) -> Syntax {
        let start = current.span
        if accept(.not) {
            try enter(at: start)
            defer { depth -= 1 }
            let operand = try parseNot()
            return Syntax(kind: .not(operand), span: start.lowerBound..<operand.span.upperBound)
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(ExpressionError) -> Syntax {
        let left = try parseAdditive()
        if case .symbol(let symbol) = current.kind, let op = Self.comparison(symbol) {
            _ = advance()
            let right = try parseAdditive()
            return Syntax(kind: .comparison(op, left, right), span: left.span.lowerBound..<right.span.upperBound)
        }
        if accept(.is) {
            let negated = accept(.not)
            guard case .identifier(let band) = current.kind else {
                throw unexpected(expecting: "a band name such as 'high' after 'is'")
            }
            let bandToken = advance()
            return Syntax(
                kind: .band(left, band: band, bandSpan: bandToken.span, negated: negated),
                span: left.span.lowerBound..<bandToken.span.upperBound
            )
        }
        if current.kind == .keyword(.not), tokens[index + 1].kind == .keyword(.in) {
            _ = advance()
            _ = advance()
            return try parseMembership(left, negated: true)
        }
        if accept(.in) {
            return try parseMembership(left, negated: false)
        }
        return left
    }

    private mutating func parseMembership(_ left: Syntax, negated: Bool) throws(ExpressionError) -> Syntax {
        _ = try expect(.leftBracket, "'[' to start a list of values")
        var values: [(String, Range<Int>)] = []
        if current.kind != .symbol(.rightBracket) {
            repeat {
                guard case .string(let value) = current.kind else {
                    throw unexpected(expecting: "a quoted value such as \"manager\"")
                }
                values.append((value, advance().span))
            } while accept(.comma)
        }
        let close = try expect(.rightBracket, "',' or ']'")
        return Syntax(
            kind: .membership(left, values: values, negated: negated),
            span: left.span.lowerBound..<close.span.upperBound
        )
    }

    private static func comparison(_ symbol: Token.Symbol) -> ComparisonOperator? {
        switch symbol {
        case .less: .less
        case .lessEqual: .lessEqual
        case .greater: .greater
        case .greaterEqual: .greaterEqual
        case .equal: .equal
        case .notEqual: .notEqual
        default: nil
        }
    }

    private mutating func parseAdditive() throws(ExpressionError) -> Syntax {
        var left = try parseMultiplicative()
        while true {
            let op: ArithmeticOperator
            if accept(.plus) {
                op = .add
            } else if accept(.minus) {
                op = .subtract
            } else {
                return left
            }
            let right = try parseMultiplicative()
            left = Syntax(kind: .arithmetic(op, left, right), span: left.span.lowerBound..<right.span.upperBound)
        }
    }

    private mutating func parseMultiplicative() throws(ExpressionError) -> Syntax {
        var left = try parseUnary()
        while true {
            let op: ArithmeticOperator
            if accept(.star) {
                op = .multiply
            } else if accept(.slash) {
                op = .divide
            } else {
                return left
            }
            let right = try parseUnary()
            left = Syntax(kind: .arithmetic(op, left, right), span: left.span.lowerBound..<right.span.upperBound)
        }
    }

    private mutating func parseUnary() throws(ExpressionError) -> Syntax {
        let start = current.span
        if accept(.minus) {
            try enter(at: start)
            defer { depth -= 1 }
            let operand = try parseUnary()
            return Syntax(kind: .negate(operand), span: start.lowerBound..<operand.span.upperBound)
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(ExpressionError) -> Syntax {
        let token = current
        switch token.kind {
        case .number(let value):
            _ = advance()
            return Syntax(kind: .number(value), span: token.span)
        case .string(let text):
            _ = advance()
            return Syntax(kind: .string(text), span: token.span)
        case .keyword(.true), .keyword(.false):
            _ = advance()
            return Syntax(kind: .boolean(token.kind == .keyword(.true)), span: token.span)
        case .symbol(.leftParen):
            _ = advance()
            try enter(at: token.span)
            defer { depth -= 1 }
            let inner = try parseOr()
            let close = try expect(.rightParen, "')'")
            return Syntax(kind: inner.kind, span: token.span.lowerBound..<close.span.upperBound)
        case .identifier(let name):
            _ = advance()
            if current.kind == .symbol(.leftParen) {
                return try parseCall(name, nameSpan: token.span)
            }
            var parts = [name]
            var end = token.span.upperBound
            while accept(.dot) {
                guard case .identifier(let part) = current.kind else {
                    throw unexpected(expecting: "a name after '.'")
                }
                parts.append(part)
                end = advance().span.upperBound
            }
            return Syntax(kind: .name(parts), span: token.span.lowerBound..<end)
        default:
            throw unexpected(expecting: "a number, a name or '('")
        }
    }

    private mutating func parseCall(_ name: String, nameSpan: Range<Int>) throws(ExpressionError) -> Syntax {
        let open = advance()
        try enter(at: open.span)
        defer { depth -= 1 }
        var arguments: [Syntax] = []
        if current.kind != .symbol(.rightParen) {
            repeat {
                arguments.append(try parseOr())
            } while accept(.comma)
        }
        let close = try expect(.rightParen, "',' or ')'")
        return Syntax(
            kind: .call(name, nameSpan: nameSpan, arguments: arguments),
            span: nameSpan.lowerBound..<close.span.upperBound
        )
    }
}
