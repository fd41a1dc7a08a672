/// The parsed, unchecked form of an expression: names are still text. Every node keeps its span
/// (Unicode-scalar offsets) in the expression's text.
struct Syntax: Sendable {
    indirect enum Kind: Sendable {
        case number(Double)
        case string(String)
        case boolean(Bool)
        /// A name, possibly dotted: `control`, `self.control`, `raters.peers`.
        case name([String])
        case negate(Syntax)
        case arithmetic(ArithmeticOperator, Syntax, Syntax)
        case comparison(ComparisonOperator, Syntax, Syntax)
        /// `x is high`, `x is not low`; the band name's span is kept for messages.
        case band(Syntax, band: String, bandSpan: Range<Int>, negated: Bool)
        /// `role in ["a", "b"]`, `role not in [...]`.
        case membership(Syntax, values: [(String, Range<Int>)], negated: Bool)
        case and(Syntax, Syntax)
        case or(Syntax, Syntax)
        case not(Syntax)
        case call(String, nameSpan: Range<Int>, arguments: [Syntax])
    }

    var kind: Kind
    var span: Range<Int>
}

/// `+ - * /`.
enum ArithmeticOperator: String, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
}

/// `< <= > >= == !=`.
enum ComparisonOperator: String, Sendable {
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    case equal = "=="
    case notEqual = "!="

    /// The operator that holds when the operands swap sides: `3 < x` is `x > 3`.
    var mirrored: ComparisonOperator {
        switch self {
        case .less: .greater
        case .lessEqual: .greaterEqual
        case .greater: .less
        case .greaterEqual: .lessEqual
        case .equal, .notEqual: self
        }
    }

    /// How the operator prints in explanations: `≥` rather than `>=`.
    var symbol: String {
        switch self {
        case .less: "<"
        case .lessEqual: "≤"
        case .greater: ">"
        case .greaterEqual: "≥"
        case .equal: "="
        case .notEqual: "≠"
        }
    }
}
