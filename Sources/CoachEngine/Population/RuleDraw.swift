/// The random choices behind ``SyntheticRuleBook``: conditions of one shape family over the
/// built-in instrument, with every threshold inside the range of what it is compared with.
struct RuleDraw {
    private var random: SplitMix64
    private let family: SyntheticRuleBook.Family

    static let dimensions = [
        "systems", "people", "goals", "purpose", "control", "commitment", "planning", "opportunism",
        "doing", "being", "directing", "serving", "reacting", "initiating", "improvement", "breakthrough",
    ]
    /// Derived scores on the scale (band tests apply); `balance` runs from −4 to 4.
    static let scaleDerived = ["management", "leadership", "overall"]
    static let views = ["self", "manager", "peers", "reports", "others"]
    static let levels = ["personal", "team", "organization"]
    static let roles = ["individual-contributor", "supervisor", "manager", "director", "executive"]
    static let comparisons = ["<", "<=", ">", ">=", "==", "!="]
    static let bands = ["low", "mid", "high"]
    /// The families a `mixed` book draws its leaves from.
    private static let leafFamilies: [SyntheticRuleBook.Family] = [.bands, .linear, .logic, .nonlinear, .raterViews]

    init(seed: UInt64, family: SyntheticRuleBook.Family) {
        random = SplitMix64(state: SplitMix64.mix(seed ^ 0x5275_6C65_426F_6F6B))
        self.family = family
    }

    // MARK: Choices

