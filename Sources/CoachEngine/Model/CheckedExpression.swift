/// A checked numeric expression: names resolved, constants folded.
indirect enum NumericExpression: Sendable {
    case constant(Double)
    case variable(Variable)
    case negate(NumericExpression)
    case arithmetic(ArithmeticOperator, NumericExpression, NumericExpression)
    case function(NumericFunction, [NumericExpression])
    /// How many of the conditions hold.
    case count([Condition])
}

/// The numeric functions of the expression language.
enum NumericFunction: String, Sendable, CaseIterable {
    case mean, min, max, abs
}

/// A checked condition: three-valued logic over leaf tests.
indirect enum Condition: Sendable {
    case constant(Truth)
    /// A leaf test, by index into the condition's leaf table.
    case leaf(Int)
    case and([Condition])
    case or([Condition])
    case not(Condition)
}

/// Where a string value comes from: a profile attribute (`level`, `role`) or a literal.
enum StringOperand: Sendable, Hashable {
    /// An attribute by index: 0 is `level`, then the instrument's attributes in order.
    case attribute(Int)
    case literal(String)
}

/// A leaf test: the unit that explanations report and that compiled rule books share.
struct LeafTest: Sendable {
    enum Test: Sendable {
        case compare(ComparisonOperator, NumericExpression, NumericExpression)
        case band(NumericExpression, band: Instrument.Band, negated: Bool)
        case membership(StringOperand, values: [String], negated: Bool)
        case stringCompare(equal: Bool, StringOperand, StringOperand)
    }

    var test: Test
    /// The leaf as written: `control is high`.
    var text: String
    /// The operands as written: `control` (and `3.75` for a comparison).
    var operands: [String]
    /// Where the leaf is written.
    var location: SourceLocation
}

/// A checked condition with the table of leaf tests it refers to.
struct CheckedCondition: Sendable {
    var root: Condition
    var leaves: [LeafTest]
}
