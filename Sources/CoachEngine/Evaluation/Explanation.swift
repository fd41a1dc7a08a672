/// Turns an evaluated leaf into the text a person reads: `control 4.5 is high (≥ 3.75)`.
enum Explanation {
    static func result(_ leaf: LeafTest, _ outcome: ReferenceInterpreter.LeafOutcome) -> ConditionResult {
        let value: ConditionResult.Value =
            if let text = outcome.text {
                .text(text)
            } else if let number = leaf.leadingValue(outcome), !number.isNaN {
                .number(number)
            } else {
                .missing
            }
        return ConditionResult(
            condition: leaf.text, value: value, result: outcome.result, detail: detail(leaf, outcome))
    }

    private static func shown(_ operand: String, _ value: Double) -> String {
        // A constant shows once (`1.5`), a variable with its value (`commitment 2.75`): scores
        // as the advice text prints them (`4.0`), counts as whole numbers.
        if Double(operand) != nil { return operand }
        let isCount = operand.hasPrefix("raters.") || operand.hasPrefix("count(")
        return "\(operand) \(isCount ? NumberFormatting.short(value) : NumberFormatting.score(value))"
    }

    static func detail(_ leaf: LeafTest, _ outcome: ReferenceInterpreter.LeafOutcome) -> String {
        switch leaf.test {
        case .compare(let op, _, _):
            let left = shown(leaf.operands[0], outcome.values[0])
            let right = shown(leaf.operands[1], outcome.values[1])
            return "\(left) \(op.symbol) \(right)"
        case .band(_, let band, let negated):
            let value = shown(leaf.operands[0], outcome.values[0])
            return "\(value) is \(negated ? "not " : "")\(band.name) (\(band.name): \(band.bounds))"
        case .membership(_, let values, let negated):
            let list = values.map { "\"\($0)\"" }.joined(separator: ", ")
            let actual = outcome.text.map { "\"\($0)\"" } ?? "n/a"
            return "\(leaf.operands[0]) \(actual) \(negated ? "not in" : "in") [\(list)]"
        case .stringCompare(let equal, let left, _):
            let actual = outcome.text.map { "\"\($0)\"" } ?? "n/a"
            let (attribute, literal) =
                if case .attribute = left { (leaf.operands[0], leaf.operands[1]) } else {
                    (leaf.operands[1], leaf.operands[0])
                }
            return "\(attribute) \(actual) \(equal ? "=" : "≠") \(literal)"
        }
    }
}

extension LeafTest {
    /// The number to report for a leaf: the side that is not a constant.
    fileprivate func leadingValue(_ outcome: ReferenceInterpreter.LeafOutcome) -> Double? {
        switch test {
        case .compare(_, let left, _):
            if case .constant = left, outcome.values.count > 1 { return outcome.values[1] }
            return outcome.values.first
        case .band:
            return outcome.values.first
        case .membership, .stringCompare:
            return nil
        }
    }
}
