/// Comparisons that no profile can meet because of the range their arithmetic can reach, where
/// the exact linear analysis (`ConditionAnalysis`) does not look: products and quotients of
/// scores (`control * commitment > 25` on a 1–5 scale, `control / commitment < 0.2`). Interval
/// arithmetic over-approximates the reachable range, so "never" is proved, never guessed. A
/// threshold outside even the closed range is already a load error; this finds the ones at its
/// edge that a strict comparison cannot pass.
enum RangeAnalysis {
    /// One warning per such comparison.
    static func findings(_ space: ScoreSpace) -> [Diagnostic] {
        var space = space
        var findings: [Diagnostic] = []
        for rule in space.book.rules {
            for leaf in rule.condition.leaves {
                guard case .compare(let written, let l, let r) = leaf.test else { continue }
                let (expression, op, threshold): (NumericExpression, ComparisonOperator, Double)
                let side: Int
                switch (l, r) {
                case (_, .constant(let c)): (expression, op, threshold, side) = (l, written, c, 0)
                case (.constant(let c), _): (expression, op, threshold, side) = (r, written.mirrored, c, 1)
                default: continue
                }
                // Linear arithmetic is the exact analysis's; a zero divisor is always unknown.
                guard space.pieces(expression) == nil, !DivisionAnalysis.dividesByZero(expression, space: &space)
                else { continue }
                let range = self.range(expression, space: space)
                guard !range.lowerBound.isNaN, !range.upperBound.isNaN, never(op, range, threshold) else { continue }
                let low = NumberFormatting.short(range.lowerBound)
                let high = NumberFormatting.short(range.upperBound)
                findings.append(
                    Diagnostic(
                        .warning,
                        code: "never-true",
                        "'\(leaf.text)' can never be true: '\(leaf.operands[side])' is between \(low) and \(high)",
                        at: leaf.location,
                        length: leaf.text.unicodeScalars.count,
                        notes: ["it never lets '\(rule.id)' fire through it; correct the threshold"]
                    )
                )
            }
        }
        return findings
    }

    /// Whether `x op threshold` fails for every x in `range`, as the engine compares (within
    /// `Tolerance.epsilon`).
    static func never(_ op: ComparisonOperator, _ range: ClosedRange<Double>, _ threshold: Double) -> Bool {
        let e = Tolerance.epsilon
        switch op {
        case .greater: return range.upperBound <= threshold + e
        case .greaterEqual: return range.upperBound < threshold - e
        case .less: return range.lowerBound >= threshold - e
        case .lessEqual: return range.lowerBound > threshold + e
        case .equal: return threshold < range.lowerBound - e || threshold > range.upperBound + e
        case .notEqual: return false
        }
    }

    /// The values `expression` can take, by interval arithmetic over each variable's range.
    static func range(_ expression: NumericExpression, space: ScoreSpace) -> ClosedRange<Double> {
        let instrument = space.book.instrument
        switch expression {
        case .constant(let value):
            return value...value
        case .variable(.score):
            return instrument.scale
        case .variable(.derived(_, let index)):
            return instrument.derived[index].range
        case .variable(.raterCount):
            return 0...Double.infinity
        case .negate(let inner):
            let r = range(inner, space: space)
            return -r.upperBound...(-r.lowerBound)
        case .arithmetic(let op, let l, let r):
            return Intervals.apply(op, range(l, space: space), range(r, space: space))
        case .function(let function, let arguments):
            return Intervals.apply(function, arguments.map { range($0, space: space) })
        case .count(let conditions):
            return 0...Double(conditions.count)
        }
    }
}
