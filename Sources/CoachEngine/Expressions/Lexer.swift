/// Splits an expression into tokens.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    /// All tokens, ending with `.end`; the first lexical error stops the scan.
    static func tokenize(_ scalars: [Unicode.Scalar], maxTokens: Int) throws(ExpressionError) -> [Token] {
        var lexer = Lexer(scalars)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
            if tokens.count > maxTokens {
                throw ExpressionError(
                    code: "expression-too-large",
                    message: "expression has more than \(maxTokens) tokens",
                    span: token.span
                )
            }
        }
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }

    private static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool {
        isIdentifierStart(c) || isDigit(c)
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    mutating func next() throws(ExpressionError) -> Token {
        while let c = peek(), c == " " || c == "\t" || c == "\n" || c == "\r" { position += 1 }
        let start = position
        guard let c = peek() else { return Token(kind: .end, span: start..<start) }

        if Self.isDigit(c) || (c == "." && peek(1).map(Self.isDigit) == true) {
            return try number(from: start)
        }
        if Self.isIdentifierStart(c) {
            position += 1
            while let d = peek(), Self.isIdentifierPart(d) { position += 1 }
            let word = String(scalars: scalars[start..<position])
            if let keyword = Token.Keyword(rawValue: word) {
                return Token(kind: .keyword(keyword), span: start..<position)
            }
            return Token(kind: .identifier(word), span: start..<position)
        }
        if c == "\"" || c == "'" {
            return try string(from: start, quote: c)
        }
        position += 1
        let two: Token.Symbol? =
            switch (c, peek()) {
            case ("<", "="): .lessEqual
            case (">", "="): .greaterEqual
            case ("=", "="): .equal
            case ("!", "="): .notEqual
            default: nil
            }
        if let two {
            position += 1
            return Token(kind: .symbol(two), span: start..<position)
        }
        let one: Token.Symbol? =
            switch c {
            case "+": .plus
            case "-": .minus
            case "*": .star
            case "/": .slash
            case "<": .less
            case ">": .greater
            case "(": .leftParen
            case ")": .rightParen
            case "[": .leftBracket
            case "]": .rightBracket
            case ",": .comma
            case ".": .dot
            default: nil
            }
        if let one { return Token(kind: .symbol(one), span: start..<position) }
        let hint: String =
            switch c {
            case "=": "; use '==' to compare"
            case "&": "; use 'and'"
            case "|": "; use 'or'"
            case "!": "; use 'not'"
            default: ""
            }
        throw ExpressionError(
            code: "unexpected-character",
            message: "unexpected character '\(String(c).debugDescription.dropFirst().dropLast())'\(hint)",
            span: start..<position
        )
    }

    private mutating func number(from start: Int) throws(ExpressionError) -> Token {
        while let d = peek(), Self.isDigit(d) || d == "." { position += 1 }
        if let e = peek(), e == "e" || e == "E" {
            let sign = peek(1)
            let digitAt = (sign == "+" || sign == "-") ? 2 : 1
            if let d = peek(digitAt), Self.isDigit(d) {
                position += digitAt
                while let d = peek(), Self.isDigit(d) { position += 1 }
            }
        }
        let text = String(scalars: scalars[start..<position])
        guard let value = Double(text), value.isFinite else {
            throw ExpressionError(code: "bad-number", message: "'\(text)' is not a number", span: start..<position)
        }
        if let d = peek(), Self.isIdentifierStart(d) {
            throw ExpressionError(
                code: "bad-number",
                message: "a number runs into a name; put an operator between them",
                span: start..<(position + 1)
            )
        }
        return Token(kind: .number(value), span: start..<position)
    }

    private mutating func string(from start: Int, quote: Unicode.Scalar) throws(ExpressionError) -> Token {
        position += 1
        var text = String.UnicodeScalarView()
        while let c = peek() {
            position += 1
            if c == quote { return Token(kind: .string(String(text)), span: start..<position) }
            if c == "\\", let escaped = peek() {
                position += 1
                text.append(escaped)
            } else {
                text.append(c)
            }
        }
        throw ExpressionError(code: "unterminated-string", message: "string is not closed", span: start..<position)
    }
}
