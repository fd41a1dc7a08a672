/// The compile step of loading, made visible: checked rules in, a ready `RuleBook` out.
///
/// Loading runs in stages — files are read and decoded (`RuleSetLoader`), conditions are
/// type-checked (`Checker`), then this step compiles them once for every evaluation path:
///
/// 1. `CompiledRuleBook`: every distinct leaf test once, conditions and numeric expressions as
///    flat programs, resolution's tables (`Resolution`) — what one profile at a time runs;
/// 2. `ColumnarPlan`: atoms, leaf plans, the shared numeric graph and each rule's Kleene
///    formula — what chunks of 2,048 profiles run (`coach stats`, `coach bench`);
/// 3. `ProfileJSONReader`: the fast path from JSON profiles into the compiled row layout.
///
/// Each is immutable and shared by every thread and request that uses the book.
enum RuleCompiler {
    /// Compiles checked `rules` (in file order) written against `instrument`; `version` is the
    /// content hash of the files they came from.
    static func compile(instrument: Instrument, rules: [Rule], version: String) -> RuleBook {
        var index: [String: Int] = [:]
        for (position, rule) in rules.enumerated() { index[rule.id] = position }
        let suppressed = rules.map { rule in rule.suppresses.compactMap { index[$0] } }
        let compiled = CompiledRuleBook(rules: rules, instrument: instrument, suppressed: suppressed)
        return RuleBook(
            instrument: instrument,
            rules: rules,
            version: version,
            ruleIndex: index,
            compiled: compiled,
            columnarPlan: ColumnarPlan(compiled, instrument: instrument),
            jsonReader: ProfileJSONReader(instrument: instrument)
        )
    }
}
