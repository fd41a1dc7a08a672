/// Rules that can never be recommended because of how recommendations are resolved: shadowed in
/// their group by a better-ranked rule whose condition they imply, identical to such a rule, or
/// always suppressed by a rule that fires whenever they do; and the region where two rules of a
/// group overlap (a note: a group exists to choose between overlapping rules).
struct ResolutionAnalysis {
    var space: ScoreSpace
    private(set) var findings: [Diagnostic] = []

    init(space: ScoreSpace) { self.space = space }

    /// Analyses the rules that can fire (`live`), in rank order within each group.
    mutating func analyse(live: Set<Int>) {
        let rules = space.book.rules
        var suppressors: [Int: [Int]] = [:]
        for (index, rule) in rules.enumerated() {
            for target in rule.suppresses {
                if let victim = rules.firstIndex(where: { $0.id == target }) {
                    suppressors[victim, default: []].append(index)
                }
            }
        }
        var reported = Set<Int>()
        // Always suppressed.
        for victim in rules.indices where live.contains(victim) {
            for suppressor in suppressors[victim] ?? []
            where live.contains(suppressor) && space.implies(victim, suppressor) {
                findings.append(
                    neverRecommended(
                        victim,
                        code: "always-suppressed",
                        "whenever it fires, '\(rules[suppressor].id)' fires too and suppresses it",
                        notes: [
                            "'\(rules[suppressor].id)' is at \(rules[suppressor].location)",
                            "remove '\(rules[victim].id)' from its 'suppresses', or narrow the condition of one of them",
                        ]
                    )
                )
                reported.insert(victim)
                break
            }
        }
        // Groups, best-ranked first.
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (index, rule) in rules.enumerated() where live.contains(index) {
            guard let group = rule.group else { continue }
            if groups[group] == nil { order.append(group) }
            groups[group, default: []].append(index)
        }
        for group in order {
            let members = (groups[group] ?? []).sorted { a, b in
                rules[a].priority != rules[b].priority ? rules[a].priority > rules[b].priority : a < b
            }
            for (position, lower) in members.enumerated() where !reported.contains(lower) {
                var overlapping: [Int] = []
                for higher in members[..<position] {
                    guard levelsMeet(higher, lower) else { continue }
                    if suppressors[higher] == nil, space.implies(lower, higher) {
                        findings.append(shadowed(lower, by: higher, group: group))
                        reported.insert(lower)
                        break
                    }
                    if let region = overlap(higher, lower) {
                        if suppressors[higher] == nil { overlapping.append(higher) }
                        findings.append(
                            Diagnostic(
                                .note,
                                code: "overlap",
                                "'\(rules[higher].id)' and '\(rules[lower].id)' (group '\(group)') both fire where \(region)",
                                at: rules[lower].whenLocation,
                                length: rules[lower].when.unicodeScalars.count,
                                notes: [
                                    "there '\(rules[higher].id)' is recommended (priority \(rules[higher].priority) over \(rules[lower].priority)); if that is not intended, separate the thresholds or change the priorities"
                                ]
                            )
                        )
                    }
                }
                // No single better-ranked rule covers it: perhaps several together do.
                if !reported.contains(lower), overlapping.count >= 2, space.impliesAny(lower, overlapping) {
                    findings.append(shadowed(lower, byAll: overlapping, group: group))
                    reported.insert(lower)
                }
            }
        }
    }

    private func levelsMeet(_ a: Int, _ b: Int) -> Bool {
        let all = space.book.instrument.levels
        let la = Set(space.book.rules[a].levels ?? all)
        let lb = Set(space.book.rules[b].levels ?? all)
        return !la.isDisjoint(with: lb)
    }

    private mutating func shadowed(_ lower: Int, by higher: Int, group: String) -> Diagnostic {
        let rules = space.book.rules
        let (l, h) = (rules[lower], rules[higher])
        let same = space.implies(higher, lower)
        let rank =
            h.priority == l.priority
            ? "both have priority \(h.priority) and '\(h.id)' comes first in file order"
            : "'\(h.id)' has priority \(h.priority), '\(l.id)' \(l.priority)"
        var finding = neverRecommended(
            lower,
            code: same ? "duplicate-condition" : "shadowed",
            "whenever it fires, '\(h.id)' fires too and wins group '\(group)'",
            notes: [
                "\(rank); '\(h.id)' is at \(h.location)",
                same
                    ? "remove one of them, or give them different conditions or levels"
                    : "give '\(l.id)' a higher priority than '\(h.id)', narrow the condition of '\(h.id)', or move one of them to another group",
            ]
        )
        if same {
            finding.message =
                "'\(l.id)' has the same condition as '\(h.id)' in group '\(group)', which ranks first, so '\(l.id)' is never recommended"
        }
        return finding
    }

    private func shadowed(_ lower: Int, byAll higher: [Int], group: String) -> Diagnostic {
        let rules = space.book.rules
        let names = higher.map { "'\(rules[$0].id)'" }
        let listed = names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
        return neverRecommended(
            lower,
            code: "shadowed",
            "wherever it fires, \(listed) fires too and wins group '\(group)'",
            notes: [
                "each of them ranks above '\(rules[lower].id)' (priority \(rules[lower].priority))",
                "give '\(rules[lower].id)' a higher priority, narrow one of those conditions, or move it to another group",
            ]
        )
    }

    /// An error at the rule's id: `'b' can never be recommended: <reason>`.
    private func neverRecommended(_ rule: Int, code: String, _ reason: String, notes: [String]) -> Diagnostic {
        let id = space.book.rules[rule].id
        return Diagnostic(
            .error,
            code: code,
            "'\(id)' can never be recommended: \(reason)",
            at: space.book.rules[rule].idLocation,
            length: id.unicodeScalars.count,
            notes: notes
        )
    }

