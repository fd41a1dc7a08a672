/// What a rule change would do to a population's advice: how many profiles' recommendations
/// change, and per rule how many profiles gain or lose it.
public struct PopulationDiff: Sendable, Equatable {
    /// Profiles evaluated under both rule sets.
    public var profiles = 0
    /// Records rejected (by either rule set's instrument).
    public var rejected = 0
    /// Profiles whose recommendations (or their order) differ.
    public var changed = 0
    /// Per rule id: profiles that gain it under the new rules.
    public var gained: [String: Int] = [:]
    /// Per rule id: profiles that lose it under the new rules.
    public var lost: [String: Int] = [:]
    /// The first few changed profiles: id (or record number), old and new recommendations.
    public var examples: [Example] = []
    /// The two rule sets' versions.
    public var oldVersion = ""
    /// The new rule set's version.
    public var newVersion = ""

    /// A profile whose advice changes.
    public struct Example: Sendable, Equatable {
        /// The profile's id, or `record N`.
        public var profile: String
        /// Recommendations under the old rules.
        public var old: [String]
        /// Recommendations under the new rules.
        public var new: [String]
    }

    static let exampleLimit = 10

    mutating func add(_ other: PopulationDiff) {
        profiles += other.profiles
        rejected += other.rejected
        changed += other.changed
        gained.merge(other.gained, uniquingKeysWith: +)
        lost.merge(other.lost, uniquingKeysWith: +)
        for example in other.examples where examples.count < Self.exampleLimit { examples.append(example) }
    }

    /// Rules that some profile gains or loses, with both counts, most affected first.
    public var ruleChanges: [(rule: String, gained: Int, lost: Int)] {
        Set(gained.keys).union(lost.keys).map { ($0, gained[$0] ?? 0, lost[$0] ?? 0) }
            .sorted { a, b in
                let (x, y) = (a.1 + a.2, b.1 + b.2)
                return x != y ? x > y : a.0 < b.0
            }
    }

    /// A report for a person.
    public func text() -> String {
        var out: [String] = []
        let share = profiles == 0 ? 0 : Double(changed) / Double(profiles)
        out.append(
            "\(PopulationStats.grouped(changed)) of \(PopulationStats.grouped(profiles)) profiles "
                + "(\(PopulationStats.percent(share))) would get different recommendations "
                + "(rules \(oldVersion) → \(newVersion)); \(PopulationStats.grouped(rejected)) records rejected"
        )
        let changes = ruleChanges
        if changes.isEmpty {
            out.append("No rule is gained or lost by any profile.")
        } else {
            let width = max(4, changes.map(\.rule.count).max() ?? 4)
            out.append("")
            out.append(PopulationStats.padRight("rule", width) + "     gained       lost")
            for change in changes {
                out.append(
                    PopulationStats.padRight(change.rule, width)
                        + PopulationStats.pad(PopulationStats.grouped(change.gained), 11)
                        + PopulationStats.pad(PopulationStats.grouped(change.lost), 11)
                )
            }
        }
        if !examples.isEmpty {
            out.append("")
            out.append("For example:")
            for example in examples {
                let old = example.old.isEmpty ? "(none)" : example.old.joined(separator: ", ")
                let new = example.new.isEmpty ? "(none)" : example.new.joined(separator: ", ")
                out.append("  \(example.profile): \(old) → \(new)")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The diff as JSON.
    public func json() -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("profiles", profiles)
        writer.field("rejected", rejected)
        writer.field("changed", changed)
        writer.key("rules")
        writer.beginObject()
        for change in ruleChanges {
            writer.key(change.rule)
            writer.beginObject()
            writer.field("gained", change.gained)
            writer.field("lost", change.lost)
            writer.endObject()
        }
        writer.endObject()
        writer.key("examples")
        writer.beginArray()
        for example in examples {
            writer.beginObject()
            writer.field("profile", example.profile)
            writer.field("old", strings: example.old)
            writer.field("new", strings: example.new)
            writer.endObject()
        }
        writer.endArray()
        writer.key("ruleSets")
        writer.beginObject()
        writer.field("old", oldVersion)
        writer.field("new", newVersion)
        writer.endObject()
        writer.endObject()
        return writer.output
    }
}

/// `coach diff`: each record evaluated under the old and the new rule book.
struct DiffTask: PopulationTask {
    func makePartial() -> PopulationDiff { PopulationDiff() }

    func accept(_ position: RecordPosition, _ evaluators: [RecordRunner], into partial: inout PopulationDiff) {
        guard evaluators.count == 2 else { return }
        partial.profiles += 1
        let old = Self.recommended(evaluators[0])
        let new = Self.recommended(evaluators[1])
        guard old != new else { return }
        partial.changed += 1
        for rule in new where !old.contains(rule) { partial.gained[rule, default: 0] += 1 }
        for rule in old where !new.contains(rule) { partial.lost[rule, default: 0] += 1 }
        if partial.examples.count < PopulationDiff.exampleLimit {
            let name = evaluators[1].id ?? "record \(position.record)"
            partial.examples.append(PopulationDiff.Example(profile: name, old: old, new: new))
        }
    }

    func reject(_ position: RecordPosition, id: String?, _ error: ProfileError, into partial: inout PopulationDiff) {
        partial.rejected += 1
    }

    static func recommended(_ evaluator: RecordRunner) -> [String] {
        (0..<evaluator.recommendedCount).map { evaluator.book.rules[Int(evaluator.recommended[$0])].id }
    }
}
