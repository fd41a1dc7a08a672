/// A lexical token of the expression language, with its place in the expression text
/// (offsets in Unicode scalars).
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case number(Double)
        case string(String)
        case identifier(String)
        case keyword(Keyword)
        case symbol(Symbol)
        case end
    }

    enum Keyword: String, Sendable, CaseIterable {
        case and, or, not, `is`, `in`, `true`, `false`
    }

    enum Symbol: String, Sendable {
        case plus = "+"
        case minus = "-"
        case star = "*"
        case slash = "/"
        case less = "<"
        case lessEqual = "<="
        case greater = ">"
        case greaterEqual = ">="
        case equal = "=="
        case notEqual = "!="
        case leftParen = "("
        case rightParen = ")"
        case leftBracket = "["
        case rightBracket = "]"
        case comma = ","
        case dot = "."
    }

    var kind: Kind
    var span: Range<Int>

    /// How the token reads in a message.
    var display: String {
        switch kind {
        case .number(let value): "number \(NumberFormatting.short(value))"
        case .string(let text): "string \"\(text)\""
        case .identifier(let name): "'\(name)'"
        case .keyword(let keyword): "'\(keyword.rawValue)'"
        case .symbol(let symbol): "'\(symbol.rawValue)'"
        case .end: "end of expression"
        }
    }
}
