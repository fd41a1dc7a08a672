import ArgumentParser
import CoachEngine

/// An option value from a fixed list (`--format`, `--input-format`, `--severity`, …), read by
/// one shared parser: the value's name or an alias (`md` for `markdown`), in any case; anything
/// else is a usage error (exit 64) that names the nearest value ("did you mean 'markdown'?")
/// and lists them all.
///
/// Declare such an option with `transform: Format.parse`. ArgumentParser prints no
/// "(default: …)" for an option read through a transform, so its help says the default itself.
protocol Choice: CaseIterable, RawRepresentable, Sendable where RawValue == String {
    /// Other names accepted for a value; none unless a type gives some.
    static var aliases: [String: Self] { get }
}

extension Choice {
    static var aliases: [String: Self] { [:] }

    /// Every value's name, in declaration order.
    static var names: [String] { allCases.map(\.rawValue) }

    /// The value `text` names (by name or alias, in any case), or a usage error.
    static func parse(_ text: String) throws -> Self {
        let lowered = text.lowercased()
        if let value = Self(rawValue: lowered) ?? aliases[lowered] { return value }
        throw ChoiceError(value: text, names: names, aliases: Array(aliases.keys))
    }
}

/// A value that is not one of an option's choices.
struct ChoiceError: Error, CustomStringConvertible {
    var value: String
    var names: [String]
    var aliases: [String]

    /// ArgumentParser prints it after "The value 'x' is invalid for '--option <name>': ".
    var description: String {
        let suggestion = Suggestions.nearest(to: value, in: names + aliases.sorted()).map { "did you mean '\($0)'? " }
        return "\(suggestion ?? "")Give one of \(names.map { "'\($0)'" }.joined(separator: ", "))."
    }
}

/// `completion: .list(…)` for an option read as a `Choice`.
extension CompletionKind {
    static func choices(_ type: (some Choice).Type) -> CompletionKind { .list(type.names) }
}