    /// Where both rules fire, as people read it; nil when they never do.
    private mutating func overlap(_ a: Int, _ b: Int) -> String? {
        guard let first = space.ways(a), let second = space.ways(b) else { return nil }
        var live: [ScoreSpace.Clause] = []
        for x in first {
            for y in second where space.satisfiable(x + y) { live.append(x + y) }
        }
        // Regions inside another region add nothing; of two equal ones, the first stays. (Past a
        // few regions the comparison costs more than the shorter message is worth.)
        let kept =
            live.count > 8
            ? live
            : live.enumerated().filter { i, clause in
                !live.enumerated().contains { j, other in
                    j != i && space.contained(clause, in: other) && (j < i || !space.contained(other, in: clause))
                }
            }.map(\.element)
        var unique: [String] = []
        for region in kept.map({ space.describe($0) }) where !unique.contains(region) { unique.append(region) }
        guard !unique.isEmpty else { return nil }
        let shown = unique.prefix(3).joined(separator: "; or where ")
        return unique.count > 3
            ? shown + " (and \(unique.count - 3) more region\(unique.count == 4 ? "" : "s"))" : shown
    }
}

extension ScoreSpace {
    /// The name rules use for an analysis variable: `control`, `self.control`, `raters.peers`.
    func name(_ index: Int) -> String { name(variables[index]) }

    /// The name rules use for a variable.
    func name(_ variable: Variable) -> String {
        let instrument = book.instrument
        func prefix(_ view: View) -> String {
            switch view {
            case .combined: ""
            case .group(let group): instrument.raterGroups[group].name + "."
            case .others: "others."
            }
        }
        switch variable {
        case .score(let view, let dimension): return prefix(view) + instrument.dimensions[dimension].id
        case .derived(let view, let derived): return prefix(view) + instrument.derived[derived].name
        case .raterCount(let group): return "raters." + (group.map { instrument.raterGroups[$0].name } ?? "others")
        }
    }

    /// A satisfiable clause as a region: each variable's range (`control ≥ 3.75`,
    /// `2.5 < commitment < 3.75`), attribute values and opaque tests.
    func describe(_ clause: Clause) -> String {
        var parts: [String] = []
        let constraints = clause.compactMap { literal -> LinearConstraint? in
            if case .linear(let constraint) = literal.test { return constraint }
            return nil
        }
        // Constraints over several variables (`control - commitment >= 1.5`, a mean of eight
        // scores) are shown as written; single variables with their range in the region.
        var written: [String] = []
        for literal in clause {
            guard case .linear(let constraint) = literal.test, constraint.form.coefficients.count >= 2,
                let rule = literal.rule, let leaf = literal.leaf
            else { continue }
            let text = book.rules[rule].condition.leaves[leaf].text
            let shown = literal.negated ? book.rules[rule].condition.leaves[leaf].negatedText : text
            if !written.contains(shown) { written.append(shown) }
        }
        let named = Set(constraints.filter { $0.form.coefficients.count == 1 }.flatMap { $0.form.coefficients.keys })
            .sorted { name($0) < name($1) }
        parts += written
        // Small regions get each variable's exact range (the other constraints included); large
        // ones, where that elimination is slow, the range its own constraints give.
        let exact = Set(constraints.flatMap { $0.form.coefficients.keys }).count <= 4
        for variable in named {
            let own = constraints.filter { $0.form.coefficients.count == 1 && $0.form.coefficients[variable] != nil }
            guard
                let range = LinearSystem.projection(exact ? constraints : own, onto: variable, bounds: bounds)
            else { continue }
            let full = bounds(variable)
            let lowered = range.lower > full.lowerBound + LinearSystem.slack || range.lowerOpen
            let raised = range.upper < full.upperBound - LinearSystem.slack || range.upperOpen
            let (low, high) = (NumberFormatting.short(range.lower), NumberFormatting.short(range.upper))
            let v = name(variable)
            if Swift.abs(range.upper - range.lower) <= LinearSystem.slack {
                parts.append("\(v) = \(low)")
            } else if lowered, raised {
                parts.append("\(low) \(range.lowerOpen ? "<" : "≤") \(v) \(range.upperOpen ? "<" : "≤") \(high)")
            } else if lowered {
                parts.append("\(v) \(range.lowerOpen ? ">" : "≥") \(low)")
            } else if raised {
                parts.append("\(v) \(range.upperOpen ? "<" : "≤") \(high)")
            }
        }
        var attributes: [Int: Set<String>] = [:]
        var opaque: [String] = []
        for literal in clause {
            switch literal.test {
            case .attribute(let attribute, let allowed):
                attributes[attribute] = attributes[attribute].map { $0.intersection(allowed) } ?? allowed
            case .opaque(let text, let holds):
                let shown = holds ? text : "not (\(text))"
                if !opaque.contains(shown) { opaque.append(shown) }
            case .linear:
                break
            }
        }
        for (attribute, allowed) in attributes.sorted(by: { $0.key < $1.key }) {
            let domain = book.instrument.attributeValues(attribute)
            guard allowed.count < domain.count else { continue }
            let values = domain.filter { allowed.contains($0) }
            parts.append(
                "\(book.instrument.attributeNames[attribute]) \(values.count == 1 ? "is" : "in") \(values.joined(separator: ", "))"
            )
        }
        parts += opaque
        return parts.isEmpty ? "every profile" : parts.joined(separator: ", ")
    }
}
