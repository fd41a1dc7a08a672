/// A condition as clauses for the question "is it true?": a rule fires only when its condition
/// is *true*, and under Kleene logic that question has a monotone answer once negations are
/// pushed down to the leaves (De Morgan and double negation hold in Kleene logic). So a
/// condition is true exactly when one of its clauses is: a clause is a set of literals, each a
/// leaf that must be true or a leaf that must be false. Evaluating clauses is a few word
/// operations over packed leaf results instead of an interpreted stack program.
struct ClauseForm: Sendable, Hashable {
    /// A leaf that must be true (`negated == false`) or must be false.
    struct Literal: Sendable, Hashable, Comparable {
        var leaf: Int
        var negated: Bool

        static func < (a: Literal, b: Literal) -> Bool { (a.leaf, a.negated ? 1 : 0) < (b.leaf, b.negated ? 1 : 0) }
    }

    /// Any clause true makes the condition true; no clauses means it can never be true.
    var clauses: [[Literal]]

    /// The most clauses a condition may expand to before the compiler keeps its stack program.
    static let maxClauses = 256

    /// The clause form of `condition` (leaves mapped to global indices), or nil when it would
    /// be larger than `maxClauses`.
    init?(_ condition: Condition, leafIndex: (Int) -> Int) {
        guard let clauses = Self.expand(condition, negated: false, leafIndex: leafIndex) else { return nil }
        self.clauses = clauses
    }

    /// Clauses for "`condition` (or its negation) is true".
    private static func expand(_ condition: Condition, negated: Bool, leafIndex: (Int) -> Int) -> [[Literal]]? {
        switch condition {
        case .constant(let truth):
            // True: one empty clause (always satisfied). False or unknown: never true.
            let value = negated ? !truth : truth
            return value == .true ? [[]] : []
        case .leaf(let index):
            return [[Literal(leaf: leafIndex(index), negated: negated)]]
        case .not(let inner):
            return expand(inner, negated: !negated, leafIndex: leafIndex)
        case .and(let parts), .or(let parts):
            let isAnd: Bool
            if case .and = condition { isAnd = !negated } else { isAnd = negated }
            var results: [[[Literal]]] = []
            for part in parts {
                guard let clauses = expand(part, negated: negated, leafIndex: leafIndex) else { return nil }
                results.append(clauses)
            }
            if !isAnd {
                let union = results.flatMap { $0 }
                return union.count > maxClauses ? nil : simplify(union)
            }
            // And: the cross product of the parts' clauses.
            var product: [[Literal]] = [[]]
            for clauses in results {
                var next: [[Literal]] = []
                for left in product {
                    for right in clauses {
                        next.append(left + right)
                        if next.count > maxClauses { return nil }
                    }
                }
                product = next
            }
            return simplify(product)
        }
    }

    /// Sorted, duplicate-free clauses; a clause that needs a leaf both true and false is dropped.
    private static func simplify(_ clauses: [[Literal]]) -> [[Literal]] {
        var seen: Set<[Literal]> = []
        var result: [[Literal]] = []
        for clause in clauses {
            let literals = Array(Set(clause)).sorted()
            let leaves = Set(literals.map(\.leaf))
            if leaves.count < literals.count { continue }
            if seen.insert(literals).inserted { result.append(literals) }
        }
        return result
    }
}
