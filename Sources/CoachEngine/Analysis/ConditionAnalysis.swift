/// Conditions that can never be true, that are always true, alternatives of an `or` that can
/// never hold, and conditions that always hold where the rest of the rule's condition does.
/// Interval reasoning over the whole score space: per variable, and exact for linear
/// expressions such as `control - commitment >= 1.5`.
struct ConditionAnalysis {
    var space: ScoreSpace
    private(set) var findings: [Diagnostic] = []

    init(space: ScoreSpace) { self.space = space }

    /// Whether the rule can fire at all; records why not.
    mutating func analyse(rule index: Int) -> Bool {
        let rule = space.book.rules[index]
        let fires = space.fires(index)
        if space.impossible(fires) {
            findings.append(neverTrue(index, fires))
            return false
        }
        if space.impossible(space.formula(rule.condition.root, negated: true, rule: index)) {
            findings.append(
                Diagnostic(
                    .warning,
                    code: "always-true",
                    "the condition of '\(rule.id)' is true for every profile that has the scores it reads",
                    at: rule.whenLocation,
                    length: rule.when.unicodeScalars.count,
                    notes: [
                        "a rule that always fires says nothing about the profile; add the condition it is meant to test"
                    ]
                )
            )
        }
        var context: [ScoreSpace.Formula] = []
        if let levels = rule.levels {
            context.append(.literal(ScoreSpace.Literal(test: .attribute(0, Set(levels)), rule: index, leaf: nil)))
        }
        walk(rule.condition.root, negated: false, context: context, rule: index)
        return true
    }

    private func neverTrue(_ index: Int, _ fires: ScoreSpace.Formula) -> Diagnostic {
        let rule = space.book.rules[index]
        let leaves = rule.condition.leaves
        // Explain with the first way the condition could have held.
        let clause = ScoreSpace.clauses(fires)?.first.map { space.core($0) } ?? []
        // Each leaf once, as it takes part: `not (…)` where its negation does.
        var unique: [(leaf: Int, negated: Bool)] = []
        for literal in clause {
            guard let leaf = literal.leaf, !unique.contains(where: { $0 == (leaf, literal.negated) }) else { continue }
            unique.append((leaf, literal.negated))
        }
        let levelPart = clause.contains { $0.leaf == nil }
        let levels = rule.levels?.joined(separator: ", ") ?? ""
        let message: String
        var location = rule.whenLocation
        var length = rule.when.unicodeScalars.count
        if let first = unique.first {
            location = leaves[first.leaf].location
            length = leaves[first.leaf].text.unicodeScalars.count
        }
        let quoted = unique.map { "'\($0.negated ? leaves[$0.leaf].negatedText : leaves[$0.leaf].text)'" }
        switch (quoted.count, levelPart) {
        case (0, _):
            message = "the condition of '\(rule.id)' can never be true"
        case (1, true):
            message = "\(quoted[0]) can never be true at the rule's levels (\(levels))"
        case (1, false):
            let scale = space.book.instrument
            message =
                "\(quoted[0]) can never be true: no score on the "
                + "\(NumberFormatting.short(scale.scaleMin))–\(NumberFormatting.short(scale.scaleMax)) scale meets it"
        default:
            let listed = quoted.dropLast().joined(separator: ", ") + " and " + (quoted.last ?? "")
            let all = quoted.count == 2 ? "both" : "all"
            message = "\(listed) can never \(all) be true\(levelPart ? " at the rule's levels (\(levels))" : "")"
        }
        return Diagnostic(
            .error,
            code: "never-true",
            message,
            at: location,
            length: length,
            notes: Self.reason(clause, space: space)
                + ["so '\(rule.id)' can never fire; correct the thresholds or remove one of the conditions"]
        )
    }

    /// Why a contradiction over several variables holds, when one step shows it: where the
    /// other conditions hold, the last one would need a variable beyond the range left to it
    /// ("'control - commitment >= 2' needs commitment ≤ 0.5; where the rest holds, commitment is
    /// at least 1").
    static func reason(_ core: ScoreSpace.Clause, space: ScoreSpace) -> [String] {
        guard core.count >= 2 else { return [] }
        for index in core.indices {
            var rest = core
            let chosen = rest.remove(at: index)
            let found = reason(chosen, rest: rest, space: space)
            if !found.isEmpty { return found }
        }
        return []
    }

    private static func reason(_ last: ScoreSpace.Literal, rest core: ScoreSpace.Clause, space: ScoreSpace) -> [String]
    {
        guard case .linear(let constraint) = last.test, constraint.form.coefficients.count >= 2,
            let rule = last.rule, let leaf = last.leaf
        else { return [] }
        let rest = core.compactMap { literal -> LinearConstraint? in
            if case .linear(let c) = literal.test { return c }
            return nil
        }
        guard rest.count == core.count else { return [] }
        var ranges: [Int: (lower: Double, upper: Double)] = [:]
        for variable in constraint.form.coefficients.keys {
            guard let range = LinearSystem.projection(rest, onto: variable, bounds: space.bounds) else { return [] }
            ranges[variable] = (range.lower, range.upper)
        }
        let leaves = space.book.rules[rule].condition.leaves
        let text = last.negated ? leaves[leaf].negatedText : leaves[leaf].text
        for (variable, a) in constraint.form.coefficients.sorted(by: { space.name($0.key) < space.name($1.key) }) {
            // The most the other terms can add, each at its best end.
            var best = constraint.form.constant
            for (other, coefficient) in constraint.form.coefficients where other != variable {
                guard let range = ranges[other] else { return [] }
                best += coefficient > 0 ? coefficient * range.upper : coefficient * range.lower
            }
            guard best.isFinite, let own = ranges[variable] else { continue }
            let bound = -best / a
            let name = space.name(variable)
            if a > 0, bound > own.upper + LinearSystem.slack {
                return [
                    "'\(text)' needs \(name) ≥ \(NumberFormatting.short(bound)); where the rest holds, \(name) is at most \(NumberFormatting.short(own.upper))"
                ]
            }
            if a < 0, bound < own.lower - LinearSystem.slack {
                return [
                    "'\(text)' needs \(name) ≤ \(NumberFormatting.short(bound)); where the rest holds, \(name) is at least \(NumberFormatting.short(own.lower))"
                ]
            }
        }
        return []
    }

