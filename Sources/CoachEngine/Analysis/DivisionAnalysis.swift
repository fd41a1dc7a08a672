/// Tests that divide by a constant zero (`control / 0 >= 1`, `control / (2 - 2) >= 1`,
/// `control / (commitment - commitment) >= 1`): a quotient by zero is unknown, so the test is
/// unknown for every profile: never true, and its negation never true either. Such a test loads
/// (it is well typed) but can never let its rule fire through it, so lint warns.
enum DivisionAnalysis {
    /// One warning per leaf test whose arithmetic divides by a divisor that is zero everywhere.
    static func findings(_ space: ScoreSpace) -> [Diagnostic] {
        var space = space
        var findings: [Diagnostic] = []
        for rule in space.book.rules {
            for leaf in rule.condition.leaves {
                let operands: [NumericExpression]
                switch leaf.test {
                case .compare(_, let l, let r): operands = [l, r]
                case .band(let operand, _, _): operands = [operand]
                case .membership, .stringCompare: operands = []
                }
                guard operands.contains(where: { dividesByZero($0, space: &space) }) else { continue }
                findings.append(
                    Diagnostic(
                        .warning,
                        code: "always-unknown",
                        "'\(leaf.text)' divides by zero, so it is unknown for every profile",
                        at: leaf.location,
                        length: leaf.text.unicodeScalars.count,
                        notes: [
                            "an unknown test is never true, and neither is its negation, so it never lets "
                                + "'\(rule.id)' fire; divide by a number that is not zero"
                        ]
                    )
                )
            }
        }
        return findings
    }

    /// Whether `expression` contains a quotient whose divisor is zero for every profile: a
    /// constant zero, or a linear form whose terms cancel (`commitment - commitment`).
    static func dividesByZero(_ expression: NumericExpression, space: inout ScoreSpace) -> Bool {
        switch expression {
        case .constant, .variable, .count:
            return false
        case .negate(let inner):
            return dividesByZero(inner, space: &space)
        case .arithmetic(let op, let l, let r):
            if op == .divide, let divisor = space.linear(r), divisor.isConstant, divisor.constant == 0 {
                return true
            }
            return dividesByZero(l, space: &space) || dividesByZero(r, space: &space)
        case .function(_, let arguments):
            return arguments.contains { dividesByZero($0, space: &space) }
        }
    }
}
