extension RuleBook {
    /// Loads and checks the rule set in `directory`: `instrument.yaml`, rule files below it,
    /// `tests/` excluded. Throws every problem found, with `file:line:column`; a rule set past
    /// one of `limits` fails to load with an error that names the limit.
    public static func load(directory: String, limits: LoadLimits = .default) throws(RuleSetError) -> RuleBook {
        let (sources, problems) = try RuleDirectory.read(directory, limits: limits)
        return try RuleSetLoader(limits: limits).load(sources, problems: problems)
    }

    /// Loads and checks a rule set from texts in memory, within `limits`.
    public static func load(sources: [RuleSource], limits: LoadLimits = .default) throws(RuleSetError) -> RuleBook {
        try RuleSetLoader(limits: limits).load(sources)
    }

    /// The rule set built into the library from the package's `Rules/` directory.
    public static func builtin() throws(RuleSetError) -> RuleBook {
        try RuleSetLoader().load(BuiltinRules.sources)
    }

    /// The built-in rule files (instrument, rules and rule tests), e.g. to copy and edit.
    public static var builtinSources: [RuleSource] { BuiltinRules.sources }
}
