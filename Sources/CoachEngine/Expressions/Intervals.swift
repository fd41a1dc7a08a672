/// Interval arithmetic: the range of values an expression can take, for checking thresholds
/// against the scale at load time.
enum Intervals {
    static let everything = -Double.infinity...Double.infinity

    static func apply(_ op: ArithmeticOperator, _ a: ClosedRange<Double>, _ b: ClosedRange<Double>) -> ClosedRange<
        Double
    > {
        switch op {
        case .add:
            return (a.lowerBound + b.lowerBound)...(a.upperBound + b.upperBound)
        case .subtract:
            return (a.lowerBound - b.upperBound)...(a.upperBound - b.lowerBound)
        case .multiply:
            return hull([
                a.lowerBound * b.lowerBound, a.lowerBound * b.upperBound,
                a.upperBound * b.lowerBound, a.upperBound * b.upperBound,
            ])
        case .divide:
            if b.contains(0) { return everything }
            return hull([
                a.lowerBound / b.lowerBound, a.lowerBound / b.upperBound,
                a.upperBound / b.lowerBound, a.upperBound / b.upperBound,
            ])
        }
    }

    static func apply(_ function: NumericFunction, _ ranges: [ClosedRange<Double>]) -> ClosedRange<Double> {
        let lows = ranges.map(\.lowerBound)
        let highs = ranges.map(\.upperBound)
        switch function {
        case .mean:
            return (lows.min() ?? 0)...(highs.max() ?? 0)
        case .min:
            return (lows.min() ?? 0)...(highs.min() ?? 0)
        case .max:
            return (lows.max() ?? 0)...(highs.max() ?? 0)
        case .abs:
            let r = ranges[0]
            if r.contains(0) { return 0...max(-r.lowerBound, r.upperBound) }
            let (a, b) = (Swift.abs(r.lowerBound), Swift.abs(r.upperBound))
            return Swift.min(a, b)...Swift.max(a, b)
        }
    }

    /// The smallest range holding every value; NaN (from ∞ · 0) widens it to everything.
    private static func hull(_ values: [Double]) -> ClosedRange<Double> {
        guard !values.contains(where: \.isNaN), let low = values.min(), let high = values.max() else {
            return everything
        }
        return low...high
    }
}
