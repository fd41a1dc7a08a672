extension RuleBook {
    /// Loads and checks the rule set in `directory`: `instrument.yaml`, rule files below it,
    /// `tests/` excluded. Throws every problem found, with `file:line:column`.
    public static func load(directory: String) throws(RuleSetError) -> RuleBook {
        let (sources, problems) = try RuleDirectory.read(directory)
        return try RuleSetLoader().load(sources, problems: problems)
    }

    /// Loads and checks a rule set from texts in memory.
    public static func load(sources: [RuleSource]) throws(RuleSetError) -> RuleBook {
        try RuleSetLoader().load(sources)
    }

    /// The rule set built into the library from the package's `Rules/` directory.
    public static func builtin() throws(RuleSetError) -> RuleBook {
        try RuleSetLoader().load(BuiltinRules.sources)
    }

    /// The built-in rule files (instrument, rules and rule tests), e.g. to copy and edit.
    public static var builtinSources: [RuleSource] { BuiltinRules.sources }
}