    mutating func below(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
    mutating func chance(_ probability: Double) -> Bool { Double(random.next() >> 11) * 0x1p-53 < probability }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    mutating func between(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    /// `count` distinct-ish dimension names (repeats allowed once the 16 are used).
    mutating func dimensions(_ count: Int) -> [String] {
        var pool = Self.dimensions
        return (0..<count).map { _ in
            if pool.isEmpty { pool = Self.dimensions }
            return pool.remove(at: below(pool.count))
        }
    }

    /// A threshold near `center`, on a grid of eighths, kept inside `range` (the checker
    /// rejects thresholds outside the range of the compared value).
    mutating func threshold(_ range: ClosedRange<Double>, center: Double) -> String {
        let offset = pick([-2, -1.5, -1, -0.5, -0.25, 0, 0, 0.125, 0.25, 0.5, 1, 1.5, 2.0])
        let value = ((center + offset) * 8).rounded() / 8
        return Self.number(min(max(value, range.lowerBound), range.upperBound))
    }

    /// A multiple of 1/1000 written with as few decimals as it needs: `3`, `2.5`, `-1.375`.
    static func number(_ value: Double) -> String {
        let thousandths = Int((value * 1_000).rounded())
        let sign = thousandths < 0 ? "-" : ""
        let magnitude = abs(thousandths)
        var fraction = String(magnitude % 1_000)
        if magnitude % 1_000 == 0 { return sign + String(magnitude / 1_000) }
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(sign)\(magnitude / 1_000).\(fraction)"
    }

    // MARK: Conditions

    /// A condition whose logic nodes nest at most four deep (counting from `depth`).
    mutating func condition(depth: Int) -> ConditionNode {
        if depth >= 3 || chance(0.3 + 0.15 * Double(depth)) { return .leaf(leaf()) }
        if family == .logic || (family == .mixed && chance(0.3)) {
            switch below(5) {
            case 0:
                // And-of-ors, up to six groups: (a or b or c) and (d or e) and …
                return .all(
                    (0..<between(2...6)).map { _ in .any((0..<between(2...3)).map { _ in .leaf(leaf()) }) })
            case 1:
                // not (a >= 2) or not (b >= 2)
                return .any([.not(.leaf(leaf())), .not(.leaf(leaf()))])
            case 2:
                // Mixed and/or without inner parentheses: `and` binds tighter. The outer ones keep
                // the leaf one operand wherever it is placed.
                let (a, b, c) = (leaf(), leaf(), leaf())
                return .leaf(chance(0.5) ? "(\(a) and \(b) or \(c))" : "(\(a) or \(b) and \(c))")
            case 3:
                // `not` binds looser than a comparison: `not a >= 2`.
                return .leaf("not \(leaf())")
            default: break
            }
        }
        switch below(5) {
        case 0, 1: return .all((0..<between(2...3)).map { _ in condition(depth: depth + 1) })
        case 2, 3: return .any((0..<between(2...3)).map { _ in condition(depth: depth + 1) })
        default: return .not(condition(depth: depth + 1))
        }
    }

    /// One leaf test of the book's family (of any family for `mixed`).
    mutating func leaf() -> String {
        let family = self.family == .mixed ? pick(Self.leafFamilies) : self.family
        switch family {
        case .bands: return bandLeaf()
        case .linear: return linearLeaf()
        case .logic: return logicLeaf()
        case .nonlinear: return nonlinearLeaf()
        case .raterViews, .mixed: return raterViewLeaf()
        }
    }

    /// A value on the scale in the combined view: a dimension, a side mean, a mean, min or max.
    mutating func scaleValue() -> String {
        switch below(10) {
        case 0, 1: return pick(Self.scaleDerived)
        case 2: return "mean(\(dimensions(between(2...4)).joined(separator: ", ")))"
        case 3: return "\(pick(["min", "max"]))(\(dimensions(2).joined(separator: ", ")))"
        default: return pick(Self.dimensions)
        }
    }

    mutating func bandLeaf() -> String {
        if chance(0.65) { return "\(scaleValue()) is \(chance(0.3) ? "not " : "")\(pick(Self.bands))" }
        // A score against a band edge or a whole number: values on the edge are common.
        let edge = pick(["2.5", "3.75", "1", "2", "3", "4", "5"])
        return "\(pick(Self.dimensions)) \(pick(Self.comparisons)) \(edge)"
    }

    mutating func linearLeaf() -> String {
        let op = pick(Self.comparisons)
        switch below(7) {
        case 0, 1:
            // A signed sum of 2–16 scores, some with a coefficient.
            let names = dimensions(between(2...16))
            var text = ""
            var low = 0.0
            var high = 0.0
            var center = 0.0
            for (position, name) in names.enumerated() {
                let negative = position > 0 && chance(0.4)
                let coefficient = chance(0.2) ? pick([2.0, 0.5, 3]) : 1
                let term = coefficient == 1 ? name : "\(Self.number(coefficient)) * \(name)"
                text += position == 0 ? term : (negative ? " - " : " + ") + term
                low += negative ? -5 * coefficient : coefficient
                high += negative ? -coefficient : 5 * coefficient
                center += (negative ? -3.2 : 3.2) * coefficient
            }
            return "\(text) \(op) \(threshold(low...high, center: center))"
        case 2:
            // (doing + reacting) - (being + initiating) >= 2
            let n = dimensions(4)
            return "(\(n[0]) + \(n[1])) - (\(n[2]) + \(n[3])) \(op) \(threshold(-8...8, center: 0))"
        case 3:
            // The mean of 2–16 scores; 4, 8 and 16 often.
            let count = chance(0.5) ? pick([4, 8, 16]) : between(2...16)
            let names = dimensions(count).joined(separator: ", ")
            return "mean(\(names)) \(op) \(threshold(1...5, center: 3.2))"
        case 4:
            let n = dimensions(2)
            let form = chance(0.5) ? "0.5 * (\(n[0]) + \(n[1]))" : "(\(n[0]) + \(n[1])) / 2"
            return "\(form) \(op) \(threshold(1...5, center: 3.2))"
        case 5:
            let form = chance(0.5) ? "balance" : "leadership - management"
            return "\(form) \(op) \(threshold(-4...4, center: 0))"
        default:
            let n = dimensions(2)
            return "\(n[0]) - \(n[1]) \(op) \(threshold(-4...4, center: 0))"
        }
    }

    mutating func logicLeaf() -> String {
        let n = dimensions(2)
        switch below(5) {
        case 0: return "\(n[0]) == \(n[1])"
        case 1: return "\(n[0]) != \(n[1])"
        case 2: return "\(n[0]) \(pick(Self.comparisons)) \(n[1])"
        case 3: return "\(n[0]) \(pick(["==", "!="])) \(threshold(1...5, center: 3))"
        default: return "\(n[0]) \(pick([">=", "<", ">", "<="])) \(pick(["2", "2.5", "3", "3.5", "4"]))"
        }
    }

    mutating func nonlinearLeaf() -> String {
        let op = pick(Self.comparisons)
        switch below(10) {
        case 0, 1:
            let names = dimensions(between(2...16)).joined(separator: ", ")
            return "\(pick(["min", "max"]))(\(names)) \(op) \(threshold(1...5, center: 3.2))"
        case 2:
            let n = dimensions(2)
            return "abs(\(n[0]) - \(n[1])) \(op) \(threshold(0...4, center: 0.75))"
        case 3:
            let conditions = (0..<between(2...5)).map { _ in chance(0.5) ? bandLeaf() : logicLeaf() }
            let bound = below(conditions.count + 1)
            return "count(\(conditions.joined(separator: ", "))) \(op) \(bound)"
        case 4:
            let n = dimensions(2)
            return "\(n[0]) * \(n[1]) \(op) \(threshold(1...25, center: 10))"
        case 5:
            let n = dimensions(2)
            return "\(n[0]) / \(n[1]) \(op) \(pick(["0.5", "0.8", "1", "1.25", "2"]))"
        case 6:
            // Divides by zero whenever the two scores are equal: unknown.
            let n = dimensions(3)
            return "\(n[0]) / (\(n[1]) - \(n[2])) \(op) \(pick(["-1", "0", "0.5", "1", "2"]))"
        case 7:
            let n = dimensions(4)
            return "max(\(n[0]), \(n[1])) - min(\(n[2]), \(n[3])) \(op) \(threshold(-4...4, center: 0.5))"
        case 8:
            return "level \(pick(["==", "!="])) \"\(pick(Self.levels))\""
        default:
            let roles = (0..<between(1...3)).map { _ in "\"\(pick(Self.roles))\"" }.joined(separator: ", ")
            return "role \(chance(0.3) ? "not in" : "in") [\(roles)]"
        }
    }

    mutating func raterViewLeaf() -> String {
        let op = pick(Self.comparisons)
        let dimension = pick(Self.dimensions)
        switch below(8) {
        case 0, 1:
            // The self–others gap: a blind spot.
            return "self.\(dimension) - others.\(dimension) \(op) \(threshold(-4...4, center: 0.5))"
        case 2:
            return "\(pick(Self.views)).\(dimension) \(op) \(threshold(1...5, center: 3.2))"
        case 3:
            let value = chance(0.5) ? dimension : pick(Self.scaleDerived)
            return "\(pick(Self.views)).\(value) is \(chance(0.3) ? "not " : "")\(pick(Self.bands))"
        case 4:
            return "\(pick(Self.views)).balance \(op) \(threshold(-4...4, center: 0))"
        case 5:
            return "raters.\(pick(Self.views)) \(op) \(below(7))"
        case 6:
            let (a, b) = (pick(Self.views), pick(Self.views))
            return "abs(\(a).\(dimension) - \(b).\(dimension)) \(op) \(threshold(0...4, center: 0.75))"
        default:
            let (a, b) = (pick(Self.views), pick(Self.views))
            return "mean(\(a).\(dimension), \(b).\(pick(Self.dimensions))) \(op) \(threshold(1...5, center: 3.2))"
        }
    }
}
