/// Why a rule was not recommended for a profile: the level it does not apply at, the conditions
/// that failed with the values read, the smallest change of one score that would make it fire
/// (exact for linear conditions), or the rule that beat it in resolution.
public struct WhyNot: Sendable {
    /// The rule asked about.
    public var rule: String
    /// What happened, as lines people read.
    public var lines: [String]

    /// The explanation as text, one finding a line.
    public var text: String { lines.joined(separator: "\n") + "\n" }

    /// One way to make a rule fire: a score moved to a bound.
    public struct Change: Sendable, Hashable {
        /// The variable as rules name it: `commitment`, `self.control`.
        public var variable: String
        /// Its value in the profile; nil when the profile lacks it.
        public var from: Double?
        /// The bound it has to reach.
        public var to: Double
        /// Whether the bound itself is excluded (`above 3.75` rather than `3.75 or above`).
        public var open: Bool
        /// For a missing score, the highest value that would do (`to` is the lowest).
        public var upTo: Double? = nil

        /// `commitment would have to fall from 2.75 to 2.5 or below`.
        public var sentence: String {
            // Scores as advice prints them (`4.0`), rater counts as whole numbers.
            let format = variable.hasPrefix("raters.") ? NumberFormatting.short : NumberFormatting.score
            let target = format(to)
            guard let from else {
                let high = upTo.map { $0.isFinite ? " to \(format($0))" : " up" } ?? ""
                return "\(variable) is missing; a value from \(target)\(high) would make it fire"
            }
            let rises = to > from
            let verb = rises ? "rise" : "fall"
            let bound = open ? "\(rises ? "above" : "below") \(target)" : "\(target) or \(rises ? "above" : "below")"
            return "\(variable) would have to \(verb) from \(format(from)) to \(bound)"
        }

        var size: Double { from.map { Swift.abs(to - $0) } ?? .infinity }
    }

    /// Smallest changes of one score that make the condition true, best first (at most three).
    public var changes: [Change] = []
}

extension RuleBook {
    /// `unknown rule 'x'; did you mean 'y'?`, for a rule id the rule set does not have.
    public func unknownRuleMessage(_ id: String) -> String {
        "unknown rule '\(id)'\(Suggestions.didYouMean(id, in: rules.map(\.id)))"
    }

    /// Why `ruleID` is not (or is) recommended for `profile`. Throws when the profile does not fit
    /// the instrument; returns nil when the rule set has no such rule.
    public func whyNot(_ profile: Profile, rule ruleID: String, options: AdviceOptions = AdviceOptions())
        throws(ProfileError) -> WhyNot?
    {
        guard let index = ruleIndex[ruleID] else { return nil }
        let rule = rules[index]
        var builder = RowBuilder(instrument: instrument, book: compiled)
        let prepared = try PreparedProfile(profile, builder: &builder)
        let advisor = Advisor(book: self)
        let name = prepared.id.map { "'\($0)'" } ?? "this profile"
        var result = WhyNot(rule: ruleID, lines: [])
        var space = ScoreSpace(book: self)
        let fires = space.fires(index)
        if space.impossible(fires) {
            result.lines.append("'\(ruleID)' can never fire for any profile (run coach lint for the reason)")
            return result
        }
        guard advisor.applies(rule, to: prepared) else {
            let level = prepared.attributes[0].map { "is at level '\($0)'" } ?? "has no level"
            result.lines.append(
                "'\(ruleID)' cannot fire for \(name): it applies at \((rule.levels ?? []).joined(separator: ", ")) "
                    + "and the profile \(level)")
            return result
        }
        let leaves = rule.condition.leaves
        let truth = ReferenceInterpreter.truth(rule.condition.root, prepared, leaves: leaves)
        let fired = advisor.firedRules(prepared)
        let limit = options.limit ?? instrument.defaultLimit
        let resolution = compiled.resolution.resolve(fired: fired, limit: limit)
        if truth == .true {
            result.lines += resolutionReason(index, resolution: resolution, limit: limit, name: name)
            return result
        }
        result.lines.append("'\(ruleID)' did not fire for \(name): its condition is \(truth.name)")
        for leaf in leaves {
            let outcome = ReferenceInterpreter.test(leaf, prepared, leaves: leaves)
            let mark = outcome.result == .true ? "✓" : outcome.result == .false ? "✗" : "?"
            result.lines.append("  \(mark) \(Explanation.detail(leaf, outcome)): \(outcome.result.name)")
        }
        result.changes = Self.changes(index, prepared, space: &space)
        if let best = result.changes.first {
            result.lines.append("smallest change of one score that makes it fire (holding the others):")
            result.lines.append("  \(best.sentence)")
            for other in result.changes.dropFirst() { result.lines.append("  or \(other.sentence)") }
        } else if truth == .unknown {
            result.lines.append("the profile lacks scores the condition reads; give them, and ask again")
        } else {
            result.lines.append("no change of a single score makes it fire; more than one score has to move")
        }
        // A better-ranked rule of the same group that is recommended now would still win.
        if let group = rule.group,
            let winner = resolution.recommended.first(where: { rules[$0].group == group }),
            rules[winner].priority > rule.priority || (rules[winner].priority == rule.priority && winner < index)
        {
            result.lines.append(
                "even then, '\(rules[winner].id)' (priority \(rules[winner].priority)) is recommended in group "
                    + "'\(group)' and would still win it")
        }
        return result
    }

