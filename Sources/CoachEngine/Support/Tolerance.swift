/// Comparisons treat numbers within `epsilon` as equal, so that decimal arithmetic reads as
/// people expect: `4.1 - 3.1 >= 1` holds although the difference is 0.9999999999999996 in
/// binary floating point. Every evaluator (reference, compiled, batch) uses these functions.
enum Tolerance {
    /// Far below any meaningful score difference, far above floating-point noise on a 1–5 scale.
    static let epsilon = 1e-9

    @inline(__always)
    static func holds(_ op: ComparisonOperator, _ a: Double, _ b: Double) -> Bool {
        switch op {
        case .less: a < b - epsilon
        case .lessEqual: a <= b + epsilon
        case .greater: a > b + epsilon
        case .greaterEqual: a >= b - epsilon
        case .equal: Swift.abs(a - b) <= epsilon
        case .notEqual: Swift.abs(a - b) > epsilon
        }
    }

    @inline(__always)
    static func atLeast(_ value: Double, _ bound: Double, inclusive: Bool) -> Bool {
        inclusive ? value >= bound - epsilon : value > bound + epsilon
    }

    @inline(__always)
    static func atMost(_ value: Double, _ bound: Double, inclusive: Bool) -> Bool {
        inclusive ? value <= bound + epsilon : value < bound - epsilon
    }
}