    /// Walks the condition with the conjunction of everything around each part.
    private mutating func walk(_ condition: Condition, negated: Bool, context: [ScoreSpace.Formula], rule: Int) {
        switch condition {
        case .constant, .leaf:
            return
        case .not(let inner):
            walk(inner, negated: !negated, context: context, rule: rule)
        case .and(let parts), .or(let parts):
            let conjunction: Bool = if case .and = condition { !negated } else { negated }
            let formulas = parts.map { space.formula($0, negated: negated, rule: rule) }
            for (position, part) in parts.enumerated() {
                if conjunction {
                    let around = context + formulas.enumerated().filter { $0.offset != position }.map(\.element)
                    if case .leaf(let leaf) = part {
                        checkRedundant(leaf, negated: negated, around: around, rule: rule)
                    }
                    walk(part, negated: negated, context: around, rule: rule)
                } else {
                    if space.impossible(.and(context + [formulas[position]])) {
                        findings.append(deadAlternative(part, rule: rule, context: context))
                        continue
                    }
                    walk(part, negated: negated, context: context, rule: rule)
                }
            }
        }
    }

    private mutating func checkRedundant(_ leaf: Int, negated: Bool, around: [ScoreSpace.Formula], rule: Int) {
        let r = space.book.rules[rule]
        let test = r.condition.leaves[leaf]
        let failing = space.leaf(leaf, negated: !negated, rule: rule)
        let shown = negated ? test.negatedText : test.text
        // Removing the leaf changes one thing: the rule no longer waits for what only it reads.
        var others = Set<ScoreSpace.Read>()
        for (index, other) in r.condition.leaves.enumerated() where index != leaf {
            others.formUnion(space.reads(other, leaves: r.condition.leaves))
        }
        let onlyHere = space.reads(test, leaves: r.condition.leaves).subtracting(others).compactMap { read in
            if case .variable(let variable) = read { return space.name(variable) }
            return nil
        }.sorted()
        let waits =
            onlyHere.isEmpty
            ? []
            : [
                "it also makes the rule need \(onlyHere.map { "'\($0)'" }.joined(separator: ", ")) in the profile; "
                    + "keep it only if that is what it is for"
            ]
        if space.impossible(failing) {
            findings.append(
                Diagnostic(
                    .warning,
                    code: "always-true",
                    "'\(shown)' is always true for scores on the scale",
                    at: test.location,
                    length: test.text.unicodeScalars.count,
                    notes: ["it tests nothing; remove it or correct the threshold"] + waits
                )
            )
        } else if space.impossible(.and(around + [failing])) {
            findings.append(
                Diagnostic(
                    .warning,
                    code: "redundant-condition",
                    "'\(shown)' always holds where the rest of the condition of '\(r.id)' does",
                    at: test.location,
                    length: test.text.unicodeScalars.count,
                    notes: ["remove it, or correct the threshold if it was meant to narrow the rule"] + waits
                )
            )
        }
    }

    private func deadAlternative(_ part: Condition, rule: Int, context: [ScoreSpace.Formula]) -> Diagnostic {
        let r = space.book.rules[rule]
        let (location, length, text) = Self.span(part, leaves: r.condition.leaves)
        return Diagnostic(
            .warning,
            code: "never-true",
            "the alternative '\(text)' can never be true\(context.isEmpty ? "" : " together with the rest of the condition")",
            at: location ?? r.whenLocation,
            length: length,
            notes: ["it never makes '\(r.id)' fire; correct its thresholds or remove it"]
        )
    }

    /// Where a part of a condition is written: its first leaf, and the width up to the end of
    /// its last leaf when both are on one line.
    static func span(_ part: Condition, leaves: [LeafTest]) -> (SourceLocation?, Int, String) {
        var indices: [Int] = []
        func collect(_ c: Condition) {
            switch c {
            case .constant: break
            case .leaf(let index): indices.append(index)
            case .and(let parts), .or(let parts): parts.forEach(collect)
            case .not(let inner): collect(inner)
            }
        }
        collect(part)
        guard let first = indices.min(), let last = indices.max() else { return (nil, 1, "") }
        let start = leaves[first].location
        let end = leaves[last].location
        let lastWidth = leaves[last].text.unicodeScalars.count
        let width =
            start.line == end.line ? end.column + lastWidth - start.column : leaves[first].text.unicodeScalars.count
        let text = indices.count == 1 ? leaves[first].text : Self.render(part, leaves: leaves)
        return (start, width, text)
    }

    /// A condition as text, from its leaves.
    static func render(_ condition: Condition, leaves: [LeafTest]) -> String {
        switch condition {
        case .constant(let truth): return truth.name
        case .leaf(let index): return leaves[index].text
        case .and(let parts): return parts.map { wrapped($0, leaves) }.joined(separator: " and ")
        case .or(let parts): return parts.map { wrapped($0, leaves) }.joined(separator: " or ")
        case .not(let inner): return "not \(wrapped(inner, leaves))"
        }
    }

    private static func wrapped(_ condition: Condition, _ leaves: [LeafTest]) -> String {
        switch condition {
        case .and, .or: "(\(render(condition, leaves: leaves)))"
        default: render(condition, leaves: leaves)
        }
    }
}
