import Testing

@testable import CoachEngine

/// Rule sets loaded from texts in memory against the real built-in instrument, reported under
/// `Rules/` as `coach --rules Rules` would report them.
enum RuleFixtures {
    /// The text of the built-in `instrument.yaml`, without its `defaultLevel`, so that tests
    /// see what a profile without a level means to the engine itself (the level is unknown).
    static let instrumentText: String = {
        let text = RuleBook.builtinSources.first { $0.relativePath == "instrument.yaml" }?.text ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingPrefix(while: { $0 == " " }).hasPrefix("defaultLevel:") }
            .joined(separator: "\n")
    }()

    /// The built-in `instrument.yaml` as it is, `defaultLevel` included.
    static let builtinInstrumentText: String =
        RuleBook.builtinSources.first { $0.relativePath == "instrument.yaml" }?.text ?? ""

    /// A file of the rules directory, reported as `Rules/<relativePath>`.
    static func source(_ relativePath: String, _ text: String) -> RuleSource {
        RuleSource(relativePath: relativePath, text: text, path: "Rules/\(relativePath)")
    }

    /// The instrument (the built-in one unless given) and the rule files, by relative path.
    static func sources(_ files: [(path: String, text: String)], instrument: String? = nil) -> [RuleSource] {
        [source("instrument.yaml", instrument ?? instrumentText)] + files.map { source($0.path, $0.text) }
    }

    /// Loads the instrument and the rule files.
    static func load(_ files: [(path: String, text: String)], instrument: String? = nil) throws(RuleSetError)
        -> RuleBook
    {
        try RuleBook.load(sources: sources(files, instrument: instrument))
    }

    /// Loads the instrument and one rule file, `Rules/x.yaml`.
    static func load(_ text: String, file: String = "x.yaml", instrument: String? = nil) throws(RuleSetError)
        -> RuleBook
    {
        try load([(file, text)], instrument: instrument)
    }

    /// The error a rule set fails to load with; records an issue (and returns nil) if it loads.
    static func loadError(
        _ files: [(path: String, text: String)],
        instrument: String? = nil,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> RuleSetError? {
        do {
            let book = try load(files, instrument: instrument)
            Issue.record(
                "the rule set loaded with \(book.rules.count) rules; expected errors", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    /// The error one rule file, `Rules/x.yaml`, fails to load with.
    static func loadError(
        _ text: String,
        file: String = "x.yaml",
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> RuleSetError? {
        loadError([(file, text)], sourceLocation: sourceLocation)
    }

    /// A rule file holding the given rules.
    static func file(_ rules: RuleSpec...) -> String { file(rules) }

    /// A rule file holding the given rules.
    static func file(_ rules: [RuleSpec]) -> String {
        "rules:\n" + rules.map(\.yaml).joined()
    }
}

/// One rule, written as YAML with everything a rule needs, so that a test states only what it
/// is about.
struct RuleSpec {
    var id: String
    var when: String
    var priority: Int?
    var group: String?
    var suppresses: [String] = []
    var levels: [String]?
    var summary: String?

    init(
        _ id: String,
        when: String = "control >= 1",
        priority: Int? = nil,
        group: String? = nil,
        suppresses: [String] = [],
        levels: [String]? = nil,
        summary: String? = nil
    ) {
        self.id = id
        self.when = when
        self.priority = priority
        self.group = group
        self.suppresses = suppresses
        self.levels = levels
        self.summary = summary
    }

    /// The rule as an item of `rules:`.
    var yaml: String {
        var lines = [
            "  - id: \(id)",
            "    title: Title of \(id)",
            "    when: \(when)",
        ]
        if let priority { lines.append("    priority: \(priority)") }
        if let group { lines.append("    group: \(group)") }
        if !suppresses.isEmpty { lines.append("    suppresses: [\(suppresses.joined(separator: ", "))]") }
        if let levels { lines.append("    levels: [\(levels.joined(separator: ", "))]") }
        lines += [
            "    advice:",
            "      summary: \(Self.quoted(summary ?? "Summary of \(id)."))",
            "      why: Why \(id) matters.",
            "      actions: [First step for \(id)., Second step for \(id).]",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A single-quoted YAML scalar.
    private static func quoted(_ text: String) -> String {
        "'" + text.replacing("'", with: "''") + "'"
    }
}

/// Profiles for tests: combined scores, a level, rater groups.
enum Profiles {
    /// Every dimension at `value`, then the given scores over them.
    static func all(_ value: Double, except overrides: [String: Double] = [:]) -> [String: Double] {
        let names = [
            "systems", "people", "goals", "purpose", "control", "commitment", "planning", "opportunism",
            "doing", "being", "directing", "serving", "reacting", "initiating", "improvement", "breakthrough",
        ]
        var scores = Dictionary(uniqueKeysWithValues: names.map { ($0, value) })
        scores.merge(overrides) { _, new in new }
        return scores
    }

    /// The management side at `management`, the leadership side at `leadership`.
    static func sides(management: Double, leadership: Double) -> [String: Double] {
        [
            "systems": management, "goals": management, "control": management, "planning": management,
            "doing": management, "directing": management, "reacting": management, "improvement": management,
            "people": leadership, "purpose": leadership, "commitment": leadership, "opportunism": leadership,
            "being": leadership, "serving": leadership, "initiating": leadership, "breakthrough": leadership,
        ]
    }
}
