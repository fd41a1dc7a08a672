/// Resolves the fired set of a prepared profile into recommendations (rank by priority then
/// file order, apply suppression, keep the best of each group, cap at the limit) and fills in
/// their advice. `firedRules` is the reference evaluation that the compiled paths must match.
struct Advisor {
    let book: RuleBook

    /// Whether each rule's condition held at the profile's level, by the reference interpreter.
    func firedRules(_ profile: PreparedProfile) -> [Bool] {
        book.rules.map { rule in
            guard applies(rule, to: profile) else { return false }
            return ReferenceInterpreter.truth(rule.condition.root, profile, leaves: rule.condition.leaves) == .true
        }
    }

    /// Whether the rule's `levels` admit the profile's level (a rule with levels does not fire
    /// for a profile whose level is unknown).
    func applies(_ rule: Rule, to profile: PreparedProfile) -> Bool {
        guard let levels = rule.levels else { return true }
        guard let level = profile.attributes[0] else { return false }
        return levels.contains(level)
    }

    func advise(_ profile: PreparedProfile, fired: [Bool], options: AdviceOptions) -> Advice {
        let resolution = book.compiled.resolution.resolve(
            fired: fired, limit: options.limit ?? book.instrument.defaultLimit)
        return advice(profile, ranked: resolution.ranked, recommended: resolution.recommended, explain: options.explain)
    }

    /// The advice for a resolved profile: fired rules in rank order, recommended rules best first.
    func advice(_ profile: PreparedProfile, ranked: [Int], recommended: [Int], explain: Bool) -> Advice {
        Advice(
            id: profile.id,
            level: profile.attributes[0],
            recommendations: recommended.map { recommendation(book.rules[$0], profile, explain: explain) },
            fired: ranked.map { book.rules[$0].id },
            raters: raterSummary(profile),
            ruleSetVersion: book.version
        )
    }

    private func raterSummary(_ profile: PreparedProfile) -> [RaterSummary] {
        book.instrument.raterGroups.enumerated().compactMap { index, group in
            guard profile.count(group: index) > 0 || profile.usable[index] else { return nil }
            return RaterSummary(
                group: group.name,
                count: Int(profile.count(group: index)),
                minimum: group.minimum,
                used: profile.usable[index]
            )
        }
    }

    func recommendation(_ rule: Rule, _ profile: PreparedProfile, explain: Bool) -> Recommendation {
        let headline = HeadlineView.index(profile, selfGroup: book.instrument.selfGroup)
        let render = { (template: Template) in TemplateRenderer.render(template, profile, headline: headline) }
        let because: [ConditionResult] =
            explain
            ? rule.condition.leaves.map { leaf in
                Explanation.result(leaf, ReferenceInterpreter.test(leaf, profile, leaves: rule.condition.leaves))
            } : []
        return Recommendation(
            rule: rule.id,
            title: rule.title,
            summary: render(rule.advice.summary),
            why: render(rule.advice.why),
            actions: rule.advice.actions.map(render),
            priority: rule.priority,
            group: rule.group,
            confidence: Confidence.of(rule, profile, instrument: book.instrument),
            tags: rule.advice.tags,
            because: because
        )
    }
}