    private func resolutionReason(
        _ index: Int, resolution: Resolution.Outcome, limit: Int, name: String
    ) -> [String] {
        let rule = rules[index]
        if let position = resolution.recommended.firstIndex(of: index) {
            return ["'\(rule.id)' fired and is recommended for \(name) (number \(position + 1))"]
        }
        let fired = "'\(rule.id)' fired for \(name) but is not recommended:"
        if let suppressor = resolution.ranked.first(where: { rules[$0].suppresses.contains(rule.id) }) {
            return ["\(fired) '\(rules[suppressor].id)' fired too and suppresses it"]
        }
        if let group = rule.group,
            let winner = resolution.recommended.first(where: { rules[$0].group == group })
        {
            return [
                "\(fired) '\(rules[winner].id)' (priority \(rules[winner].priority)) ranks first in group '\(group)'"
            ]
        }
        let rank = (resolution.ranked.firstIndex(of: index) ?? 0) + 1
        return ["\(fired) it ranks number \(rank) and the limit is \(limit)"]
    }

    /// The smallest single-score changes that make the rule fire: for each way the condition
    /// can hold, each score it reads is solved for with the others held at the profile's values.
    static func changes(_ index: Int, _ profile: PreparedProfile, space: inout ScoreSpace) -> [WhyNot.Change] {
        guard let clauses = ScoreSpace.clauses(space.fires(index)) else { return [] }
        let book = space.book
        var best: [String: WhyNot.Change] = [:]
        for clause in clauses {
            // Attributes and opaque tests must already hold; a score change cannot fix them.
            var constraints: [LinearConstraint] = []
            var blocked = false
            for literal in clause {
                switch literal.test {
                case .linear(let constraint):
                    constraints.append(constraint)
                case .attribute(let attribute, let allowed):
                    if !(profile.attributes[attribute].map(allowed.contains) ?? false) { blocked = true }
                case .opaque:
                    guard let rule = literal.rule, let leaf = literal.leaf else { continue }
                    let leaves = book.rules[rule].condition.leaves
                    let result = ReferenceInterpreter.test(leaves[leaf], profile, leaves: leaves).result
                    if result != (literal.negated ? .false : .true) { blocked = true }
                }
            }
            guard !blocked else { continue }
            let named = Set(constraints.flatMap { $0.form.coefficients.keys })
            let values = Dictionary(
                uniqueKeysWithValues: named.map { ($0, ReferenceInterpreter.read(space.variables[$0], profile)) })
            let missing = named.filter { values[$0]?.isNaN ?? true }
            for variable in named where missing.isEmpty || missing == [variable] {
                guard
                    let change = solve(
                        constraints, for: variable, values: values, bounds: space.bounds(variable),
                        name: space.name(variable))
                else { continue }
                if let known = best[change.variable], known.size <= change.size { continue }
                best[change.variable] = change
            }
        }
        return best.values.sorted { a, b in
            a.size != b.size ? a.size < b.size : a.variable < b.variable
        }.prefix(3).map { $0 }
    }

    /// The nearest value of `variable` that meets every constraint with the others held.
    private static func solve(
        _ constraints: [LinearConstraint], for variable: Int, values: [Int: Double], bounds: ClosedRange<Double>,
        name: String
    ) -> WhyNot.Change? {
        var lower = bounds.lowerBound
        var upper = bounds.upperBound
        var lowerOpen = false
        var upperOpen = false
        for constraint in constraints {
            var rest = constraint.form.constant
            var a = 0.0
            for (other, coefficient) in constraint.form.coefficients {
                if other == variable { a = coefficient } else { rest += coefficient * (values[other] ?? .nan) }
            }
            if Swift.abs(a) <= 1e-12 {
                let holds = constraint.strict ? rest > LinearSystem.slack : rest >= -LinearSystem.slack
                if !holds { return nil }
                continue
            }
            let bound = -rest / a
            if a > 0 {
                if bound > lower + LinearSystem.slack
                    || (Swift.abs(bound - lower) <= LinearSystem.slack && constraint.strict)
                {
                    lower = bound
                    lowerOpen = constraint.strict
                }
            } else if bound < upper - LinearSystem.slack
                || (Swift.abs(bound - upper) <= LinearSystem.slack && constraint.strict)
            {
                upper = bound
                upperOpen = constraint.strict
            }
        }
        guard
            lower < upper - LinearSystem.slack
                || (Swift.abs(upper - lower) <= LinearSystem.slack && !lowerOpen && !upperOpen)
        else { return nil }
        guard let current = values[variable], !current.isNaN else {
            return WhyNot.Change(variable: name, from: nil, to: lower, open: lowerOpen, upTo: upper)
        }
        if current < lower + (lowerOpen ? LinearSystem.slack : -LinearSystem.slack) {
            return WhyNot.Change(variable: name, from: current, to: lower, open: lowerOpen)
        }
        if current > upper - (upperOpen ? LinearSystem.slack : -LinearSystem.slack) {
            return WhyNot.Change(variable: name, from: current, to: upper, open: upperOpen)
        }
        return nil
    }
}
