/// A linear form `Σ aᵢ·xᵢ + b` over analysis variables (by index into a `ScoreSpace`).
struct LinearForm: Hashable {
    var coefficients: [Int: Double] = [:]
    var constant: Double = 0

    static func constant(_ value: Double) -> LinearForm { LinearForm(coefficients: [:], constant: value) }

    static func variable(_ index: Int) -> LinearForm { LinearForm(coefficients: [index: 1], constant: 0) }

    func scaled(_ factor: Double) -> LinearForm {
        LinearForm(coefficients: coefficients.mapValues { $0 * factor }, constant: constant * factor)
    }

    static func + (lhs: LinearForm, rhs: LinearForm) -> LinearForm {
        var result = lhs
        for (index, value) in rhs.coefficients { result.coefficients[index, default: 0] += value }
        result.coefficients = result.coefficients.filter { Swift.abs($0.value) > 1e-12 }
        result.constant += rhs.constant
        return result
    }

    static func - (lhs: LinearForm, rhs: LinearForm) -> LinearForm { lhs + rhs.scaled(-1) }

    var isConstant: Bool { coefficients.isEmpty }

    /// `a op b`, when it is linear: sums and differences, products and quotients by a constant.
    static func apply(_ op: ArithmeticOperator, _ a: LinearForm, _ b: LinearForm) -> LinearForm? {
        switch op {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply:
            if a.isConstant { return b.scaled(a.constant) }
            if b.isConstant { return a.scaled(b.constant) }
            return nil
        case .divide:
            guard b.isConstant, b.constant != 0 else { return nil }
            return a.scaled(1 / b.constant)
        }
    }
}

/// `form ≥ 0`, or `form > 0` when strict.
struct LinearConstraint: Hashable {
    var form: LinearForm
    var strict: Bool
}

/// Feasibility of a conjunction of linear constraints over a box, by Fourier–Motzkin
/// elimination: exact for linear constraints (strict ones included), up to a size cap beyond
/// which it answers "feasible" (the safe answer: no finding is ever built on a guess).
enum LinearSystem {
    /// A constant slack within this counts as zero: the engine compares with `Tolerance.epsilon`.
    static let slack = 1e-9
    /// The most rows an elimination may hold before giving up.
    static let maxRows = 4_000

    private struct Row: Hashable {
        var a: [Double]
        var b: Double
        var strict: Bool
    }

    /// A variable's range, each end open or closed.
    private struct Interval {
        var lower: Double
        var lowerOpen = false
        var upper: Double
        var upperOpen = false

        init(_ range: ClosedRange<Double>) {
            lower = range.lowerBound
            upper = range.upperBound
        }

        /// `a·x + b ≥ 0` (or `> 0`) narrows the range.
        mutating func meet(a: Double, b: Double, strict: Bool) {
            let value = -b / a
            if a > 0 {
                if value > lower + slack || (Swift.abs(value - lower) <= slack && strict) {
                    lowerOpen = strict || (Swift.abs(value - lower) <= slack && lowerOpen)
                    lower = value
                }
            } else if value < upper - slack || (Swift.abs(value - upper) <= slack && strict) {
                upperOpen = strict || (Swift.abs(value - upper) <= slack && upperOpen)
                upper = value
            }
        }

        /// The same test as a combined row `upper - lower ≥ 0` would fail.
        var isEmpty: Bool {
            let width = upper - lower
            return lowerOpen || upperOpen ? width <= slack : width < -slack
        }
    }

    /// Whether some point within `bounds` meets every constraint.
    static func feasible(_ constraints: [LinearConstraint], bounds: (Int) -> ClosedRange<Double>) -> Bool {
        guard let (rows, _, general) = prepare(constraints, bounds: bounds) else { return false }
        // Ranges alone decide when no constraint ties variables together.
        return general == 0 || eliminate(rows, keep: nil) != nil
    }

    /// The range `variable` takes over the points that meet every constraint within `bounds`,
    /// with whether each end is open; nil when no point does.
    static func projection(
        _ constraints: [LinearConstraint], onto variable: Int, bounds: (Int) -> ClosedRange<Double>
    ) -> (lower: Double, lowerOpen: Bool, upper: Double, upperOpen: Bool)? {
        guard let (rows, variables, _) = prepare(constraints, also: variable, bounds: bounds),
            let keep = variables.firstIndex(of: variable),
            let remaining = eliminate(rows, keep: keep)
        else { return nil }
        var range = Interval(bounds(variable))
        for row in remaining where Swift.abs(row.a[keep]) > 1e-12 {
            range.meet(a: row.a[keep], b: row.b, strict: row.strict)
        }
        return (range.lower, range.lowerOpen, range.upper, range.upperOpen)
    }

