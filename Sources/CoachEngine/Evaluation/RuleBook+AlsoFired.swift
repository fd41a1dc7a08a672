extension RuleBook {
    /// The advice of every rule that fired for `profile` but was not recommended (kept out by a
    /// group, a suppression or the limit), in rank order, so that a report can show each by its
    /// title and summary rather than its id. `advice` is this book's advice for `profile`.
    public func alsoFired(_ advice: Advice, for profile: Profile) throws(ProfileError) -> [Recommendation] {
        let prepared = try PreparedProfile(profile, instrument: instrument)
        let advisor = Advisor(book: self)
        let recommended = Set(advice.recommendations.map(\.rule))
        return advice.fired.filter { !recommended.contains($0) }.compactMap { id in
            rule(id: id).map { advisor.recommendation($0, prepared, explain: false) }
        }
    }
}
