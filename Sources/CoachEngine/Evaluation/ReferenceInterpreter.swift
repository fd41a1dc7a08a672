/// The reference interpreter: walks the checked tree directly, with three-valued logic. It is
/// the meaning of a rule; faster evaluators are tested against it.
enum ReferenceInterpreter {
    // MARK: Numbers

    /// The value of a numeric expression; NaN when it reads a missing value. `view` replaces
    /// the combined view (derived formulas are written once and computed in every view).
    static func value(
        _ expression: NumericExpression,
        _ profile: PreparedProfile,
        leaves: [LeafTest],
        view: Int = 0
    ) -> Double {
        switch expression {
        case .constant(let value):
            return value
        case .variable(let variable):
            return read(variable, profile, view: view)
        case .negate(let inner):
            return -value(inner, profile, leaves: leaves, view: view)
        case .arithmetic(let op, let left, let right):
            return apply(
                op,
                value(left, profile, leaves: leaves, view: view),
                value(right, profile, leaves: leaves, view: view)
            )
        case .function(let function, let arguments):
            return apply(function, arguments.map { value($0, profile, leaves: leaves, view: view) })
        case .count(let conditions):
            var count = 0.0
            for condition in conditions {
                switch truth(condition, profile, leaves: leaves) {
                case .true: count += 1
                case .unknown: return .nan
                case .false: break
                }
            }
            return count
        }
    }

    static func read(_ variable: Variable, _ profile: PreparedProfile, view: Int = 0) -> Double {
        profile.values[profile.layout.slot(variable, combinedView: view)]
    }

    /// `a op b`; NaN in, NaN out; dividing by zero is NaN (unknown), not infinity.
    static func apply(_ op: ArithmeticOperator, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: b == 0 ? .nan : a / b
        }
    }

    /// A function of its arguments; any NaN argument makes the result NaN.
    static func apply(_ function: NumericFunction, _ values: [Double]) -> Double {
        if values.contains(where: \.isNaN) || values.isEmpty { return .nan }
        switch function {
        case .mean: return values.reduce(0, +) / Double(values.count)
        case .min: return values.min() ?? .nan
        case .max: return values.max() ?? .nan
        case .abs: return Swift.abs(values[0])
        }
    }

    // MARK: Truth

    /// Whether `a op b` holds (within `Tolerance.epsilon`); unknown when either side is missing.
    static func compare(_ op: ComparisonOperator, _ a: Double, _ b: Double) -> Truth {
        if a.isNaN || b.isNaN { return .unknown }
        return Truth(Tolerance.holds(op, a, b))
    }

    /// The truth of a condition under Kleene logic.
    static func truth(_ condition: Condition, _ profile: PreparedProfile, leaves: [LeafTest]) -> Truth {
        switch condition {
        case .constant(let truth):
            return truth
        case .leaf(let index):
            return test(leaves[index], profile, leaves: leaves).result
        case .and(let parts):
            var result = Truth.true
            for part in parts {
                result = result && truth(part, profile, leaves: leaves)
                if result == .false { return .false }
            }
            return result
        case .or(let parts):
            var result = Truth.false
            for part in parts {
                result = result || truth(part, profile, leaves: leaves)
                if result == .true { return .true }
            }
            return result
        case .not(let inner):
            return !truth(inner, profile, leaves: leaves)
        }
    }

    /// What a leaf read and whether it held.
    struct LeafOutcome {
        var result: Truth
        /// The numbers read: the left operand (or the band test's operand), then the right.
        var values: [Double]
        /// The string read, for attribute tests.
        var text: String?
    }

    static func test(_ leaf: LeafTest, _ profile: PreparedProfile, leaves: [LeafTest]) -> LeafOutcome {
        switch leaf.test {
        case .compare(let op, let left, let right):
            let a = value(left, profile, leaves: leaves)
            let b = value(right, profile, leaves: leaves)
            return LeafOutcome(result: compare(op, a, b), values: [a, b])
        case .band(let operand, let band, let negated):
            let a = value(operand, profile, leaves: leaves)
            guard !a.isNaN else { return LeafOutcome(result: .unknown, values: [a]) }
            let inBand = band.contains(a)
            return LeafOutcome(result: Truth(inBand != negated), values: [a])
        case .membership(let operand, let values, let negated):
            guard let text = string(operand, profile) else {
                return LeafOutcome(result: .unknown, values: [], text: nil)
            }
            return LeafOutcome(result: Truth(values.contains(text) != negated), values: [], text: text)
        case .stringCompare(let equal, let left, let right):
            guard let a = string(left, profile), let b = string(right, profile) else {
                let known = string(left, profile) ?? string(right, profile)
                return LeafOutcome(result: .unknown, values: [], text: known)
            }
            let attribute = if case .attribute = left { a } else { b }
            return LeafOutcome(result: Truth((a == b) == equal), values: [], text: attribute)
        }
    }

    static func string(_ operand: StringOperand, _ profile: PreparedProfile) -> String? {
        switch operand {
        case .attribute(let index): profile.attributes[index]
        case .literal(let text): text
        }
    }
}