    /// Dense rows over the variables the constraints name: constraints over one variable narrow
    /// its range, which enters as two rows; the others enter as they are. Nil when a range is
    /// already empty or a constant constraint fails. Also returns how many constraints tie
    /// several variables together.
    private static func prepare(
        _ constraints: [LinearConstraint], also extra: Int? = nil, bounds: (Int) -> ClosedRange<Double>
    ) -> ([Row], [Int], Int)? {
        var ranges: [Int: Interval] = [:]
        var general: [LinearConstraint] = []
        var named = Set<Int>()
        if let extra { named.insert(extra) }
        for constraint in constraints {
            let coefficients = constraint.form.coefficients
            named.formUnion(coefficients.keys)
            if coefficients.isEmpty {
                if fails(Row(a: [], b: constraint.form.constant, strict: constraint.strict)) { return nil }
            } else if coefficients.count == 1, let (variable, a) = coefficients.first {
                var range = ranges[variable] ?? Interval(bounds(variable))
                range.meet(a: a, b: constraint.form.constant, strict: constraint.strict)
                if range.isEmpty { return nil }
                ranges[variable] = range
            } else {
                general.append(constraint)
            }
        }
        let variables = named.sorted()
        let position = Dictionary(uniqueKeysWithValues: variables.enumerated().map { ($1, $0) })
        var rows: [Row] = []
        for constraint in general {
            var a = [Double](repeating: 0, count: variables.count)
            for (variable, value) in constraint.form.coefficients { a[position[variable] ?? 0] = value }
            rows.append(Row(a: a, b: constraint.form.constant, strict: constraint.strict))
        }
        for (index, variable) in variables.enumerated() {
            let range = ranges[variable] ?? Interval(bounds(variable))
            var lower = [Double](repeating: 0, count: variables.count)
            lower[index] = 1
            if range.lower.isFinite { rows.append(Row(a: lower, b: -range.lower, strict: range.lowerOpen)) }
            var upper = [Double](repeating: 0, count: variables.count)
            upper[index] = -1
            if range.upper.isFinite { rows.append(Row(a: upper, b: range.upper, strict: range.upperOpen)) }
        }
        return (rows, variables, general.count)
    }

    private static func fails(_ row: Row) -> Bool {
        row.strict ? row.b <= slack : row.b < -slack
    }

    /// Eliminates every variable but `keep`; nil when the system is infeasible.
    private static func eliminate(_ start: [Row], keep: Int?) -> [Row]? {
        var rows = start
        let count = rows.first?.a.count ?? 0
        var remaining = Set(0..<count)
        if let keep { remaining.remove(keep) }
        while true {
            var constantRows: [Row] = []
            var kept: [Row] = []
            for row in rows {
                if row.a.allSatisfy({ Swift.abs($0) <= 1e-12 }) { constantRows.append(row) } else { kept.append(row) }
            }
            if constantRows.contains(where: fails) { return nil }
            rows = kept
            guard !remaining.isEmpty else { return rows }
            // The variable whose elimination makes the fewest new rows.
            let costs = cost(rows, width: count)
            let variable = remaining.min { x, y in costs[x] != costs[y] ? costs[x] < costs[y] : x < y } ?? 0
            remaining.remove(variable)
            var positive: [Row] = []
            var negative: [Row] = []
            var next: Set<Row> = []
            for row in rows {
                let a = row.a[variable]
                if a > 1e-12 {
                    positive.append(row)
                } else if a < -1e-12 {
                    negative.append(row)
                } else {
                    next.insert(row)
                }
            }
            for p in positive {
                for n in negative {
                    let (ap, an) = (p.a[variable], -n.a[variable])
                    var a = zip(p.a, n.a).map { $0 * an + $1 * ap }
                    a[variable] = 0
                    var row = Row(a: a, b: p.b * an + n.b * ap, strict: p.strict || n.strict)
                    let scale = max(row.a.map { Swift.abs($0) }.max() ?? 0, 1e-300)
                    if scale > 1e-12 {
                        row.a = row.a.map { ($0 / scale * 1e12).rounded() / 1e12 }
                        row.b /= scale
                    }
                    next.insert(row)
                }
            }
            if next.count > maxRows { return [] }
            rows = Array(next)
        }
    }

    /// For each variable, how many rows eliminating it adds (pairs made less rows removed), in
    /// one pass over the rows.
    private static func cost(_ rows: [Row], width: Int) -> [Int] {
        var positive = [Int](repeating: 0, count: width)
        var negative = [Int](repeating: 0, count: width)
        for row in rows {
            for (variable, a) in row.a.enumerated() {
                if a > 1e-12 { positive[variable] += 1 } else if a < -1e-12 { negative[variable] += 1 }
            }
        }
        return (0..<width).map { positive[$0] * negative[$0] - positive[$0] - negative[$0] }
    }
}
