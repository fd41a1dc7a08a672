@testable import CoachEngine

/// A small deterministic PRNG (SplitMix64), so that randomized tests reproduce from a seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random rule sets and profiles for differential tests: every construct of the expression
/// language, thresholds that profiles hit exactly, missing values, rater groups below their
/// minimum, levels and roles.
struct RandomRules {
    var random: SplitMix64

    static let dimensions = [
        "systems", "people", "goals", "purpose", "control", "commitment", "planning", "opportunism",
        "doing", "being", "directing", "serving", "reacting", "initiating", "improvement", "breakthrough",
    ]
    /// Values that sit exactly on band edges and common thresholds.
    static let scores: [Double] = [1, 1.5, 2, 2.5, 2.75, 3, 3.25, 3.5, 3.75, 4, 4.25, 4.5, 5]
    static let views = ["", "self.", "others.", "peers.", "reports.", "manager."]
    static let levels = ["personal", "team", "organization"]
    static let roles = ["individual-contributor", "supervisor", "manager", "director", "executive"]

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
    mutating func chance(_ p: Double) -> Bool { Double(random.next() % 10_000) / 10_000 < p }

    mutating func variable() -> String {
        chance(0.15)
            ? pick(Self.views) + pick(["management", "leadership", "balance", "overall"])
            : pick(Self.views) + pick(Self.dimensions)
    }

    /// A numeric expression whose range stays on the scale (so thresholds on it are legal).
    mutating func scaleValue() -> String {
        switch random.next() % 6 {
        case 0: "mean(\(pick(Self.views))\(pick(Self.dimensions)), \(pick(Self.views))\(pick(Self.dimensions)))"
        case 1: "min(\(pick(Self.dimensions)), \(pick(Self.dimensions)), \(pick(Self.dimensions)))"
        case 2: "max(\(pick(Self.views))\(pick(Self.dimensions)), \(pick(Self.dimensions)))"
        default: pick(Self.views) + pick(Self.dimensions)
        }
    }

    mutating func leaf() -> String {
        let op = pick(["<", "<=", ">", ">=", "==", "!="])
        switch random.next() % 11 {
        case 0, 1: return "\(scaleValue()) \(op) \(pick(Self.scores))"
        case 2: return "\(scaleValue()) is \(chance(0.3) ? "not " : "")\(pick(["low", "mid", "high"]))"
        case 3: return "\(variable()) - \(variable()) \(op) \(pick([-1.5, -1, 0, 0.5, 1, 1.5]))"
        case 4:
            return
                "abs(\(pick(Self.views))\(pick(Self.dimensions)) - \(pick(Self.dimensions))) \(op) \(pick([0, 0.5, 1]))"
        case 5: return "count(\(leafSimple()), \(leafSimple()), \(leafSimple())) \(op) \(pick([0, 1, 2, 3]))"
        case 6: return "level \(pick(["==", "!="])) \"\(pick(Self.levels))\""
        case 7:
            return "role \(chance(0.3) ? "not in" : "in") [\"\(pick(Self.roles))\", \"\(pick(Self.roles))\"]"
        case 8: return "raters.\(pick(["peers", "reports", "self", "others"])) \(op) \(pick([0, 1, 2, 3, 4]))"
        case 9:
            return
                "\(pick(Self.dimensions)) / \(pick(Self.views))\(pick(Self.dimensions)) \(op) \(pick([0.8, 1, 1.25]))"
        default:
            return
                "\(pick(Self.dimensions)) * 2 + -\(pick(Self.views))\(pick(Self.dimensions)) \(op) \(pick(Self.scores))"
        }
    }

    mutating func leafSimple() -> String {
        "\(pick(Self.views))\(pick(Self.dimensions)) \(pick([">=", "<"])) \(pick(Self.scores))"
    }

    mutating func condition(depth: Int = 0) -> String {
        if depth >= 3 || chance(0.35) { return leaf() }
        switch random.next() % 4 {
        case 0: return "(\(condition(depth: depth + 1)) and \(condition(depth: depth + 1)))"
        case 1: return "(\(condition(depth: depth + 1)) or \(condition(depth: depth + 1)))"
        case 2: return "not (\(condition(depth: depth + 1)))"
        default: return "(\(condition(depth: depth + 1)) and \(condition(depth: depth + 1)) or \(leaf()))"
        }
    }

    /// A rule set of `count` rules with random priorities, groups, suppression and levels.
    mutating func rules(_ count: Int) -> [RuleSpec] {
        (0..<count).map { index in
            var spec = RuleSpec("r\(index)", when: condition())
            spec.priority = chance(0.8) ? Int(random.next() % 5) * 10 : nil
            if chance(0.4) { spec.group = "g\(random.next() % 4)" }
            if chance(0.15), count > 1 {
                let target = Int(random.next() % UInt64(count))
                if target != index { spec.suppresses = ["r\(target)"] }
            }
            if chance(0.25) { spec.levels = Array(Set([pick(Self.levels), pick(Self.levels)])).sorted() }
            return spec
        }
    }

    mutating func scoreSet(missing: Double) -> [String: Double] {
        var scores: [String: Double] = [:]
        for name in Self.dimensions where !chance(missing) {
            scores[name] = chance(0.7) ? pick(Self.scores) : (1 + Double(random.next() % 401) / 100)
        }
        return scores
    }

    mutating func profile(_ index: Int) -> Profile {
        var profile = Profile(id: "p\(index)")
        if chance(0.85) { profile.level = pick(Self.levels) }
        if chance(0.6) { profile.attributes["role"] = pick(Self.roles) }
        if chance(0.4) { profile.scores = scoreSet(missing: 0.15) }
        if profile.scores.isEmpty || chance(0.6) {
            for group in ["self", "manager", "peers", "reports"] where chance(0.75) {
                let count = group == "self" || group == "manager" ? 1 : Int(random.next() % 7)
                profile.raters[group] = Profile.RaterScores(count: count, scores: scoreSet(missing: 0.2))
            }
            if chance(0.05) {
                profile.raters["others"] = Profile.RaterScores(count: 5, scores: scoreSet(missing: 0.3))
            }
            if profile.raters.isEmpty { profile.scores = scoreSet(missing: 0.1) }
        }
        if profile.scores.isEmpty, profile.raters.values.allSatisfy({ $0.scores.isEmpty }) {
            profile.scores = ["control": 3]
        }
        return profile
    }
}
